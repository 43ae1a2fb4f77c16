"""Every foreign key and every column the API filters on leads an index, on both engines.

PostgreSQL does not index foreign keys by itself; without these, `school { programs }` and
`program { budgetLines }` scan the whole child table for each batch.
"""

from __future__ import annotations

from tortoise import Tortoise, connections

FILTERED_COLUMNS = {
    "school": {"code", "level", "district", "archived_at"},
    "program": {"code", "category", "status", "fiscal_year", "school_id", "archived_at"},
    "budget_line": {"fiscal_year", "funder", "stage", "program_id", "archived_at"},
    "partner": {"code", "kind", "district"},
    "agreement": {"code", "archived_at"},
    "supplementary_agreement": {"code", "agreement_id", "archived_at"},
    "allocation": {"supplementary_agreement_id", "program_id", "fiscal_year", "archived_at"},
    "allocation_share": {"allocation_id", "funder"},
    "change_event": {"record_type"},  # history(recordId:)
    "sync_issue": {"resolved_at"},
    "sync_conflict": {"resolved_at"},
}

PG_LEADING = """
SELECT a.attname AS column FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
WHERE t.relname = $1
"""


async def leading_columns(table: str) -> set[str]:
    """The first column of every index on `table` (unique constraints and primary keys included)."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        return {row["column"] for row in await connection.execute_query_dict(PG_LEADING, [table])}
    columns = set()
    for index in await connection.execute_query_dict(f"PRAGMA index_list('{table}')"):
        info = await connection.execute_query_dict(f"PRAGMA index_info('{index['name']}')")
        columns |= {row["name"] for row in info if row["seqno"] == 0}
    return columns


def foreign_keys() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for model in Tortoise.apps["models"].values():
        for name in model._meta.fk_fields:
            field = model._meta.fields_map[name]
            found.setdefault(model._meta.db_table, set()).add(field.source_field or f"{name}_id")
    return found


async def test_every_foreign_key_leads_an_index(db: str) -> None:
    keys = foreign_keys()
    expected = {
        "program": {"school_id"},
        "budget_line": {"program_id"},
        "program_partner": {"program_id", "partner_id"},
        "program_session": {"program_id", "partner_id"},
        "supplementary_agreement": {"agreement_id"},
        "allocation": {"supplementary_agreement_id", "program_id"},
        "allocation_share": {"allocation_id"},
    }
    assert keys == expected  # a new one joins this test
    for table, columns in keys.items():
        assert columns <= await leading_columns(table), table


async def test_every_filtered_column_leads_an_index(db: str) -> None:
    for table, columns in FILTERED_COLUMNS.items():
        missing = columns - await leading_columns(table)
        assert not missing, f"{table}: no index on {sorted(missing)}"
