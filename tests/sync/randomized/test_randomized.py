"""The seeded randomized sync test (CI size). Larger: SYNC_FUZZ_STEPS=400 or bench/sync_fuzz.py."""

from __future__ import annotations

import os
import random

from models.sync_state import SyncConflict
from tests.sync.conftest import World
from tests.sync.randomized.fuzz import Fuzz, check, seed_world

SEED = int(os.environ.get("SYNC_FUZZ_SEED", "20261129"))
STEPS = int(os.environ.get("SYNC_FUZZ_STEPS", "100"))
RECORDS = int(os.environ.get("SYNC_FUZZ_RECORDS", "8"))


async def test_random_interleavings_converge_without_losing_edits(world: World) -> None:
    await seed_world(RECORDS)
    await world.settle()
    fuzz = Fuzz(world, random.Random(SEED))
    for _ in range(STEPS):
        await fuzz.step()
    await fuzz.quiesce()
    await check(fuzz)
    # The run must have exercised what it claims to (a fuzz that never kills proves nothing).
    kinds = {line.split(" ")[0] + " " + line.split(" ")[1] for line in fuzz.log}
    wanted = {
        "staff edit",
        "api edit",
        "staff delete",
        "staff bad",
        "staff sort",
        "worker killed",
        "cycle FAILED",
    }
    assert wanted <= kinds, sorted(kinds)
    conflicts = await SyncConflict.all().count()
    print(f"seed {SEED}, {STEPS} steps, {RECORDS} records, {conflicts} conflicts:", sorted(kinds))
