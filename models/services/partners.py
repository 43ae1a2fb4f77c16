"""The partner family (교육자원): unique codes, a known kind, public contact points only.

A partner names no other record and nothing keeps it from being archived: its program links
stay (with their roles) and show again when it is restored.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

from models.enums import PartnerKind, RecordType
from models.errors import ErrorCode, UserError
from models.partner import Partner
from models.services import program_sessions, validation
from models.services.family import Family, Values
from models.services.record_values import partner_values
from models.services.write_scope import WriteScope

# Loose on purpose: the organisation's main number as people write it (031-790-6114, +82 ...).
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,28}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HOMEPAGE = re.compile(r"^https?://\S+$")
KINDS = "대학, 기업, 마을, 기관, 기타"


class PartnerFields(TypedDict, total=False):
    code: str
    name: str
    kind: PartnerKind
    district: str
    phone: str
    email: str
    homepage: str


async def get_by_code(code: str) -> Partner | None:
    return await Partner.get_or_none(code=code)


def _kind(value: object) -> list[UserError]:
    try:
        PartnerKind(str(value))
    except ValueError:
        return [UserError("kind", f"유형은 {KINDS} 중 하나여야 합니다.", ErrorCode.INVALID)]
    return []


# Text fields after code and kind, in the order errors are reported: (max length, required,
# the form a non-blank value must have and what the message calls it).
TEXT_RULES: dict[str, tuple[int, bool, re.Pattern[str] | None, str]] = {
    "name": (100, True, None, ""),
    "district": (30, False, None, ""),
    "phone": (30, False, PHONE, "전화번호"),
    "email": (100, False, EMAIL, "이메일"),
    "homepage": (200, False, HOMEPAGE, "홈페이지 주소(http:// 또는 https://)"),
}


def _text(field: str, value: str) -> list[UserError]:
    max_length, required, pattern, what = TEXT_RULES[field]
    errors = validation.text(field, value, max_length=max_length, required=required)
    if not errors and value and pattern is not None and not pattern.match(value):
        errors.append(UserError(field, f"{what} 형식이 올바르지 않습니다.", ErrorCode.INVALID))
    return errors


class Partners(Family[Partner, PartnerFields]):
    model, record_type, code_label = Partner, RecordType.PARTNER, "기관코드"
    required = ("code", "name", "kind")

    async def validate(self, fields: PartnerFields, current: Partner | None) -> list[UserError]:
        given: dict[str, Any] = dict(fields)
        errors: list[UserError] = []
        if "code" in given:
            errors += await validation.unique_code(
                Partner,
                given["code"],
                current=current.code if current else None,
                max_length=30,
                label="기관코드",
            )
        errors += _kind(given["kind"]) if "kind" in given else []
        for field in TEXT_RULES:
            errors += _text(field, given[field]) if field in given else []
        return errors

    def values(self, partner: Partner, reference_code: str | None) -> Values:
        return partner_values(partner)  # a partner names no other record

    async def renamed(self, scope: WriteScope, record_id: int, old: str, new: str) -> None:
        await program_sessions.partner_renamed(scope, record_id, old, new)  # sessions show its code


PARTNERS = Partners()
create, update, archive, restore = PARTNERS.create, PARTNERS.update, PARTNERS.archive, PARTNERS.restore
