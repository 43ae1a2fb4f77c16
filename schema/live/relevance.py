"""Does a change touch a budget summary? Decided from the notice alone, without a query.

Conservative: when in doubt, say yes (the subscription then recomputes and pushes only if the
groups really changed). The point is to skip the recomputation for the many changes that cannot
matter, such as a budget line's note, a new school, or a program name nobody groups by.
"""

from __future__ import annotations

from collections.abc import Collection

from models.enums import UNSYNCED_RECORD_TYPES, ChangeAction, RecordType
from schema.enums import BudgetDimension
from schema.filters import BudgetFilter
from schema.live.notices import ChangeNotice

D = BudgetDimension

# Which grouping dimensions and filter conditions each field of a program or school feeds.
_PROGRAM_FIELDS: dict[str, tuple[set[BudgetDimension], set[str]]] = {
    "code": ({D.PROGRAM}, {"program_codes"}),
    "name": ({D.PROGRAM}, {"program_name_contains"}),
    "category": ({D.CATEGORY}, {"categories"}),
    "school_code": ({D.SCHOOL, D.DISTRICT, D.LEVEL}, {"school_codes", "districts", "levels"}),
}
_SCHOOL_FIELDS: dict[str, tuple[set[BudgetDimension], set[str]]] = {
    "code": ({D.SCHOOL}, {"school_codes"}),
    "name": ({D.SCHOOL}, set()),
    "level": ({D.LEVEL}, {"levels"}),
    "district": ({D.DISTRICT}, {"districts"}),
}
_PARTNER_FIELDS = frozenset({"kind", "programs"})
# Budget line fields that no summary reads.
_INERT_LINE_FIELDS = frozenset({"note"})


def touches_summary(
    notice: ChangeNotice, group_by: Collection[BudgetDimension], where: BudgetFilter | None
) -> bool:
    """True when `notice` may change the groups of `budgetSummary(group_by, where)`."""
    if notice.record_type is RecordType.BUDGET_LINE:
        return notice.action is not ChangeAction.UPDATE or not notice.fields <= _INERT_LINE_FIELDS
    if notice.record_type is RecordType.PROGRAM_SESSION:
        return False  # sessions hold no money: activitySummary has its own relevance
    if notice.record_type in UNSYNCED_RECORD_TYPES:
        return False  # agreements and their allocations: budgetSummary sums budget lines only
    if notice.record_type is RecordType.PARTNER:
        # Only PARTNER_KIND reads partners: their kind, their program links, whether they are live.
        return D.PARTNER_KIND in group_by and (
            notice.action is not ChangeAction.UPDATE or bool(notice.fields & _PARTNER_FIELDS)
        )
    if notice.action is ChangeAction.CREATE:
        # A new program or school has no budget lines yet.
        return False
    if notice.action in (ChangeAction.ARCHIVE, ChangeAction.RESTORE):
        # Archiving a program drops its lines from every sum.
        return True
    table = _PROGRAM_FIELDS if notice.record_type is RecordType.PROGRAM else _SCHOOL_FIELDS
    used_filters = _used_filters(where)
    for field in notice.fields:
        dimensions, filters = table.get(field, (set(), set()))
        if dimensions & set(group_by) or filters & used_filters:
            return True
    return False


def _used_filters(where: BudgetFilter | None) -> set[str]:
    if where is None:
        return set()
    return {name for name, value in vars(where).items() if value not in (None, [], "")}
