# mypy: disable-error-code="untyped-decorator"
"""A summary that needs a token is refused to anonymous callers by the report exactly as by the API.

Every summary on offer today is public; the rule is proven on a summary field declared with the
API's own permission class (`CanReadRestricted`) over the real budget computation, added to the
catalog for the test.
"""

from __future__ import annotations

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig

from api.reports import catalog
from api.reports.build import build_report
from api.reports.errors import ReportForbidden
from api.settings import Settings
from models.actor import Actor
from models.enums import ActorKind, Role
from schema.budget_summary import BudgetGroup, compute_budget_summary
from schema.enums import BudgetDimension
from schema.filters import BudgetFilter
from schema.permissions import READ_DENIED, CanReadRestricted
from schema.root import EduhubSchema
from schema.scalars import SCALAR_MAP
from tests.api.api_kit import make_settings
from tests.api.reports.report_kit import build_report_world, read_report


@strawberry.type
class RestrictedQuery:
    @strawberry.field(description="Budget groups, for tokens only.", permission_classes=[CanReadRestricted])
    async def restricted_summary(
        self, group_by: list[BudgetDimension], filter: BudgetFilter | None = None
    ) -> list[BudgetGroup]:
        return await compute_budget_summary(group_by, filter)


RESTRICTED = catalog.SummaryReport(
    slug="restricted-summary",
    field="restrictedSummary",
    title="토큰이 있어야 보는 집계",
    file_stem="제한집계",
    ascii_stem="restricted",
    measures=catalog.BUDGET_SUMMARY.measures,
)
PARTNER = Actor(ActorKind.API_TOKEN, "교육지원청 담당자", Role.PARTNER)


@pytest.fixture
def restricted(monkeypatch: pytest.MonkeyPatch, db: str) -> tuple[strawberry.Schema, Settings]:
    monkeypatch.setitem(catalog.REPORTS, RESTRICTED.slug, RESTRICTED)
    # The API's schema class: it logs a caller's refusal as one INFO line, as the real schema does.
    schema = EduhubSchema(query=RestrictedQuery, config=StrawberryConfig(scalar_map=SCALAR_MAP))
    return schema, make_settings(db)


async def test_anonymous_gets_no_file_of_a_summary_it_cannot_query(
    restricted: tuple[strawberry.Schema, Settings],
) -> None:
    await build_report_world()
    schema, settings = restricted
    kwargs = {"slug": RESTRICTED.slug, "group_by": ["FUNDER"], "unit": "천원", "conditions": {}}
    with pytest.raises(ReportForbidden) as refused:
        await build_report(schema, settings, viewer=None, **kwargs)  # type: ignore[arg-type]
    assert refused.value.status == 403 and refused.value.message == READ_DENIED
    allowed = await build_report(schema, settings, viewer=PARTNER, **kwargs)  # type: ignore[arg-type]
    assert read_report(allowed.content).total[:2] == ["합계", 16_568]
