"""`eduhub budget close-year` in words and a table staff read (rich measures Korean as wide)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from models.enums import FUNDER_LABELS
from models.services.year_closing import ClosingPlan


def _won(amount: int) -> str:
    return f"{amount:,}"


def table(plan: ClosingPlan) -> Table:
    """One row per line the closing settles, with the next year's line it carries into."""
    grid = Table(title=f"{plan.fiscal_year}년도 마감", show_lines=False)
    for header in (
        "ID",
        "사업코드",
        "재원",
        "예산현액",
        "집행액",
        "이월액",
        "불용액",
        f"{plan.fiscal_year + 1}년도 예산",
    ):
        grid.add_column(header, justify="right" if header not in ("사업코드", "재원") else "left")
    seen: set[tuple[str, str]] = set()
    for step in plan.steps:
        key = (step.program_code, str(step.funder))
        if not step.carried:
            target = "-"
        elif step.next_line_id is not None:
            target = f"ID {step.next_line_id}에 더함"
        else:
            target = "새로 만듦" if key not in seen else "새 예산에 더함"
            seen.add(key)
        grid.add_row(
            str(step.line_id),
            step.program_code,
            FUNDER_LABELS[step.funder],
            _won(step.budget_current),
            _won(step.executed),
            _won(step.carried),
            _won(step.unused),
            target,
        )
    return grid


def summary(plan: ClosingPlan, *, dry_run: bool) -> str:
    figures = (
        f"예산 {len(plan.steps)}건 정산, 이월 {_won(plan.total_carried)}원, "
        f"불용 {_won(plan.total_unused)}원, {plan.fiscal_year + 1}년도 예산 {plan.lines_created}건 생성"
    )
    if plan.already_settled:
        figures += f" (이미 정산된 예산 {plan.already_settled}건은 그대로)"
    if dry_run:
        return f"{plan.fiscal_year}년도 마감 미리보기: {figures}. 아무것도 쓰지 않았습니다."
    return f"{plan.fiscal_year}년도 마감 완료: {figures}."


def show(plan: ClosingPlan, *, dry_run: bool, console: Console | None = None) -> None:
    out = console or Console(width=120)
    if plan.steps:
        out.print(table(plan))
    out.print(summary(plan, dry_run=dry_run), markup=False, soft_wrap=True)  # one line, for scripts too
