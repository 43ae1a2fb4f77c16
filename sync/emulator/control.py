"""The test-facing control endpoint under ``/__emulator/``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import fault_spec
from .emulator import Emulator
from .fault_spec import FaultSpecError


async def control(request: Request) -> Response:
    """Test-facing HTTP control under ``/__emulator/``: reset, faults, request log."""
    emulator: Emulator = request.app.state.emulator
    action = request.path_params["action"]
    if action == "reset" and request.method == "POST":
        emulator.reset()
        return JSONResponse({"ok": True})
    if action == "log":
        return JSONResponse(
            {
                "counts": dict(emulator.request_counts()),
                "total": len(emulator.request_log),
                "holding": emulator.faults.holding(),
            }
        )
    if action == "faults" and request.method == "POST":
        try:
            spec = await request.json()
            if not isinstance(spec, dict):
                raise FaultSpecError("a fault rule is a JSON object")
            rule = fault_spec.checked(spec)
        except ValueError as error:  # bad JSON or a bad rule: nothing is injected
            return JSONResponse({"error": str(error)}, status_code=400)
        emulator.faults.inject(**rule)
        return JSONResponse({"ok": True})
    if action == "faults" and request.method == "DELETE":
        emulator.faults.clear()
        return JSONResponse({"ok": True})
    return JSONResponse({"error": "unknown control action"}, status_code=404)
