"""The test-facing control endpoint under ``/__emulator/``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .emulator import Emulator


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
        spec = await request.json()
        emulator.faults.inject(
            spec["kind"],
            rate=float(spec.get("rate", 1.0)),
            count=spec.get("count"),
            status=int(spec.get("status", 503)),
            delay=float(spec.get("delay", 0.0)),
            method=spec.get("method"),
            stage=spec.get("stage", "before"),
        )
        return JSONResponse({"ok": True})
    if action == "faults" and request.method == "DELETE":
        emulator.faults.clear()
        return JSONResponse({"ok": True})
    return JSONResponse({"error": "unknown control action"}, status_code=404)
