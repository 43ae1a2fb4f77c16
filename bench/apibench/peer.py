"""The hand-written limit: Starlette + asyncpg + orjson answering `bench/api.py`'s cases.

It knows the exact query texts of `bench.apibench.cases` (no GraphQL engine), checks tokens the
way this API does (one SQL statement on the request's connection) and answers the same bytes
this API answers. One pool connection per request; each level of the nested tree is one
statement with an array parameter.

    python -m bench.apibench.peer --dsn postgresql://... --port 9000
"""

from __future__ import annotations

import argparse
import base64
import hashlib
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.apibench import cases
from models.enums import FUNDER_LABELS, Funder

LOOKUP_SQL = (
    "SELECT id, name, role FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > now())"
)
Handler = Callable[[asyncpg.Connection, dict[str, Any], Any], Awaitable[dict[str, Any]]]


async def nested(connection: asyncpg.Connection, variables: dict[str, Any], token: Any) -> dict[str, Any]:
    if token is None:
        raise PermissionError
    limit = int(_literal_first(variables))
    schools = await connection.fetch(
        "SELECT id, code, name FROM school WHERE archived_at IS NULL ORDER BY code, id LIMIT $1", limit
    )
    programs = await connection.fetch(
        "SELECT id, school_id, code, name FROM program WHERE school_id = ANY($1::int[]) "
        "AND archived_at IS NULL ORDER BY code",
        [row["id"] for row in schools],
    )
    lines = await connection.fetch(
        "SELECT program_id, funder, allocated, executed FROM budget_line WHERE program_id = ANY($1::int[]) "
        "AND archived_at IS NULL ORDER BY id",
        [row["id"] for row in programs],
    )
    lines_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        lines_of[line["program_id"]].append(
            {"funder": line["funder"], "allocated": line["allocated"], "executed": line["executed"]}
        )
    programs_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for program in programs:
        programs_of[program["school_id"]].append(
            {"code": program["code"], "name": program["name"], "budgetLines": lines_of[program["id"]]}
        )
    nodes = [{"code": s["code"], "name": s["name"], "programs": programs_of[s["id"]]} for s in schools]
    return {"schools": {"nodes": nodes}}


async def one_school(connection: asyncpg.Connection, variables: dict[str, Any], token: Any) -> dict[str, Any]:
    school = await connection.fetchrow("SELECT id, code, name FROM school WHERE code = $1", variables["code"])
    if school is None:
        return {"school": None}
    programs = await connection.fetch(
        "SELECT code, name, category FROM program WHERE school_id = $1 AND archived_at IS NULL ORDER BY code",
        school["id"],
    )
    listed = [{"code": p["code"], "name": p["name"], "category": p["category"]} for p in programs]
    return {"school": {"code": school["code"], "name": school["name"], "programs": listed}}


def _summary(key: str, label: str | None, labels: Callable[[str], str]) -> Handler:
    select = f"{key}, {label}" if label else key
    sql = (
        f"SELECT {select}, SUM(b.allocated) AS allocated, SUM(b.executed) AS executed "  # noqa: S608 (fixed columns)
        "FROM budget_line b JOIN program p ON p.id = b.program_id "
        f"WHERE b.archived_at IS NULL AND p.archived_at IS NULL GROUP BY {select}"
    )

    async def handler(
        connection: asyncpg.Connection, variables: dict[str, Any], token: Any
    ) -> dict[str, Any]:
        groups = []
        # Sorted by code point, as this API sorts (a collation could order `-` or `_` otherwise).
        for row in sorted(await connection.fetch(sql), key=lambda row: row[0]):
            allocated, executed = int(row["allocated"]), int(row["executed"])
            groups.append(
                {
                    "keys": [{"value": row[0], "label": row[1] if label else labels(row[0])}],
                    "allocated": allocated,
                    "executed": executed,
                    "executionRate": executed / allocated if allocated else None,
                }
            )
        return {"budgetSummary": groups}

    return handler


async def update(connection: asyncpg.Connection, variables: dict[str, Any], token: Any) -> dict[str, Any]:
    if token is None or token["role"] not in ("staff", "admin"):
        raise PermissionError
    data = variables["input"]
    pk = int(base64.b64decode(data["id"]).decode().removeprefix("BudgetLine:"))
    executed = int(data["executed"])
    async with connection.transaction():
        line = await connection.fetchrow(
            "SELECT allocated, executed, note, archived_at FROM budget_line WHERE id = $1 FOR UPDATE", pk
        )
        if line is None or line["archived_at"] is not None or executed > line["allocated"]:
            raise ValueError("the peer answers the success path only")
        if executed != line["executed"]:
            await connection.execute(
                "UPDATE budget_line SET executed = $2, updated_at = now() WHERE id = $1", pk, executed
            )
            await connection.execute(
                "INSERT INTO change_event (occurred_at, record_type, record_id, action, changes, actor_kind, "
                "actor_name) VALUES (now(), 'BUDGET_LINE', $1, 'UPDATE', $2::jsonb, 'API_TOKEN', $3)",
                pk,
                orjson.dumps({"executed": [line["executed"], executed]}).decode(),
                token["name"],
            )
    payload = {"budgetLine": {"executed": executed, "note": line["note"]}, "userErrors": []}
    return {"budgetLineUpdate": payload}


def _literal_first(variables: dict[str, Any]) -> int:
    return int(variables["first"])


def handlers(school_codes: list[str], sizes: list[int]) -> dict[str, tuple[Handler, dict[str, Any]]]:
    """Query text -> (handler, the literal arguments it carries as variables)."""
    table: dict[str, tuple[Handler, dict[str, Any]]] = {
        cases.UPDATE: (update, {}),
        cases.SUMMARY % "PROGRAM": (_summary("p.code", "p.name", str), {}),
        cases.SUMMARY % "FUNDER": (_summary("b.funder", None, lambda raw: FUNDER_LABELS[Funder(raw)]), {}),
    }
    for size in sizes:
        table[cases.NESTED % size] = (nested, {"first": size})
    for code in school_codes:
        table[cases.ONE_SCHOOL % code] = (one_school, {"code": code})
    return table


def create_app(dsn: str, school_codes: list[str], sizes: list[int]) -> Starlette:
    known = handlers(school_codes, sizes)
    state: dict[str, asyncpg.Pool] = {}

    async def graphql(request: Request) -> Response:
        body = orjson.loads(await request.body())
        handler, literals = known[body["query"]]
        variables = {**literals, **(body.get("variables") or {})}
        authorization = request.headers.get("authorization")
        async with state["pool"].acquire() as connection:
            token = None
            if authorization:
                secret = authorization.partition(" ")[2].strip()
                token = await connection.fetchrow(LOOKUP_SQL, hashlib.sha256(secret.encode()).hexdigest())
                if token is None:
                    return Response(b'{"errors":[{"message":"bad token"}]}', status_code=401)
            try:
                data = await handler(connection, variables, token)
            except PermissionError:
                return Response(b'{"errors":[{"message":"forbidden"}]}', status_code=403)
        return Response(orjson.dumps({"data": data}), media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response(b"ok")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Like Tortoise's asyncpg pool: connections are made as needed, up to 10.
        state["pool"] = await asyncpg.create_pool(dsn, min_size=1, max_size=10)
        yield
        await state["pool"].close()

    routes = [Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--schools", required=True, help="comma-separated school codes")
    parser.add_argument("--sizes", default="50,500")
    args = parser.parse_args()
    app = create_app(args.dsn, args.schools.split(","), [int(size) for size in args.sizes.split(",")])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, loop="auto")


if __name__ == "__main__":
    main()
