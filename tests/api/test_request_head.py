"""The headers /graphql decides on, read from the ASGI scope: the first of a repeated one counts."""

from __future__ import annotations

from api.request_head import RequestHead


def test_the_first_of_each_header_counts_and_missing_ones_are_none() -> None:
    scope = {
        "method": "POST",
        "headers": [
            (b"authorization", b"Bearer first"),
            (b"content-type", b"application/json"),
            (b"authorization", b"Bearer second"),
            (b"x-other", b"ignored"),
        ],
    }
    head = RequestHead.of(scope)
    assert head == RequestHead("POST", None, "Bearer first", "application/json", None)


def test_values_are_latin_1_as_http_carries_them() -> None:
    head = RequestHead.of(
        {"method": "GET", "headers": [(b"accept", "text/html; q=0.9 \xe9".encode("latin-1"))]}
    )
    assert head.accept == "text/html; q=0.9 \xe9" and head.method == "GET"
