"""Field masks: the ``fields`` query parameter and the ``fields`` of update requests.

``a.b,c(d,e)`` becomes the paths ``a.b``, ``c.d`` and ``c.e``; both ``/`` and ``.`` separate
path segments, as the API accepts both.
"""

from __future__ import annotations

import copy
from typing import Any

Path = tuple[str, ...]


def parse(mask: str) -> list[Path]:
    """Expand a mask into dotted paths; ``*`` stays a single ``("*",)`` path."""
    paths: list[Path] = []
    _expand(mask.replace("/", ".").replace(" ", ""), (), paths)
    return paths


def _expand(text: str, prefix: Path, out: list[Path]) -> None:
    depth = 0
    start = 0
    for position, char in enumerate(text + ","):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            _one(text[start:position], prefix, out)
            start = position + 1


def _one(item: str, prefix: Path, out: list[Path]) -> None:
    if not item:
        return
    if "(" in item and item.endswith(")"):
        head, inner = item[: item.index("(")], item[item.index("(") + 1 : -1]
        _expand(inner, prefix + tuple(filter(None, head.split("."))), out)
    else:
        out.append(prefix + tuple(item.split(".")))


# A compiled mask: key -> what to keep below it; None keeps the whole value.
Tree = dict[str, "Tree | None"]


def select(obj: Any, paths: list[Path]) -> Any:
    """Keep only the parts of ``obj`` the paths name; lists apply the rest to every element.

    The answer is new down to the parts kept whole, which it shares with ``obj``: callers
    serialize it and never change it in place (copying every cell of a large grid cost more
    than building it).
    """
    return keep(obj, compile_mask(paths))


def compile_mask(paths: list[Path]) -> Tree | None:
    """The paths as a tree, grouped once rather than again for every element of a list."""
    if any(not p or p == ("*",) for p in paths):
        return None
    grouped: dict[str, list[Path]] = {}
    for path in paths:
        grouped.setdefault(path[0], []).append(path[1:])
    return {key: compile_mask(rest) for key, rest in grouped.items()}


def keep(obj: Any, tree: Tree | None) -> Any:
    """``select`` with a compiled mask."""
    if tree is None:
        return obj
    if isinstance(obj, list):
        return [keep(item, tree) for item in obj]
    if not isinstance(obj, dict):
        return obj
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key not in tree:
            continue
        below = tree[key]
        if below is None:
            # Named whole: kept even when empty.
            out[key] = value
            continue
        chosen = keep(value, below)
        if chosen != {} and chosen != []:  # a part the mask emptied is left out
            out[key] = chosen
    return out


def assign(
    target: dict[str, Any], source: dict[str, Any], paths: list[Path], skip: frozenset[str] = frozenset()
) -> None:
    """Copy the masked fields from ``source`` into ``target``; absent or default values unset them."""
    if any(p == ("*",) for p in paths):
        paths = [(key,) for key in source if key not in skip]
    for path in paths:
        if path[0] in skip:
            continue
        src: Any = source
        dst = target
        for key in path[:-1]:
            src = src.get(key, {}) if isinstance(src, dict) else {}
            dst = dst.setdefault(key, {})
        leaf = path[-1]
        value = src.get(leaf) if isinstance(src, dict) else None
        # Proto3 does not send default scalars, so False / 0 / "" read back as absent.
        if value is None or value is False or (value == 0 and not isinstance(value, bool)) or value == "":
            dst.pop(leaf, None)
        else:
            dst[leaf] = copy.deepcopy(value)
