"""Who is writing: an API token holder, the sheet sync, or the system itself (seed, CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import ActorKind, Role


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    name: str
    role: Role | None = None
    # The API token behind an API_TOKEN actor (open WebSockets end when it is revoked).
    token_id: int | None = None

    @property
    def label(self) -> str:
        """How history shows this actor, e.g. `token:교육지원청 담당자` or `sheet-sync`."""
        prefix = {ActorKind.API_TOKEN: "token", ActorKind.SHEET_SYNC: "sheet", ActorKind.SYSTEM: "system"}
        return f"{prefix[self.kind]}:{self.name}"


SYSTEM_ACTOR = Actor(ActorKind.SYSTEM, "eduhub")
SHEET_SYNC_ACTOR = Actor(ActorKind.SHEET_SYNC, "sheet-sync")
