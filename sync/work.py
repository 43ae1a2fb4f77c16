"""One tab's state within a cycle: the mapping, what was read, and the merge plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.mapping import TabMapping
from sync.plan import TabPlan
from sync.table import Table


@dataclass
class TabWork:
    tab: TabMapping
    table: Table
    plan: TabPlan
    grid_rows: int | None  # the tab's row count (from the range batchGet returned)
    data_rows: int  # rows holding anything (the header included)
    loaded_ids: set[int] = field(default_factory=set)  # records whose database values were read
    synced_ids: set[int] = field(default_factory=set)  # records with a SyncedRow in this tab

    def positions(self) -> dict[str, int]:
        """Row key -> row number as read this cycle (IDs written this cycle included)."""
        found = {r.key: r.number for r in self.table.rows if r.key is not None}
        found.update({u.key: u.row_number for u in self.plan.updates})
        return found

    def append_row_numbers(self) -> list[int]:
        return [self.data_rows + 1 + i for i in range(len(self.plan.appends))]
