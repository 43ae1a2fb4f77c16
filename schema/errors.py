"""Errors the API shows to callers, and the rule deciding which errors get masked.

ClientError            a request the caller can fix (bad cursor, page too large, bad id)
 ├── Forbidden         the viewer's role may not read or write this
 └── (Won parse errors are ClientErrors too, raised while reading variables)

Business rule failures never become GraphQL errors: mutations return them as `userErrors`.
Anything else raised while resolving is a bug and is masked as "Unexpected error." (logged).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.extensions import MaskErrors
from strawberry.relay.types import GlobalIDValueError

from schema.scalars import WonValueError

UNEXPECTED_ERROR_MESSAGE = "Unexpected error."


class ClientError(StrawberryGraphQLError):
    """An error the caller caused and can fix; its message and `extensions.code` reach the caller."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(message, extensions={"code": self.code, **(extensions or {})})


class Forbidden(ClientError):
    """The viewer's role does not allow this field."""

    code = "FORBIDDEN"


# Errors whose text is written for callers; everything else is masked.
PUBLIC_ERRORS: tuple[type[BaseException], ...] = (ClientError, GlobalIDValueError, WonValueError)


def should_mask_error(error: GraphQLError) -> bool:
    """Mask resolver crashes; keep parse, validation, permission and input errors readable."""
    original = error.original_error
    if original is None or isinstance(original, PUBLIC_ERRORS):
        return False
    # graphql-core wraps a GraphQLError raised in a resolver; those are written for callers too.
    return not isinstance(original, GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """strawberry's MaskErrors, with `should_mask_error` and UNEXPECTED_ERROR_MESSAGE.

    Its result check is `isinstance` against a runtime-checkable Protocol, which walks the
    Protocol's members on every call: about 20 µs a request, a thirtieth of a cold one. An
    attribute read decides the same (the Protocol's one member is `errors`).
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask_error, error_message=UNEXPECTED_ERROR_MESSAGE)

    def _process_result(self, result: object) -> None:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]
