"""The seeded randomized sync test (CI size, on each engine). Larger: ``bench/sync_fuzz.py``."""

from __future__ import annotations

import os
import random

from tests.sync.conftest import World
from tests.sync.randomized.fuzz import Fuzz, check, seed_world

SEED = int(os.environ.get("SYNC_FUZZ_SEED", "20261201"))
STEPS = int(os.environ.get("SYNC_FUZZ_STEPS", "600"))
RECORDS = int(os.environ.get("SYNC_FUZZ_RECORDS", "8"))


async def test_random_interleavings_converge_without_losing_edits(world: World) -> None:
    await seed_world(RECORDS)
    await world.settle()
    fuzz = Fuzz(world, random.Random(SEED))
    for _ in range(STEPS):
        await fuzz.step()
    await fuzz.quiesce()
    figures = await check(fuzz)
    print(f"seed {SEED}, {RECORDS} records: {figures.summary()}")
    assert figures.violations() == 0, figures.summary() + "\n" + "\n".join(figures.details[:40])
    # The run must have exercised what it claims to (a fuzz that never kills proves nothing).
    assert figures.kills and figures.holds and figures.failed_cycles and figures.conflicts, figures.summary()
    assert {"staff_edit", "api_edit", "staff_delete", "staff_sort", "held", "kill"} <= set(figures.operations)
