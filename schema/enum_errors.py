"""A Korean explanation beside graphql-core's error for a value no enum has.

A wrong 단계 or 재원 typed into a client's form reaches us as a literal or a variable that
graphql-core refuses before any resolver runs ("Value 'FINISHED' does not exist in 'BudgetStage'
enum."). That English sentence is for the client's developer; the person who typed the value
needs to read what went wrong and what the choices are. So the error keeps its message and
gains `extensions.code` BAD_USER_INPUT and `extensions.koreanMessage`, e.g.
"단계 'FINISHED'은(는) 없는 값입니다. PLANNED(계획), AGREED(확정), ... 중 하나여야 합니다."
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

from models.enums import (
    BUDGET_STAGE_LABELS,
    FUNDER_LABELS,
    PARTNER_KIND_LABELS,
    PROGRAM_CATEGORY_LABELS,
    PROGRAM_STATUS_LABELS,
    SCHOOL_LEVEL_LABELS,
)

# graphql-core's wordings (3.2), for literals and variables alike: a name no member has, and a
# string or number where a member's name belongs (`stage: "계획"`, `level: 3`).
_NO_SUCH_VALUE = (
    re.compile(r"Value '(?P<value>[^']*)' does not exist in '(?P<enum>\w+)' enum"),
    re.compile(r"Enum '(?P<enum>\w+)' cannot represent non-(?:enum|string) value: (?P<value>.*?)\.(?: |$)"),
)

# The enums people fill in, by their GraphQL names: what the field is called and its choices.
_CHOICES: Mapping[str, tuple[str, Mapping[Any, str]]] = {  # keys: each enum's members
    "BudgetStage": ("단계", BUDGET_STAGE_LABELS),
    "Funder": ("재원", FUNDER_LABELS),
    "SchoolLevel": ("학교급", SCHOOL_LEVEL_LABELS),
    "ProgramCategory": ("사업 유형", PROGRAM_CATEGORY_LABELS),
    "ProgramStatus": ("상태", PROGRAM_STATUS_LABELS),
    "PartnerKind": ("교육자원 유형", PARTNER_KIND_LABELS),
}


def korean_message(error: GraphQLError) -> str | None:
    """The Korean explanation of `error` if it is a value no enum of ours has, else None."""
    found = next((m for pattern in _NO_SUCH_VALUE if (m := pattern.search(error.message))), None)
    if found is None or found["enum"] not in _CHOICES:
        return None
    field, labels = _CHOICES[found["enum"]]
    value = found["value"].strip('"')
    choices = ", ".join(f"{member.name}({label})" for member, label in labels.items())
    return f"{field} '{value}'은(는) 없는 값입니다. {choices} 중 하나여야 합니다."


def explain_in_korean(error: GraphQLError) -> None:
    """Add the Korean explanation to `error` in place (idempotent: cached errors come again)."""
    message = korean_message(error)
    if message is not None:
        error.extensions = {"code": "BAD_USER_INPUT", **(error.extensions or {}), "koreanMessage": message}
