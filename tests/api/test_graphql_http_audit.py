"""graphql-http's audit of the GraphQL over HTTP spec passes in full (61 of 61), run by Node.

scripts/test installs the audit (npm `graphql-http`) into tests/.npm; the server is the real
app under uvicorn.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

from api.app import create_app
from tests.api.api_kit import make_settings, serving

HERE = Path(__file__).resolve().parent
MODULES = HERE.parent / ".npm" / "node_modules"


async def test_the_graphql_over_http_audit_passes_every_check(db: str) -> None:
    node = shutil.which("node")
    assert node, "Node is installed by scripts/test"
    assert (MODULES / "graphql-http").is_dir(), "scripts/test installs graphql-http into tests/.npm"
    app = create_app(make_settings(db), manage_database=False)
    async with serving(app) as url:
        process = await asyncio.create_subprocess_exec(
            node,
            str(HERE / "graphql_http_audit.cjs"),
            f"{url}/graphql",
            env={**os.environ, "NODE_PATH": str(MODULES)},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    counts = json.loads(out.decode().strip().splitlines()[-1])
    assert counts["failed"] == [] and counts["ok"] == 61, counts
