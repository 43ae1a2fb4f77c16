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

Children are read with only the columns the document can ask for: a column whose field is
named nowhere in the operation or its fragments (on any type) is left out, with the keys the
relations need and what computed fields read (`executionRate`: allocated, executed and carried in). At 500
schools that leaves out 75,000 timestamps. Such records only live in this request's loaders.
Fragments and inline fragments count as selected; an aliased or repeated field is loaded once.
Budget lines are loaded only for a viewer allowed to read them (the field's permission check
still runs and refuses everyone else, with the same error).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry import Info

from schema.permissions import can_read_restricted, viewer_of
from schema.records import BUDGET_LINE_COLUMNS, PROGRAM_COLUMNS

if TYPE_CHECKING:
    from schema.records import Program, School

# Columns every child record keeps: its id and the keys its relations follow.
PROGRAM_KEYS = frozenset({"id", "school_id"})
LINE_KEYS = frozenset({"id", "program_id"})
# Computed fields and the columns they read.
READS: dict[str, frozenset[str]] = {
    "executionRate": frozenset({"allocated", "executed", "carried_in"}),
    "budgetCurrent": frozenset({"allocated", "carried_in"}),
}

Fragments = Mapping[str, FragmentDefinitionNode]


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


def _camel(column: str) -> str:
    head, *rest = column.split("_")
    return head + "".join(part.title() for part in rest)


def document_fields(info: Info[Any, Any]) -> frozenset[str]:
    """Every field name in the operation and its fragments, on any type."""
    raw = info._raw_info
    sets = [raw.operation.selection_set, *(f.selection_set for f in raw.fragments.values())]
    return frozenset(_names(sets))


def _names(selection_sets: list[SelectionSetNode]) -> Iterator[str]:
    while selection_sets:
        for selection in selection_sets.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection.name.value
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                selection_sets.append(selection.selection_set)


def columns_for(columns: Sequence[str], keys: frozenset[str], fields: frozenset[str]) -> tuple[str, ...]:
    """The columns of `columns` a document naming `fields` can need."""
    needed = set(keys)
    for name in fields:
        needed |= READS.get(name, frozenset())
    return tuple(c for c in columns if c in needed or _camel(c) in fields)


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
    columns = columns_for(PROGRAM_COLUMNS, PROGRAM_KEYS, document_fields(info))
    found = await info.context.loaders.programs_of([school.id for school in schools], columns)
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
    columns = columns_for(BUDGET_LINE_COLUMNS, LINE_KEYS, document_fields(info))
    found = await info.context.loaders.lines_of([program.id for program in programs], columns)
    for program, lines in zip(programs, found, strict=True):
        program.loaded_lines = lines
