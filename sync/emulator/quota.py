"""Per-minute read and write buckets, per user and per project, like the Sheets API quotas."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from . import defaults, errors


@dataclass
class QuotaLimits:
    """Requests allowed per rolling minute (Google's defaults: 60 per user, 300 per project)."""

    read_per_user: int = 60
    write_per_user: int = 60
    read_per_project: int = 300
    write_per_project: int = 300
    enabled: bool = True


class QuotaBuckets:
    """Sliding one-minute windows; a request over any limit is refused with Google's 429 body."""

    def __init__(self, limits: QuotaLimits | None = None) -> None:
        self.limits = limits or QuotaLimits()
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], deque[float]] = {}

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def charge(self, user: str, *, write: bool) -> None:
        """Count one request or raise the 429 ApiError when a bucket is full."""
        if not self.limits.enabled:
            return
        kind = "write" if write else "read"
        per_user = self.limits.write_per_user if write else self.limits.read_per_user
        per_project = self.limits.write_per_project if write else self.limits.read_per_project
        now = time.monotonic()
        with self._lock:
            user_window = self._window((kind, f"user:{user}"), now)
            project_window = self._window((kind, "project"), now)
            if len(user_window) >= per_user:
                raise errors.quota_exceeded(
                    write=write, per_user=True, limit=per_user, project_number=defaults.PROJECT_NUMBER
                )
            if len(project_window) >= per_project:
                raise errors.quota_exceeded(
                    write=write, per_user=False, limit=per_project, project_number=defaults.PROJECT_NUMBER
                )
            user_window.append(now)
            project_window.append(now)

    def _window(self, key: tuple[str, str], now: float) -> deque[float]:
        window = self._windows.setdefault(key, deque())
        while window and now - window[0] >= 60:
            window.popleft()
        return window
