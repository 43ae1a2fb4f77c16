"""The lean extension runner runs hooks exactly as strawberry's runner does, only cheaper.

Each scenario runs a stage with three recording extensions under both runners and compares
what happened: the order hooks entered and left, which exception each hook saw, and how the
stage ended (normally, with the stage's exception, with a hook's own, or suppressed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from api.settings import Settings
from schema.extension_runner import LeanExtensionsRunner, lean_runner_fits
from schema.root import build_schema

STAGES = ("operation", "parsing", "validation", "executing")


class StageFailed(Exception):
    pass


class HookFailed(Exception):
    pass


@dataclass(frozen=True)
class Behaviour:
    """What the hook of extension `index` does (None: any other extension behaves)."""

    index: int | None = None
    raise_on_enter: bool = False
    raise_on_exit: bool = False
    suppress: bool = False


def recording(index: int, log: list[str], behaviour: Behaviour) -> SchemaExtension:
    mine = behaviour.index == index

    def hook(self: SchemaExtension) -> Iterator[None]:
        log.append(f"enter {index}")
        if mine and behaviour.raise_on_enter:
            raise HookFailed(f"enter {index}")
        try:
            yield
        except Exception as error:
            log.append(f"{index} saw {error!r}")
            if mine and behaviour.suppress:
                return
            raise
        log.append(f"leave {index}")
        if mine and behaviour.raise_on_exit:
            raise HookFailed(f"exit {index}")

    hooks = dict.fromkeys(("on_operation", "on_parse", "on_validate", "on_execute"), hook)
    extension: SchemaExtension = type(f"Recording{index}", (SchemaExtension,), hooks)()
    return extension


SCENARIOS = [
    (Behaviour(), False),
    (Behaviour(), True),
    (Behaviour(1, raise_on_enter=True), False),
    (Behaviour(0, raise_on_exit=True), False),
    (Behaviour(2, raise_on_exit=True), False),
    (Behaviour(1, raise_on_exit=True), True),
    (Behaviour(1, suppress=True), True),
    (Behaviour(2, suppress=True), True),
]


def _context(schema: Any) -> ExecutionContext:
    return ExecutionContext(query="{ __typename }", schema=schema, allowed_operations=[OperationType.QUERY])


async def _run(
    runner_class: type[SchemaExtensionsRunner], stage: str, behaviour: Behaviour, fail: bool
) -> list[str]:
    log: list[str] = []
    extensions = [recording(i, log, behaviour) for i in range(3)]
    runner = runner_class(_context(None), extensions)
    try:
        async with getattr(runner, stage)():
            log.append("stage")
            if fail:
                raise StageFailed("stage")
        log.append("ended normally")
    except Exception as error:
        log.append(f"ended with {error!r}")
    return log


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize(("behaviour", "fail"), SCENARIOS)
async def test_every_stage_runs_its_hooks_as_strawberry_does(
    stage: str, behaviour: Behaviour, fail: bool
) -> None:
    lean = await _run(LeanExtensionsRunner, stage, behaviour, fail)
    assert lean == await _run(SchemaExtensionsRunner, stage, behaviour, fail)
    assert lean[0] == "enter 0"  # the hooks ran at all


def test_the_sync_path_runs_the_same_hooks() -> None:
    log: list[str] = []
    extensions = [recording(i, log, Behaviour()) for i in range(2)]
    runner = LeanExtensionsRunner(_context(None), extensions)
    with runner.parsing():
        log.append("stage")
    assert log == ["enter 0", "enter 1", "stage", "leave 1", "leave 0"]


class AsyncHook(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        yield


def test_an_extension_with_another_kind_of_hook_gets_strawberrys_runner() -> None:
    assert not lean_runner_fits([AsyncHook()])
    schema = build_schema(Settings(), extra_extensions=[AsyncHook])
    runner = schema.create_extensions_runner(_context(schema), schema.get_extensions())
    assert type(runner) is SchemaExtensionsRunner


def test_the_schemas_own_extensions_get_the_lean_runner() -> None:
    schema = build_schema(Settings())
    runner = schema.create_extensions_runner(_context(schema), schema.get_extensions())
    assert isinstance(runner, LeanExtensionsRunner)
