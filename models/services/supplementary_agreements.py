"""The supplementary agreement family (실무 협약): under a live agreement, with a unique code.

Moving one to another agreement is refused when its live allocations would fall outside that
agreement's term; one with live allocations cannot be archived, and one cannot be restored
under an archived agreement.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from models.agreement import Agreement
from models.allocation import Allocation
from models.enums import RecordType
from models.errors import ErrorCode, UserError
from models.services import agreement_terms, references, validation
from models.services.agreements import date_errors, dated_columns, iso, text_errors
from models.services.family import Dependents, Family, Reference, Values
from models.services.write_scope import WriteScope
from models.supplementary_agreement import SupplementaryAgreement

DATE_FIELDS = {"signed_on": "signedOn"}
TEXT_FIELDS = {"title": (200, True), "note": (2000, False)}


class SupplementaryAgreementFields(TypedDict, total=False):
    code: str
    agreement_code: str
    title: str
    signed_on: date | None
    note: str


def unknown_agreement(code: str) -> UserError:
    return UserError("agreementCode", f"협약코드 '{code}'인 협약이 없습니다.", ErrorCode.UNKNOWN_AGREEMENT)


AGREEMENT = Reference("agreement_code", "agreement", Agreement, unknown_agreement)


async def get_by_code(code: str) -> SupplementaryAgreement | None:
    return await SupplementaryAgreement.get_or_none(code=code)


class SupplementaryAgreements(Family[SupplementaryAgreement, SupplementaryAgreementFields]):
    model, record_type, code_label = (
        SupplementaryAgreement,
        RecordType.SUPPLEMENTARY_AGREEMENT,
        "실무협약코드",
    )
    required = ("code", "agreement_code", "title")
    reference = AGREEMENT
    dependents = (
        Dependents(
            Allocation, "supplementary_agreement_id", "이 실무 협약의 배정 {count}건을 먼저 보관해야 합니다."
        ),
    )

    async def validate(
        self, fields: SupplementaryAgreementFields, current: SupplementaryAgreement | None
    ) -> list[UserError]:
        given: dict[str, Any] = dict(fields)
        errors: list[UserError] = []
        if "code" in given:
            errors += await validation.unique_code(
                SupplementaryAgreement,
                given["code"],
                current=current.code if current else None,
                max_length=30,
                label="실무협약코드",
            )
        return errors + text_errors(given, TEXT_FIELDS) + date_errors(given, DATE_FIELDS)

    async def rules(
        self,
        scope: WriteScope,
        fields: SupplementaryAgreementFields,
        errors: list[UserError],
        current: SupplementaryAgreement | None,
    ) -> list[UserError]:
        if current is None or "agreement_code" not in fields or errors:
            return []
        # The target is locked by now (`Reference.lock`): its term cannot change under us.
        target = (
            await Agreement.filter(code=fields["agreement_code"].strip()).using_db(scope.connection).first()
        )
        if target is None or target.pk == current.agreement_id:
            return []
        where = {"supplementary_agreement_id": current.pk}
        years = await agreement_terms.years_outside(scope, target.term_start, target.term_end, **where)
        return [agreement_terms.stranded(years, "agreementCode", "이 실무 협약")] if years else []

    def values(self, supplement: SupplementaryAgreement, reference_code: str | None) -> Values:
        assert reference_code is not None  # every supplement has an agreement
        return supplement_values(supplement, reference_code)

    def _columns(self, fields: SupplementaryAgreementFields) -> dict[str, Any]:
        return dated_columns(super()._columns(fields), DATE_FIELDS)

    async def restore_guard(self, scope: WriteScope, supplement: SupplementaryAgreement) -> list[UserError]:
        agreement = await Agreement.filter(id=supplement.agreement_id).using_db(scope.connection).first()
        if agreement is None or agreement.archived_at is None:
            return []
        message = f"협약 '{agreement.code}'이(가) 보관(삭제)되어 있습니다. 먼저 협약을 복원하세요."
        return [UserError("agreementCode", message, ErrorCode.ARCHIVED)]

    async def renamed(self, scope: WriteScope, record_id: int, old: str, new: str) -> None:
        # Allocations show their supplement's code: each gets its event.
        await references.cascade(
            scope,
            Allocation,
            {"supplementary_agreement_id": record_id},
            RecordType.ALLOCATION,
            "supplementary_code",
            old,
            new,
        )


def supplement_values(supplement: SupplementaryAgreement, agreement_code: str) -> Values:
    return {
        "code": supplement.code,
        "agreement_code": agreement_code,
        "title": supplement.title,
        "signed_on": iso(supplement.signed_on),
        "note": supplement.note,
    }


SUPPLEMENTS = SupplementaryAgreements()
create, update, archive, restore = (
    SUPPLEMENTS.create,
    SUPPLEMENTS.update,
    SUPPLEMENTS.archive,
    SUPPLEMENTS.restore,
)
