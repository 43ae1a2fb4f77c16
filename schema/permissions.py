"""Who may read and write what, as strawberry permission classes plus a check for `node(id:)`.

Anonymous callers read schools, programs and aggregate figures. Budget lines, history and sync
bookkeeping need a token (partner, staff or admin). Writes need staff or admin.
"""

from __future__ import annotations

from typing import Any

from strawberry import Info
from strawberry.permission import BasePermission

from models.actor import Actor
from models.enums import Role
from schema.errors import Forbidden

READ_ROLES = frozenset({Role.PARTNER, Role.STAFF, Role.ADMIN})
WRITE_ROLES = frozenset({Role.STAFF, Role.ADMIN})
READ_DENIED = "이 정보는 API 토큰(파트너·직원·관리자)이 있어야 볼 수 있습니다."
WRITE_DENIED = "수정 권한이 없습니다. 직원 또는 관리자 토큰이 필요합니다."
ADMIN_DENIED = "관리자 토큰이 있어야 할 수 있는 작업입니다."


def viewer_of(info: Info[Any, Any]) -> Actor | None:
    viewer: Actor | None = info.context.viewer
    return viewer


def can_read_restricted(viewer: Actor | None) -> bool:
    return viewer is not None and viewer.role in READ_ROLES


def can_write(viewer: Actor | None) -> bool:
    return viewer is not None and viewer.role in WRITE_ROLES


def access_of(viewer: Actor | None) -> tuple[bool, ...]:
    """Every rule above for `viewer`: viewers with equal access get equal answers.

    Identical subscriptions share one execution among viewers of equal access
    (`schema.live.shared_streams`); a rule on the viewer that is not in this tuple would leak.
    """
    return (can_read_restricted(viewer), can_write(viewer))


class CanReadRestricted(BasePermission):
    """Budget lines, history and sync bookkeeping: any valid token."""

    message = READ_DENIED
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return can_read_restricted(viewer_of(info))


class CanWrite(BasePermission):
    """Mutations: staff and admin tokens."""

    message = WRITE_DENIED
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return can_write(viewer_of(info))


class CanAdmin(BasePermission):
    """Whole-cycle operations (a sync revert): admin tokens only.

    Not in `access_of`: no shared subscription stream is admin-only.
    """

    message = ADMIN_DENIED
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        viewer = viewer_of(info)
        return viewer is not None and viewer.role is Role.ADMIN


def require_restricted_read(info: Info[Any, Any]) -> None:
    """The same rule as `CanReadRestricted`, for resolvers that decide at run time (`node`)."""
    if not can_read_restricted(viewer_of(info)):
        raise Forbidden(READ_DENIED)
