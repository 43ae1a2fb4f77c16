from models import change_clock
from models.actor import SYSTEM_ACTOR
from models.change_event import ChangeEvent
from models.enums import SchoolLevel
from models.school import School
from models.services import schools
from models.services.write_scope import add_commit_listener, remove_commit_listener, write_scope


async def test_a_failed_unit_of_work_leaves_no_record_and_no_event(db: str) -> None:
    try:
        async with write_scope(SYSTEM_ACTOR) as scope:
            await schools.create(
                scope, {"code": "S1", "name": "미사초", "level": SchoolLevel.ELEMENTARY, "district": "미사"}
            )
            raise RuntimeError("crash after the write, before commit")
    except RuntimeError:
        pass
    assert await School.all().count() == 0
    assert await ChangeEvent.all().count() == 0


async def test_listeners_hear_events_only_after_commit(db: str) -> None:
    heard: list[list[int]] = []

    async def listener(events: list[ChangeEvent]) -> None:
        # The write must already be visible to other readers when listeners run.
        assert await School.filter(code="S2").exists()
        heard.append([event.record_id for event in events])

    add_commit_listener(listener)
    try:
        async with write_scope(SYSTEM_ACTOR) as scope:
            school = await schools.create(
                scope, {"code": "S2", "name": "위례중", "level": SchoolLevel.MIDDLE, "district": "위례"}
            )
            assert heard == []
    finally:
        remove_commit_listener(listener)
    assert heard == [[school.id]]


async def test_every_event_is_stored_in_order_with_its_id_and_the_clock_ticks_once(db: str) -> None:
    """The last event goes in with the clock tick (one statement on PostgreSQL): listeners still
    get every event with the id and time stored, in the order recorded, and the clock moves by one."""
    heard: list[ChangeEvent] = []

    async def listener(events: list[ChangeEvent]) -> None:
        heard.extend(events)

    before = await change_clock.read()
    add_commit_listener(listener)
    try:
        async with write_scope(SYSTEM_ACTOR) as scope:
            for code, name in (("S3", "감일초"), ("S4", "신장중"), ("S5", "덕풍고")):
                await schools.create(
                    scope, {"code": code, "name": name, "level": SchoolLevel.HIGH, "district": "감일"}
                )
    finally:
        remove_commit_listener(listener)
    stored = await ChangeEvent.all().order_by("id")
    assert [(e.id, e.record_id, e.occurred_at) for e in heard] == [
        (e.id, e.record_id, e.occurred_at) for e in stored
    ]
    assert [e.record_id for e in stored] == sorted(e.record_id for e in stored)
    assert all(e.id is not None for e in heard)
    assert await change_clock.read() == before + 1


async def test_a_write_without_events_leaves_the_clock_alone(db: str) -> None:
    before = await change_clock.read()
    async with write_scope(SYSTEM_ACTOR):
        pass
    assert await change_clock.read() == before
