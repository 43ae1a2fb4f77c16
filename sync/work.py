"""One tab's state within a cycle: the mapping, what was read, and the merge plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.grid import TabGrid
from sync.mapping import TabMapping
from sync.plan import TabPlan
from sync.table import Table


@dataclass
class TabWork:
    tab: TabMapping
    table: Table
    plan: TabPlan
    loaded_ids: set[int] = field(default_factory=set)  # records whose database values were read
    synced_ids: set[int] = field(default_factory=set)  # records with a SyncedRow in this tab
    grid: TabGrid | None = None  # the tab as read (guardrails compare against it)

    def positions(self) -> dict[int, int]:
        """Record id -> the row number it was read at this cycle."""
        found = {u.record_id: u.row_number for u in self.plan.updates}
        found.update({c.record_id: c.row_number for c in self.plan.clears})
        return found
