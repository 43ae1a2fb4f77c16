"""DataLoader batches for partners: by id, a program's partners, a partner's programs.

A link row is fetched with the columns of the record at its far end, so `partners { partner }`
and `programs { program }` cost one statement per level, and walking back (`partner { programs
}`) finds those records already in the request's loaders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from models.partner import ProgramPartner as LinkRow
from schema.partner_records import PARTNER_COLUMNS, Partner, ProgramPartner
from schema.records import PROGRAM_COLUMNS, Program

Remember = Callable[[dict[int, Any]], None]


async def partners_of_programs(keys: list[int], remember: Remember) -> list[list[ProgramPartner]]:
    """Each program's links to live partners, by partner code."""
    return await _links(keys, "program_id", "partner", PARTNER_COLUMNS, Partner.from_row, remember)


async def programs_of_partners(keys: list[int], remember: Remember) -> list[list[ProgramPartner]]:
    """Each partner's links to live programs, by program code."""
    return await _links(keys, "partner_id", "program", PROGRAM_COLUMNS, Program.from_row, remember)


async def _links(
    keys: list[int],
    parent: str,
    far: str,
    columns: Sequence[str],
    build: Callable[[dict[str, Any]], Any],
    remember: Remember,
) -> list[list[ProgramPartner]]:
    query = LinkRow.filter(**{f"{parent}__in": keys, f"{far}__archived_at__isnull": True})
    far_columns = [f"{far}__{column}" for column in columns]
    rows = await query.order_by(f"{far}__code", "id").values("program_id", "partner_id", "role", *far_columns)
    grouped: dict[int, list[ProgramPartner]] = defaultdict(list)
    records: dict[int, Any] = {}
    prefix = len(far) + 2
    for row in rows:
        grouped[row[parent]].append(
            ProgramPartner(program_id=row["program_id"], partner_id=row["partner_id"], role=row["role"])
        )
        record = build({column[prefix:]: row[column] for column in far_columns})
        records[record.id] = record
    remember(records)
    return [grouped.get(key, []) for key in keys]
