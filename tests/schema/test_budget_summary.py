"""budgetSummary's computation against a Python sum over the same rows."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from models.actor import SYSTEM_ACTOR
from models.budget_line import BudgetLine
from models.partner import ProgramPartner
from models.program import Program
from models.sample_data import load_sample_data
from models.school import School
from models.services import budget_lines
from models.services.write_scope import write_scope
from schema.budget_summary import CITY_WIDE_LABEL, SUMMED, budget_group_rows, compute_budget_summary, sums_for
from schema.enums import BudgetDimension
from schema.filters import BudgetFilter
from tests.schema.schema_kit import WorldFactory


async def _expected(
    group_by: list[BudgetDimension], where: BudgetFilter | None
) -> dict[tuple[Any, ...], list[int]]:
    """The test may loop over rows; the product may not."""
    schools = {s.id: s for s in await School.all()}
    programs = {p.id: p for p in await Program.filter(archived_at=None)}
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    kinds: dict[int, set[str]] = defaultdict(set)
    for link in await ProgramPartner.filter(partner__archived_at=None).prefetch_related("partner"):
        kinds[link.program_id].add(str(link.partner.kind))
    for line in await BudgetLine.filter(archived_at=None):
        program = programs.get(line.program_id)
        if program is None:
            continue
        school = schools.get(program.school_id) if program.school_id else None
        keys = {
            BudgetDimension.SCHOOL: school.code if school else None,
            BudgetDimension.PROGRAM: program.code,
            BudgetDimension.CATEGORY: str(program.category),
            BudgetDimension.FUNDER: str(line.funder),
            BudgetDimension.FISCAL_YEAR: str(line.fiscal_year),
            BudgetDimension.DISTRICT: school.district if school else None,
            BudgetDimension.LEVEL: str(school.level) if school else None,
        }
        if where and where.fiscal_years and line.fiscal_year not in where.fiscal_years:
            continue
        if where and where.districts and keys[BudgetDimension.DISTRICT] not in where.districts:
            continue
        # PARTNER_KIND: once toward every kind of the program's partners, or None (없음).
        options: list[str | None] = [*sorted(kinds[program.id])] or [None]
        for kind in options:
            keys[BudgetDimension.PARTNER_KIND] = kind
            entry = sums[tuple(keys[d] for d in group_by)]
            entry[0] += line.allocated
            entry[1] += line.executed
            entry[2] += 1
            if BudgetDimension.PARTNER_KIND not in group_by:
                break
    return dict(sums)


async def _assert_matches(group_by: list[BudgetDimension], where: BudgetFilter | None = None) -> None:
    groups = await compute_budget_summary(group_by, where)
    actual = {tuple(k.value for k in g.keys): [g.allocated, g.executed, g.line_count] for g in groups}
    assert actual == await _expected(group_by, where), group_by
    for group in groups:
        assert all(isinstance(v, int) for v in (group.allocated, group.executed))
        current = group.allocated + group.carried_in
        assert group.execution_rate == (group.executed / current if current else None)


async def test_every_single_dimension_and_pair_matches_python_sums(make_world: WorldFactory) -> None:
    await make_world(schools_count=6, programs_per_school=2, lines_per_program=3)
    for dimension in BudgetDimension:
        await _assert_matches([dimension])
    for pair in itertools.combinations(BudgetDimension, 2):
        await _assert_matches(list(pair))
    await _assert_matches([])


async def test_filters_and_archived_lines(make_world: WorldFactory) -> None:
    world = await make_world(schools_count=5)
    async with write_scope(SYSTEM_ACTOR) as scope:
        await budget_lines.archive(scope, world.lines[0])
    await _assert_matches(
        [BudgetDimension.FUNDER, BudgetDimension.DISTRICT], BudgetFilter(fiscal_years=[2025])
    )
    await _assert_matches([BudgetDimension.LEVEL], BudgetFilter(districts=["미사", "위례"]))
    total = (await compute_budget_summary([]))[0]
    assert total.allocated == sum(line.allocated for line in world.lines[1:])


async def test_keys_carry_korean_labels_and_city_wide_sorts_last(make_world: WorldFactory) -> None:
    await make_world(schools_count=3)
    groups = await compute_budget_summary([BudgetDimension.SCHOOL, BudgetDimension.FUNDER])
    assert groups[-1].keys[0].value is None
    assert groups[-1].keys[0].label == CITY_WIDE_LABEL
    funder_labels = {g.keys[1].label for g in groups}
    assert funder_labels <= {"하남시", "교육지원청", "경기도교육청", "기타"}
    assert groups[0].school_name == "하남S0학교"


async def test_amounts_beyond_32_bits_stay_exact(make_world: WorldFactory) -> None:
    world = await make_world(schools_count=2, lines_per_program=2)
    total = (await compute_budget_summary([]))[0]
    assert total.allocated == sum(line.allocated for line in world.lines)
    assert total.allocated > 2**31


async def test_stage_figures_sum_per_group_over_the_sample_with_its_carry_overs(db: str) -> None:
    # The sample settles some 2025 lines (carrying their 이월액 into 2026) and records 이월액 on others.
    await load_sample_data()
    lines = await BudgetLine.filter(archived_at=None, program__archived_at=None)
    groups = await compute_budget_summary([BudgetDimension.FISCAL_YEAR])
    assert len(groups) >= 2
    for group in groups:
        year = [line for line in lines if str(line.fiscal_year) == group.keys[0].value]
        for name in ("allocated", "executed", "disbursed", "carried_in", "carried_out", "unused"):
            assert getattr(group, name) == sum(getattr(line, name) for line in year), (group.keys, name)
        assert group.budget_current == group.allocated + group.carried_in
        # 집행률 over 예산현액: carried-in money is spent from this year's lines.
        assert group.execution_rate == group.executed / group.budget_current
    # Only a settled line has carried its 이월액 into next year; an open one has only recorded it.
    settled = sum(line.carried_out for line in lines if line.fiscal_year == 2025 and line.stage == "SETTLED")
    carried_in = {g.keys[0].value: g.carried_in for g in groups}
    assert carried_in.get("2026") == settled
    assert sum(g.carried_out for g in groups) > 0


def test_sums_for_names_only_the_columns_an_answer_needs_in_summed_order() -> None:
    assert sums_for(None) == SUMMED
    assert sums_for(frozenset({"unused", "allocated"})) == ("allocated", "unused")
    assert sums_for(frozenset({"execution_rate"})) == ("allocated", "executed", "carried_in")
    assert sums_for(frozenset({"budget_current", "school_name"})) == ("allocated", "carried_in")
    assert sums_for(frozenset({"line_count"})) == ()


async def test_a_partial_answer_has_the_full_answers_figures_and_no_made_up_others(
    make_world: WorldFactory,
) -> None:
    await make_world(schools_count=4)
    full = await budget_group_rows([BudgetDimension.FUNDER])
    part = await budget_group_rows([BudgetDimension.FUNDER], None, frozenset({"allocated", "line_count"}))
    assert [g["keys"] for g in part] == [g["keys"] for g in full]
    for whole, partial in zip(full, part, strict=True):
        assert (partial["allocated"], partial["line_count"]) == (whole["allocated"], whole["line_count"])
        assert not {"executed", "budget_current", "execution_rate"} & partial.keys()
    counted = await budget_group_rows([BudgetDimension.FUNDER], None, frozenset({"line_count"}))
    assert [g["line_count"] for g in counted] == [g["line_count"] for g in full]
    rated = await budget_group_rows([], None, frozenset({"execution_rate"}))
    assert rated[0]["execution_rate"] == (await budget_group_rows([]))[0]["execution_rate"]
    assert "unused" not in rated[0]
    # Money alone by a line column: nothing counted (every group has a line), the same groups.
    money = await budget_group_rows([BudgetDimension.FUNDER], None, frozenset({"allocated"}))
    assert [(g["keys"], g["allocated"]) for g in money] == [(g["keys"], g["allocated"]) for g in full]
    assert all("line_count" not in g for g in money)
    keys_only = await budget_group_rows([BudgetDimension.FUNDER], None, frozenset())
    assert [g["keys"] for g in keys_only] == [g["keys"] for g in full]


async def test_a_grand_total_of_no_lines_is_no_group_whatever_it_reads(db: str) -> None:
    for fields in (None, frozenset({"allocated"}), frozenset({"line_count"})):
        assert await budget_group_rows([], None, fields) == []


async def test_lines_of_an_archived_program_are_left_out_grouped_by_a_line_column_or_not(
    make_world: WorldFactory,
) -> None:
    # A program is archived only once its lines are; a row archived outside the services (by hand
    # in the database) must still drop out of every figure, joined or not.
    world = await make_world(schools_count=3)
    gone = world.programs[0]
    await Program.filter(id=gone.id).update(archived_at=datetime.now(UTC))
    kept = [line for line in world.lines if line.program_id != gone.id]
    for group_by in ([], [BudgetDimension.FUNDER], [BudgetDimension.SCHOOL]):
        groups = await budget_group_rows(group_by)
        assert sum(g["allocated"] for g in groups) == sum(line.allocated for line in kept), group_by
        assert sum(g["line_count"] for g in groups) == len(kept), group_by
    await _assert_matches([BudgetDimension.FUNDER, BudgetDimension.FISCAL_YEAR])
