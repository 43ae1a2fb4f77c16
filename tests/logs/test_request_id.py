"""Request ids: a caller's sane id is kept, anything else replaced; records carry the bound id."""

from __future__ import annotations

import logging

import pytest

from logs.request_id import RequestIdFilter, accepted, bound, current


@pytest.mark.parametrize("offered", ["abc-123", "7f3a.e2_9", "A" * 64])
def test_a_sane_id_is_kept(offered: str) -> None:
    assert accepted(offered) == offered


@pytest.mark.parametrize(
    "offered", [None, "", "A" * 65, "two words", "line\nforged", '{"level": "ERROR"}', "한글"]
)
def test_anything_else_gets_a_fresh_id(offered: str | None) -> None:
    fresh = accepted(offered)
    assert fresh != offered and len(fresh) == 32 and int(fresh, 16) >= 0


def test_records_carry_the_bound_id_and_none_outside() -> None:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "m", None, None)
    with bound("outer"):
        with bound("inner"):
            RequestIdFilter().filter(record)
            assert getattr(record, "request_id") == "inner"  # noqa: B009 - set by the filter
        assert current() == "outer"
    RequestIdFilter().filter(record)
    assert getattr(record, "request_id") is None  # noqa: B009
