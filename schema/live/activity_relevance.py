"""Which committed changes may alter `activitySummary(groupBy:, filter:)` groups.

Coarser than `relevance.touches_summary` on purpose: a change that might matter recomputes
(three statements), and only changes that cannot matter are skipped without a query.
"""

from __future__ import annotations

from collections.abc import Collection

from models.enums import UNSYNCED_RECORD_TYPES, ChangeAction, RecordType
from schema.enums import ActivityDimension as D
from schema.live.notices import ChangeNotice
from schema.session_filters import ProgramSessionFilter

# Budget line fields no executed sum reads.
_INERT_LINE_FIELDS = frozenset({"note", "allocated"})
_SCHOOL_FIELDS = frozenset({"code", "name", "district", "level"})


def touches_activity(
    notice: ChangeNotice, group_by: Collection[D], where: ProgramSessionFilter | None
) -> bool:
    """True when `notice` may change the groups of `activitySummary(group_by, where)`."""
    kind, action = notice.record_type, notice.action
    if kind is RecordType.PROGRAM_SESSION or kind is RecordType.PROGRAM:
        # A new program has no session yet; anything else about sessions or programs may count.
        return not (kind is RecordType.PROGRAM and action is ChangeAction.CREATE)
    if kind is RecordType.BUDGET_LINE:
        return action is not ChangeAction.UPDATE or not notice.fields <= _INERT_LINE_FIELDS
    if kind in UNSYNCED_RECORD_TYPES:
        return False  # agreements and their allocations: no session or executed sum reads them
    if kind is RecordType.PARTNER:
        by_partner = D.PARTNER_KIND in group_by or bool(
            where and (where.partner_codes or where.partner_kinds)
        )
        return by_partner and action is not ChangeAction.CREATE
    # A school: its name, district and level label groups; a new one has no programs yet.
    return action is not ChangeAction.CREATE and bool(notice.fields & _SCHOOL_FIELDS)
