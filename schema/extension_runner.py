"""Schema extension hooks run without strawberry's per-request wrapping.

Strawberry's `SchemaExtensionsRunner` builds, on every request and for every hook of every
extension, an `inspect` check, a `contextlib.contextmanager` wrapper (`functools.wraps` and all)
and a bound method. With the seven to nine extensions this schema runs, that was about a tenth of a cold
request's CPU. `LeanExtensionsRunner` finds once per extension class which hooks it overrides,
and runs each stage's hook generators itself, with the semantics of strawberry's nesting
(`contextlib.contextmanager` in an `ExitStack`): entered in list order, left in reverse.

Only generator hooks are run this way, the kind every extension here has; a class with any
other kind of hook (a coroutine, a plain callable, an async generator) makes the schema fall
back to strawberry's own runner for the request, so nothing changes meaning.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.utils.await_maybe import await_maybe

HOOKS = ("on_operation", "on_parse", "on_validate", "on_execute")
Hook = Callable[[SchemaExtension], Generator[None, None, None]]

_class_hooks: dict[type[SchemaExtension], dict[str, Hook] | None] = {}


def class_hooks(extension_class: type[SchemaExtension]) -> dict[str, Hook] | None:
    """{hook name: generator function} for the hooks the class overrides; None when one of them
    is not a plain generator function (strawberry's runner handles those)."""
    if extension_class not in _class_hooks:
        _class_hooks[extension_class] = _find_hooks(extension_class)
    return _class_hooks[extension_class]


def _find_hooks(extension_class: type[SchemaExtension]) -> dict[str, Hook] | None:
    hooks: dict[str, Hook] = {}
    for name in HOOKS:
        function = getattr(extension_class, name)
        if function is getattr(SchemaExtension, name):
            continue
        if not inspect.isgeneratorfunction(function):
            return None
        hooks[name] = function
    stream = extension_class.on_stream_result
    if stream is not SchemaExtension.on_stream_result and not inspect.isgeneratorfunction(stream):
        return None
    return hooks


class _Hooks:
    """One lifecycle stage's hooks for one request, as a (sync or async) context manager.

    Each hook is a generator that yields once, run as `contextlib.contextmanager` runs one and
    nested as strawberry's `ExitStack` nests them: entered in order, left in reverse; an
    exception from the stage (or from a hook) is thrown into the hooks still open, and one that
    raises passes its own on. `tests/schema/test_extension_runner.py` holds it to strawberry's.
    """

    __slots__ = ("_calls", "_open")

    def __init__(self, calls: list[tuple[Hook, SchemaExtension]]) -> None:
        self._calls = calls
        self._open: list[Generator[None, None, None]] = []

    def __enter__(self) -> None:
        for hook, extension in self._calls:
            generator = hook(extension)
            try:
                next(generator)
            except StopIteration:
                self._abandon()
                raise RuntimeError(f"{hook.__qualname__} did not yield") from None
            except BaseException:
                self._abandon()
                raise
            self._open.append(generator)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        left = self._leave(error)
        if left is not None and left is not error:
            raise left  # a hook's own exception replaces the stage's
        # Never suppressed: strawberry drops what its exit stack returns, so a hook that ends
        # the stage's exception only spares the hooks outside it from seeing it.

    def _abandon(self) -> None:
        """A hook failed on entry: strawberry never leaves the ones entered before it (its exit
        stack is dropped unwound), so they are closed as garbage collection would close them."""
        while self._open:
            self._open.pop().close()

    def _leave(self, error: BaseException | None) -> BaseException | None:
        """Close the open hooks, innermost first; the exception still going on afterwards."""
        while self._open:
            generator = self._open.pop()
            try:
                if error is None:
                    next(generator)
                else:
                    generator.throw(error)
            except StopIteration:
                error = None  # finished; after a throw, it ended the exception
            except BaseException as raised:
                error = raised  # the same exception going on, or the hook's own
            else:
                error = RuntimeError("an extension hook yielded twice")
        return error

    async def __aenter__(self) -> None:
        self.__enter__()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.__exit__(kind, error, trace)


class LeanExtensionsRunner(SchemaExtensionsRunner):
    """strawberry's runner with each stage's hooks found once per extension class."""

    def __init__(self, execution_context: ExecutionContext, extensions: list[SchemaExtension]) -> None:
        super().__init__(execution_context=execution_context, extensions=extensions)
        self._stages: dict[str, list[tuple[Hook, SchemaExtension]]] = {name: [] for name in HOOKS}
        # Only these have results to add; the default `get_results` is an empty dict.
        self._with_results = [e for e in extensions if type(e).get_results is not SchemaExtension.get_results]
        for extension in extensions:
            hooks = class_hooks(type(extension))
            assert hooks is not None, "checked by `lean_runner_fits` first"
            for name, hook in hooks.items():
                self._stages[name].append((hook, extension))

    def operation(self) -> Any:
        return _Hooks(self._stages["on_operation"])

    def parsing(self) -> Any:
        return _Hooks(self._stages["on_parse"])

    def validation(self) -> Any:
        return _Hooks(self._stages["on_validate"])

    def executing(self) -> Any:
        return _Hooks(self._stages["on_execute"])

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for extension in self._with_results:
            data.update(await await_maybe(extension.get_results()))
        data.update(ctx.extensions_results)
        return data

    def get_extensions_results_sync(self) -> dict[str, Any]:
        if any(inspect.iscoroutinefunction(e.get_results) for e in self._with_results):
            raise RuntimeError("Cannot use async extension hook during sync execution")
        data: dict[str, Any] = {}
        for extension in self._with_results:
            data.update(extension.get_results())  # type: ignore[arg-type]
        return data


def lean_runner_fits(extensions: list[SchemaExtension]) -> bool:
    """Whether every extension's hooks are of the kind `LeanExtensionsRunner` runs."""
    return all(class_hooks(type(extension)) is not None for extension in extensions)
