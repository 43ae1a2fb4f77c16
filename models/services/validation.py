"""Field rules shared by every record type; messages are Korean because people read them."""

from __future__ import annotations

import re
from collections.abc import Mapping

from tortoise.models import Model

from models.errors import ErrorCode, UserError, ValidationFailed

# GraphQL clients read Won as a JSON number, exact only up to 2^53.
MAX_WON = 2**53 - 1
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# U+0000 (PostgreSQL refuses it in text) and unpaired surrogates (not encodable as UTF-8):
# refused on every engine alike, so a value never lands on SQLite and fails on PostgreSQL.
UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")
MIN_FISCAL_YEAR = 2000
MAX_FISCAL_YEAR = 2100


def text(field: str, value: str, *, max_length: int, required: bool = True) -> list[UserError]:
    if required and not value.strip():
        return [UserError(field, "값을 입력해야 합니다.", ErrorCode.REQUIRED)]
    if len(value) > max_length:
        return [UserError(field, f"{max_length}자 이하로 입력해야 합니다.", ErrorCode.TOO_LONG)]
    if UNSTORABLE_TEXT.search(value):
        return [UserError(field, "저장할 수 없는 문자(U+0000 등)가 들어 있습니다.", ErrorCode.INVALID)]
    return []


def code(field: str, value: str, *, max_length: int) -> list[UserError]:
    errors = text(field, value, max_length=max_length)
    if not errors and not CODE_PATTERN.match(value):
        errors.append(UserError(field, "코드는 영문, 숫자, '-', '_'만 쓸 수 있습니다.", ErrorCode.INVALID))
    return errors


async def unique_code(
    model: type[Model], value: str, *, current: str | None, max_length: int, label: str
) -> list[UserError]:
    """A well-formed `code` no other record of `model` has (archived ones too: codes are never reused)."""
    errors = code("code", value, max_length=max_length)
    if not errors and value != current and await model.exists(code=value):
        errors.append(duplicate_code(label, value))
    return errors


def duplicate_code(label: str, value: str) -> UserError:
    return UserError("code", f"{label} '{value}'는 이미 있습니다.", ErrorCode.DUPLICATE_CODE)


def won(field: str, value: int) -> list[UserError]:
    if value < 0:
        return [UserError(field, "금액은 0원 이상이어야 합니다.", ErrorCode.NEGATIVE_AMOUNT)]
    if value > MAX_WON:
        return [UserError(field, "금액이 너무 큽니다.", ErrorCode.OUT_OF_RANGE)]
    return []


def count(field: str, value: int, *, maximum: int) -> list[UserError]:
    if value < 0 or value > maximum:
        return [UserError(field, f"0 이상 {maximum:,} 이하여야 합니다.", ErrorCode.OUT_OF_RANGE)]
    return []


def fiscal_year(field: str, value: int) -> list[UserError]:
    if not MIN_FISCAL_YEAR <= value <= MAX_FISCAL_YEAR:
        return [
            UserError(
                field, f"연도는 {MIN_FISCAL_YEAR}~{MAX_FISCAL_YEAR} 사이여야 합니다.", ErrorCode.OUT_OF_RANGE
            )
        ]
    return []


def required(fields: Mapping[str, object], names: tuple[str, ...]) -> list[UserError]:
    return [
        UserError(name, "값을 입력해야 합니다.", ErrorCode.REQUIRED) for name in names if name not in fields
    ]


def raise_if_any(errors: list[UserError]) -> None:
    if errors:
        raise ValidationFailed(errors)
