"""The allocation family: what a supplementary agreement fixes for one program and fiscal year.

`set` writes a total and every funder's share at once, creating the allocation or replacing the
live one with the same (supplementary agreement, program, fiscal year): one write, one change
event whose values carry the shares (``{"CITY": 30000000, ...}``). Rules, in Korean:
- the supplementary agreement and the program are live, known codes;
- the fiscal year lies within the agreement's term (by calendar year, `agreement_terms`);
- amounts are whole won, never negative, one share per funder, and the shares add up to the total.

Locks: every write that can make an allocation live (`set`, `restore`) locks its supplementary
agreement first, which serialises them per supplement, so two concurrent sets cannot both create
the same key; then the program and the agreement (whose term a concurrent term change could
move), and the allocation row itself. An archive locks only the allocation row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from models.agreement import Agreement
from models.allocation import Allocation, AllocationShare
from models.enums import ChangeAction, Funder, RecordType
from models.errors import ErrorCode, UserError
from models.program import Program
from models.services import agreement_terms, lifecycle, locking, references, validation
from models.services.family import Family, Values
from models.services.record_values import changed_fields
from models.services.supplementary_agreements import unknown_agreement
from models.services.write_scope import WriteScope
from models.supplementary_agreement import SupplementaryAgreement

REQUIRED_FIELDS = ("supplementary_code", "program_code", "fiscal_year", "total", "shares")
FUNDER_ORDER = {funder: number for number, funder in enumerate(Funder)}


class ShareFields(TypedDict):
    funder: Funder
    amount: int


class AllocationFields(TypedDict, total=False):
    supplementary_code: str
    program_code: str
    fiscal_year: int
    total: int
    shares: list[ShareFields]


def _unknown_supplement(code: str) -> UserError:
    message = f"실무협약코드 '{code}'인 실무 협약이 없습니다."
    return UserError("supplementaryCode", message, ErrorCode.UNKNOWN_AGREEMENT)


def _unknown_program(code: str) -> UserError:
    return UserError("programCode", f"사업코드 '{code}'인 사업이 없습니다.", ErrorCode.UNKNOWN_PROGRAM)


def share_map(shares: list[ShareFields]) -> dict[str, int]:
    """{funder name: amount}, in the order of `Funder` (what values and events show)."""
    ordered = sorted(shares, key=lambda share: FUNDER_ORDER[Funder(share["funder"])])
    return {str(share["funder"]): int(share["amount"]) for share in ordered}


def allocation_values(
    allocation: Allocation, supplementary_code: str, program_code: str, shares: Mapping[str, int]
) -> Values:
    return {
        "supplementary_code": supplementary_code,
        "program_code": program_code,
        "fiscal_year": allocation.fiscal_year,
        "total": allocation.total,
        "shares": dict(shares),
    }


def _share_errors(shares: list[Any]) -> list[UserError]:
    errors: list[UserError] = []
    seen: set[Funder] = set()
    for share in shares:
        try:
            funder = Funder(str(share["funder"]))
        except ValueError:
            errors.append(
                UserError(
                    "shares",
                    "재원은 하남시, 교육지원청, 경기도교육청, 기타 중 하나여야 합니다.",
                    ErrorCode.INVALID,
                )
            )
            continue
        if funder in seen:
            errors.append(
                UserError("shares", f"재원 '{funder}'의 분담액이 두 번 있습니다.", ErrorCode.DUPLICATE)
            )
        seen.add(funder)
        errors += [
            UserError("shares", f"재원 '{funder}': {e.message}", e.code)
            for e in validation.won("amount", share["amount"])
        ]
    return errors


def _validate(fields: AllocationFields) -> list[UserError]:
    errors = validation.required(fields, REQUIRED_FIELDS)
    errors = [UserError(_camel(e.field), e.message, e.code) for e in errors]
    if "fiscal_year" in fields:
        errors += validation.fiscal_year("fiscalYear", fields["fiscal_year"])
    if "total" in fields:
        errors += validation.won("total", fields["total"])
    shares = list(fields.get("shares", []))
    errors += _share_errors(shares)
    if not errors:
        total, summed = fields["total"], sum(int(share["amount"]) for share in shares)
        if summed != total:
            message = f"재원별 분담액 합계({summed:,}원)가 사업 총액({total:,}원)과 다릅니다."
            errors.append(UserError("shares", message, ErrorCode.SHARE_SUM_MISMATCH))
    return errors


def _camel(field: str | None) -> str | None:
    names = {
        "supplementary_code": "supplementaryCode",
        "program_code": "programCode",
        "fiscal_year": "fiscalYear",
    }
    return None if field is None else names.get(field, field)


async def shares_of(connection: Any, allocation_id: int) -> dict[str, int]:
    rows = (
        await AllocationShare.filter(allocation_id=allocation_id)
        .using_db(connection)
        .values("funder", "amount")
    )
    return share_map([{"funder": Funder(row["funder"]), "amount": row["amount"]} for row in rows])


async def _codes(connection: Any, allocation: Allocation) -> tuple[str, str]:
    supplement = (
        await SupplementaryAgreement.filter(id=allocation.supplementary_agreement_id)
        .using_db(connection)
        .first()
    )
    program = await Program.filter(id=allocation.program_id).using_db(connection).first()
    assert supplement is not None and program is not None  # foreign keys with ON DELETE RESTRICT
    return supplement.code, program.code


async def _term_errors(
    scope: WriteScope, supplement: SupplementaryAgreement, fiscal_year: int
) -> list[UserError]:
    # Locked: a concurrent term change of the agreement waits for this write (and then sees it).
    agreement = await locking.locked(scope, Agreement, supplement.agreement_id)
    assert agreement is not None  # a foreign key with ON DELETE RESTRICT
    if agreement.archived_at is not None:
        return [unknown_agreement(agreement.code)]
    if not agreement_terms.covers(agreement.term_start, agreement.term_end, fiscal_year):
        return [agreement_terms.outside_term(agreement, fiscal_year)]
    return []


async def _live_with_key(
    scope: WriteScope, supplement_id: int, program_id: int, fiscal_year: int, *, besides: int | None = None
) -> Allocation | None:
    query = Allocation.filter(
        supplementary_agreement_id=supplement_id,
        program_id=program_id,
        fiscal_year=fiscal_year,
        archived_at=None,
    ).using_db(scope.connection)
    if besides is not None:
        query = query.exclude(id=besides)
    return await query.order_by("id").first()


class Allocations(Family[Allocation, AllocationFields]):
    """Writes are `set` (create or replace), `archive` and `restore`; there is no partial update."""

    model, record_type = Allocation, RecordType.ALLOCATION

    def values(self, allocation: Allocation, reference_code: str | None) -> Values:
        raise NotImplementedError  # values need both codes and the shares: `allocation_values`

    async def set(self, scope: WriteScope, fields: AllocationFields) -> Allocation:
        errors = _validate(fields)
        supplementary_code = str(fields.get("supplementary_code", "")).strip()
        program_code = str(fields.get("program_code", "")).strip()
        supplement = program = None
        if supplementary_code:
            _, supplement = await references.lock_move(
                scope, SupplementaryAgreement, None, supplementary_code
            )
            if supplement is None:
                errors.append(_unknown_supplement(supplementary_code))
        if program_code:
            _, program = await references.lock_move(scope, Program, None, program_code)
            if program is None:
                errors.append(_unknown_program(program_code))
        if (
            supplement is not None
            and not any(e.field == "fiscalYear" for e in errors)
            and "fiscal_year" in fields
        ):
            errors += await _term_errors(scope, supplement, fields["fiscal_year"])
        validation.raise_if_any(errors)
        assert supplement is not None and program is not None  # unknown codes were refused
        shares = share_map(fields["shares"])
        found = await _live_with_key(scope, supplement.pk, program.pk, fields["fiscal_year"])
        if found is None:
            return await self._create(scope, fields, supplement, program, shares)
        return await self._replace(scope, found, fields["total"], shares, supplement.code, program.code)

    async def _create(
        self,
        scope: WriteScope,
        fields: AllocationFields,
        supplement: SupplementaryAgreement,
        program: Program,
        shares: dict[str, int],
    ) -> Allocation:
        allocation = await Allocation.create(
            using_db=scope.connection,
            supplementary_agreement=supplement,
            program=program,
            fiscal_year=fields["fiscal_year"],
            total=fields["total"],
        )
        await _write_shares(scope, allocation.pk, shares)
        values = allocation_values(allocation, supplement.code, program.code, shares)
        await scope.record(self.record_type, allocation.pk, ChangeAction.CREATE, changed_fields({}, values))
        return allocation

    async def _replace(
        self,
        scope: WriteScope,
        found: Allocation,
        total: int,
        shares: dict[str, int],
        supplement: str,
        program: str,
    ) -> Allocation:
        current = await locking.require_locked(scope, Allocation, found.pk)
        before = allocation_values(
            current, supplement, program, await shares_of(scope.connection, current.pk)
        )
        current.total = total
        diff = changed_fields(before, allocation_values(current, supplement, program, shares))
        if "total" in diff:
            await current.save(using_db=scope.connection, update_fields=["total", "updated_at"])
        if "shares" in diff:
            await AllocationShare.filter(allocation_id=current.pk).using_db(scope.connection).delete()
            await _write_shares(scope, current.pk, shares)
            if "total" not in diff:
                await current.save(using_db=scope.connection, update_fields=["updated_at"])
        if diff:
            await scope.record(self.record_type, current.pk, ChangeAction.UPDATE, diff)
        return current

    async def archive(self, scope: WriteScope, record: Allocation) -> Allocation:
        return await lifecycle.archive(scope, record, self.record_type)

    async def restore(self, scope: WriteScope, record: Allocation) -> Allocation:
        # The supplement first, as `set` locks it: the duplicate check below cannot race a set.
        supplement_id = (
            await Allocation.filter(id=record.pk)
            .using_db(scope.connection)
            .first()
            .values_list("supplementary_agreement_id", flat=True)
        )
        if supplement_id is not None:
            await locking.locked(scope, SupplementaryAgreement, int(supplement_id))  # type: ignore[call-overload]
        return await lifecycle.restore(scope, record, self.record_type, guard=self.restore_guard)

    async def restore_guard(self, scope: WriteScope, allocation: Allocation) -> list[UserError]:
        supplement = (
            await SupplementaryAgreement.filter(id=allocation.supplementary_agreement_id)
            .using_db(scope.connection)
            .first()
        )
        program = await locking.locked(scope, Program, allocation.program_id)
        assert supplement is not None and program is not None  # foreign keys with ON DELETE RESTRICT
        if supplement.archived_at is not None:
            return [_unknown_supplement(supplement.code)]
        if program.archived_at is not None:
            return [_unknown_program(program.code)]
        errors = await _term_errors(scope, supplement, allocation.fiscal_year)
        twin = await _live_with_key(
            scope, supplement.pk, program.pk, allocation.fiscal_year, besides=allocation.pk
        )
        if twin is not None:
            year = allocation.fiscal_year
            key = f"실무 협약 '{supplement.code}'에 사업 '{program.code}'의 {year}년"
            message = f"{key} 배정이 이미 있습니다."
            errors.append(UserError(None, message, ErrorCode.DUPLICATE))
        return errors


async def _write_shares(scope: WriteScope, allocation_id: int, shares: dict[str, int]) -> None:
    rows = [
        AllocationShare(allocation_id=allocation_id, funder=Funder(f), amount=a) for f, a in shares.items()
    ]
    if rows:
        await AllocationShare.bulk_create(rows, using_db=scope.connection)


async def program_renamed(scope: WriteScope, program_id: int, old: str, new: str) -> None:
    """Allocations show their program's code: each gets its event when the code changes."""
    await references.cascade(
        scope, Allocation, {"program_id": program_id}, RecordType.ALLOCATION, "program_code", old, new
    )


async def values_of(connection: Any, allocation: Allocation) -> Values:
    """The allocation in API terms, read fresh (history, tests)."""
    supplement, program = await _codes(connection, allocation)
    return allocation_values(allocation, supplement, program, await shares_of(connection, allocation.pk))


ALLOCATIONS = Allocations()
set_allocation, archive, restore = ALLOCATIONS.set, ALLOCATIONS.archive, ALLOCATIONS.restore
