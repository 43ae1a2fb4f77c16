"""Each query text is parsed and validated once per schema; limits and their errors still hold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from graphql import parse
from strawberry.schema.schema import validate_document

from api.settings import Settings
from schema import document_cache
from schema.root import build_schema

DEEP = (
    "query Deep { schools { nodes { programs { school { programs { school { programs { code } "
    + "} } } } } } }"
)


def _counting(calls: Counter[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    return counted


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counts: Counter[str] = Counter()
    monkeypatch.setattr(document_cache, "parse", _counting(counts, "parse", parse))
    monkeypatch.setattr(document_cache, "validate_document", _counting(counts, "validate", validate_document))
    return counts


async def test_two_identical_queries_are_parsed_and_validated_once(calls: Counter[str]) -> None:
    schema = build_schema(Settings(_env_file=None))
    for _ in range(2):
        result = await schema.execute("query Name { __typename }")
        assert result.errors is None and result.data == {"__typename": "Query"}
    assert calls == {"parse": 1, "validate": 1}


async def test_a_cached_limit_error_is_reported_every_time(calls: Counter[str]) -> None:
    schema = build_schema(Settings(_env_file=None, max_query_depth=4))
    messages = []
    for _ in range(2):
        result = await schema.execute(DEEP)
        assert result.errors is not None and result.data is None
        messages.append([error.message for error in result.errors])
    assert messages[0] == messages[1] and "exceeds maximum operation depth" in messages[0][0]
    assert calls == {"parse": 1, "validate": 1}


async def test_schemas_with_other_limits_keep_their_own_results(calls: Counter[str]) -> None:
    strict = build_schema(Settings(_env_file=None, max_query_depth=4))
    lenient = build_schema(Settings(_env_file=None, max_query_depth=20))
    assert (await strict.execute(DEEP)).errors
    errors = (await lenient.execute(DEEP)).errors or []
    assert not any("depth" in error.message for error in errors)


async def test_long_texts_are_not_kept(calls: Counter[str]) -> None:
    schema = build_schema(Settings(_env_file=None))
    padded = "query Name { __typename }" + " " * document_cache.MAX_CACHED_TEXT
    for _ in range(2):
        assert (await schema.execute(padded)).errors is None
    assert calls == {}  # strawberry's own parse and validation ran, uncached
