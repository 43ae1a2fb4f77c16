"""A plain HTML page for people: list spreadsheets, view a tab as a table and edit cells.

Edits go through the same store as the API (typed as USER_ENTERED, Drive version bumped), so
the offline demo can show a change made here arriving in the sync worker.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from . import a1, grid, values
from .emulator import Emulator

_STYLE = """
body{font-family:system-ui,'Noto Sans KR',sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:0}
th{background:#f3f3f3;padding:.2rem .5rem;font-weight:normal}
input{border:0;padding:.25rem .4rem;width:9rem;font:inherit}nav a{margin-right:1rem}
"""


def _layout(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )


async def index(request: Request) -> Response:
    emulator: Emulator = request.app.state.emulator
    with emulator.store.lock:
        items = "".join(
            f"<li><a href='/sheets/{quote(s.id)}'>{escape(s.title)}</a> "
            f"<small>(버전 {s.version}, 탭 {len(s.sheets)}개)</small></li>"
            for s in emulator.store
        )
    body = "<h1>구글 시트 에뮬레이터</h1><p>로컬에서 실행 중인 Google Sheets API 대체 서버입니다.</p>"
    return _layout(
        "구글 시트 에뮬레이터", body + (f"<ul>{items}</ul>" if items else "<p>스프레드시트가 없습니다.</p>")
    )


async def sheet_view(request: Request) -> Response:
    emulator: Emulator = request.app.state.emulator
    key = request.path_params["key"]
    with emulator.store.lock:
        spreadsheet = emulator.store.get(key)
        if spreadsheet is None:
            return _layout("없음", "<p>스프레드시트를 찾을 수 없습니다.</p>")
        tab = request.query_params.get("tab") or spreadsheet.sheets[0].title
        sheet = spreadsheet.sheet_by_title(tab) or spreadsheet.sheets[0]
        used_rows = max((r for r, _ in sheet.cells), default=-1) + 1
        used_cols = max((c for _, c in sheet.cells), default=-1) + 1
        rows, cols = min(sheet.row_count, used_rows + 3), min(sheet.column_count, max(used_cols + 1, 6))
        evaluator = grid.Evaluator(spreadsheet)
        nav = "".join(f"<a href='?tab={quote(s.title)}'>{escape(s.title)}</a>" for s in spreadsheet.sheets)
        header = "<tr><th></th>" + "".join(f"<th>{a1.column_letters(c)}</th>" for c in range(cols)) + "</tr>"
        lines = []
        for r in range(rows):
            cells = []
            for c in range(cols):
                cell = sheet.cell(r, c)
                shown = values.render(cell, evaluator.value(sheet, r, c), values.FORMULA, values.SERIAL)
                text = (
                    values.formatted(cell, evaluator.value(sheet, r, c))
                    if not isinstance(shown, str)
                    else shown
                )
                cells.append(
                    f"<td><input name='{a1.cell_name(r, c)}' value='{escape(str(text), quote=True)}'></td>"
                )
            lines.append(f"<tr><th>{r + 1}</th>{''.join(cells)}</tr>")
        title = escape(spreadsheet.title)
        version = spreadsheet.version
    form = (
        f"<form method='post' action='/sheets/{quote(key)}/edit?tab={quote(sheet.title)}'>"
        f"<table>{header}{''.join(lines)}</table><p><button type='submit'>저장</button></p></form>"
    )
    body = f"<p><a href='/'>← 목록</a></p><h1>{title}</h1><p>Drive 버전 {version}</p><nav>{nav}</nav>{form}"
    return _layout(spreadsheet.title, body)


async def sheet_edit(request: Request) -> Response:
    """Save changed cells only, each typed as a person would type it (USER_ENTERED)."""
    emulator: Emulator = request.app.state.emulator
    key = request.path_params["key"]
    tab = request.query_params.get("tab", "")
    # Parsed by hand: the form is urlencoded and python-multipart is not a dependency.
    form = parse_qs((await request.body()).decode(), keep_blank_values=True)
    with emulator.store.lock:
        spreadsheet = emulator.store.get(key)
        sheet = spreadsheet.sheet_by_title(tab) if spreadsheet else None
        if spreadsheet is None or sheet is None:
            return _layout("없음", "<p>스프레드시트를 찾을 수 없습니다.</p>")
        evaluator = grid.Evaluator(spreadsheet)
        for name, submitted in ((k, v[-1]) for k, v in form.items()):
            bounds = a1.parse_cells(name)
            if bounds is None or bounds.start_row is None or bounds.start_col is None:
                continue
            r, c = bounds.start_row, bounds.start_col
            cell = sheet.cell(r, c)
            shown = values.render(cell, evaluator.value(sheet, r, c), values.FORMULA, values.SERIAL)
            current = (
                values.formatted(cell, evaluator.value(sheet, r, c)) if not isinstance(shown, str) else shown
            )
            if str(submitted) != current:
                emulator.set_cell(key, sheet.title, r, c, str(submitted))
    return RedirectResponse(f"/sheets/{quote(key)}?tab={quote(tab)}", status_code=303)


def routes() -> list[Route]:
    """The page's routes (mounted before the API catch-all)."""
    return [
        Route("/", index, methods=["GET"]),
        Route("/sheets/{key}", sheet_view, methods=["GET"]),
        Route("/sheets/{key}/edit", sheet_edit, methods=["POST"]),
    ]
