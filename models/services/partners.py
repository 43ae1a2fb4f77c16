"""The partner family (교육자원): unique codes, a known kind, public contact points only.

A partner names no other record and nothing keeps it from being archived: its program links
stay (with their roles) and show again when it is restored.
"""

from __future__ import annotations

import re
from typing import TypedDict

from models.enums import PartnerKind, RecordType
from models.errors import ErrorCode, UserError
from models.partner import Partner
from models.services import validation
from models.services.family import Family, Values
from models.services.record_values import partner_values

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


def _contact(
    field: str, value: str, *, max_length: int, pattern: re.Pattern[str], what: str
) -> list[UserError]:
    errors = validation.text(field, value, max_length=max_length, required=False)
    if not errors and value and not pattern.match(value):
        errors.append(UserError(field, f"{what} 형식이 올바르지 않습니다.", ErrorCode.INVALID))
    return errors


class Partners(Family[Partner, PartnerFields]):
    model, record_type, code_label = Partner, RecordType.PARTNER, "기관코드"
    required = ("code", "name", "kind")

    async def validate(self, fields: PartnerFields, current: Partner | None) -> list[UserError]:
        errors: list[UserError] = []
        if "code" in fields:
            previous = current.code if current else None
            errors += await validation.unique_code(
                Partner, fields["code"], current=previous, max_length=30, label="기관코드"
            )
        if "name" in fields:
            errors += validation.text("name", fields["name"], max_length=100)
        if "kind" in fields:
            errors += _kind(fields["kind"])
        if "district" in fields:
            errors += validation.text("district", fields["district"], max_length=30, required=False)
        if "phone" in fields:
            errors += _contact("phone", fields["phone"], max_length=30, pattern=PHONE, what="전화번호")
        if "email" in fields:
            errors += _contact("email", fields["email"], max_length=100, pattern=EMAIL, what="이메일")
        if "homepage" in fields:
            errors += _contact(
                "homepage",
                fields["homepage"],
                max_length=200,
                pattern=HOMEPAGE,
                what="홈페이지 주소(http:// 또는 https://)",
            )
        return errors

    def values(self, partner: Partner, reference_code: str | None) -> Values:
        return partner_values(partner)  # a partner names no other record


PARTNERS = Partners()
create, update, archive, restore = PARTNERS.create, PARTNERS.update, PARTNERS.archive, PARTNERS.restore
