"""The web process freezes its start-up objects out of the collector's walks."""

from __future__ import annotations

import gc

from api.gc_tuning import tune_for_serving


def test_start_up_objects_are_frozen() -> None:
    before = gc.get_threshold()
    try:
        tune_for_serving()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (700, 10, 100)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
