"""Children loaded together with their parents' page, so child fields resolve synchronously.

With a DataLoader, each of 500 programs asking for its budget lines is an async resolver, a
future, a task and a gather in graphql-core: more time than the rows themselves. The resolvers
that return pages (`schools`, `programs`, `school(code:)`) look at what the query selects below
them and load each selected level in one batch (the same loaders, so the same statement and
the same rows); the child resolvers then return plain lists::

    page = await paginate(...)
    await prefetch.school_children(info, page.nodes(), prefetch.connection_records(info))

A record reached another way (`node(id:)`, `program { school }`, a mutation payload) has
nothing attached and its resolvers fall back to the loaders, one batch per level as before.
Fragments and inline fragments count as selected; an aliased or repeated field is loaded once.
Budget lines are loaded only for a viewer allowed to read them (the field's permission check
still runs and refuses everyone else, with the same error).
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry import Info

from schema.permissions import can_read_restricted, viewer_of

if TYPE_CHECKING:
    from schema.records import Program, School

T = TypeVar("T")
Fragments = Mapping[str, FragmentDefinitionNode]


def pending(awaitable: Awaitable[T]) -> T:
    """A loader's future from a sync resolver: graphql-core awaits whatever a resolver returns."""
    return cast(T, awaitable)


def selected(nodes: Iterable[FieldNode], name: str, fragments: Fragments) -> list[FieldNode]:
    """The fields called `name` directly below `nodes`, through fragments."""
    found: list[FieldNode] = []
    for node in nodes:
        if node.selection_set is not None:
            _collect(node.selection_set, name, fragments, found)
    return found


def _collect(
    selection_set: SelectionSetNode, name: str, fragments: Fragments, found: list[FieldNode]
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == name:
                found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            _collect(selection.selection_set, name, fragments, found)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                _collect(fragment.selection_set, name, fragments, found)


def _field_nodes(info: Info[Any, Any]) -> tuple[Sequence[FieldNode], Fragments]:
    raw = info._raw_info
    return raw.field_nodes, raw.fragments


def field_records(info: Info[Any, Any]) -> list[FieldNode]:
    """The selection of a field that returns records itself (`school(code:)`)."""
    return list(_field_nodes(info)[0])


def connection_records(info: Info[Any, Any]) -> list[FieldNode]:
    """The selection on the records of a connection field: its `nodes` and `edges { node }`."""
    nodes, fragments = _field_nodes(info)
    edges = selected(nodes, "edges", fragments)
    return selected(nodes, "nodes", fragments) + selected(edges, "node", fragments)


async def school_children(
    info: Info[Any, Any], schools: Sequence[School], selection: list[FieldNode]
) -> None:
    """Attach `programs` (and below them `budgetLines`) to `schools` when the query selects them."""
    fragments = _field_nodes(info)[1]
    below = selected(selection, "programs", fragments)
    if not below or not schools:
        return
    found = await info.context.loaders.programs_of([school.id for school in schools])
    for school, programs in zip(schools, found, strict=True):
        school.loaded_programs = programs
    await program_children(info, [program for programs in found for program in programs], below)


async def program_children(
    info: Info[Any, Any], programs: Sequence[Program], selection: list[FieldNode]
) -> None:
    """Attach `budgetLines` to `programs` when the query selects them and the viewer may read them."""
    below = selected(selection, "budgetLines", _field_nodes(info)[1])
    if not below or not programs or not can_read_restricted(viewer_of(info)):
        return
    found = await info.context.loaders.lines_of([program.id for program in programs])
    for program, lines in zip(programs, found, strict=True):
        program.loaded_lines = lines
