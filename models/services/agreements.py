"""The agreement family (업무협약): a unique code, a title, the parties and a term.

The term's end may not come before its start, and a term may not shrink past the fiscal years
its live allocations are for (`agreement_terms`). An agreement with live supplementary
agreements cannot be archived.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from models.agreement import Agreement
from models.enums import RecordType
from models.errors import ErrorCode, UserError
from models.services import agreement_terms, references, validation
from models.services.family import Dependents, Family, Values
from models.services.program_sessions import as_date
from models.services.write_scope import WriteScope
from models.supplementary_agreement import SupplementaryAgreement

DATE_FIELDS = {"signed_on": "signedOn", "term_start": "termStart", "term_end": "termEnd"}
TEXT_FIELDS = {"title": (200, True), "parties": (2000, False), "note": (2000, False)}


class AgreementFields(TypedDict, total=False):
    code: str
    title: str
    parties: str
    signed_on: date | None
    term_start: date
    term_end: date
    note: str


async def get_by_code(code: str) -> Agreement | None:
    return await Agreement.get_or_none(code=code)


def date_errors(fields: dict[str, Any], names: dict[str, str]) -> list[UserError]:
    """Each given date (None allowed only for `signed_on`) is a date within 2000-2100."""
    errors: list[UserError] = []
    for name, field in names.items():
        if name not in fields or (name == "signed_on" and fields[name] is None):
            continue
        value = as_date(fields[name])
        if value is None:
            errors.append(UserError(field, "날짜는 2025-01-01 형식이어야 합니다.", ErrorCode.INVALID))
        elif not validation.MIN_FISCAL_YEAR <= value.year <= validation.MAX_FISCAL_YEAR:
            errors.append(
                UserError(field, "날짜가 허용 범위(2000~2100년)를 벗어났습니다.", ErrorCode.OUT_OF_RANGE)
            )
    return errors


def text_errors(fields: dict[str, Any], rules: dict[str, tuple[int, bool]]) -> list[UserError]:
    errors: list[UserError] = []
    for name, (max_length, required) in rules.items():
        if name in fields:
            errors += validation.text(name, fields[name], max_length=max_length, required=required)
    return errors


def _term(fields: dict[str, Any], current: Agreement | None) -> tuple[date | None, date | None]:
    start = as_date(fields["term_start"]) if "term_start" in fields else (current and current.term_start)
    end = as_date(fields["term_end"]) if "term_end" in fields else (current and current.term_end)
    return start or None, end or None


class Agreements(Family[Agreement, AgreementFields]):
    model, record_type, code_label = Agreement, RecordType.AGREEMENT, "협약코드"
    required = ("code", "title", "term_start", "term_end")
    dependents = (
        Dependents(
            SupplementaryAgreement, "agreement_id", "이 협약의 실무 협약 {count}건을 먼저 보관해야 합니다."
        ),
    )

    async def validate(self, fields: AgreementFields, current: Agreement | None) -> list[UserError]:
        given: dict[str, Any] = dict(fields)
        errors: list[UserError] = []
        if "code" in given:
            errors += await validation.unique_code(
                Agreement,
                given["code"],
                current=current.code if current else None,
                max_length=30,
                label="협약코드",
            )
        errors += text_errors(given, TEXT_FIELDS) + date_errors(given, DATE_FIELDS)
        start, end = _term(given, current)
        if not errors and start is not None and end is not None and end < start:
            message = f"협약 종료일({end.isoformat()})이 시작일({start.isoformat()})보다 빠를 수 없습니다."
            errors.append(UserError("termEnd", message, ErrorCode.OUT_OF_RANGE))
        return errors

    async def rules(
        self, scope: WriteScope, fields: AgreementFields, errors: list[UserError], current: Agreement | None
    ) -> list[UserError]:
        moved = "term_start" in fields or "term_end" in fields
        if current is None or not moved or errors:
            return []
        start, end = _term(dict(fields), current)
        assert start is not None and end is not None  # validated above
        where = {"supplementary_agreement__agreement_id": current.pk}
        years = await agreement_terms.years_outside(scope, start, end, **where)
        field = "termEnd" if "term_end" in fields else "termStart"  # the end moved, or only the start
        return [agreement_terms.stranded(years, field, "이 협약")] if years else []

    def values(self, agreement: Agreement, reference_code: str | None) -> Values:
        return agreement_values(agreement)

    def _columns(self, fields: AgreementFields) -> dict[str, Any]:
        return dated_columns(dict(fields), DATE_FIELDS)

    async def renamed(self, scope: WriteScope, record_id: int, old: str, new: str) -> None:
        # Supplements show their agreement's code: each gets its event.
        await references.cascade(
            scope,
            SupplementaryAgreement,
            {"agreement_id": record_id},
            RecordType.SUPPLEMENTARY_AGREEMENT,
            "agreement_code",
            old,
            new,
        )


def iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def dated_columns(fields: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """`fields` with ISO date texts as dates (plain values and the API may carry either)."""
    return {k: (as_date(v) if k in names and v is not None else v) for k, v in fields.items()}


def agreement_values(agreement: Agreement) -> Values:
    return {
        "code": agreement.code,
        "title": agreement.title,
        "parties": agreement.parties,
        "signed_on": iso(agreement.signed_on),
        "term_start": iso(agreement.term_start),
        "term_end": iso(agreement.term_end),
        "note": agreement.note,
    }


AGREEMENTS = Agreements()
create, update, archive, restore = (
    AGREEMENTS.create,
    AGREEMENTS.update,
    AGREEMENTS.archive,
    AGREEMENTS.restore,
)
