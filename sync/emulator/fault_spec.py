"""Fault rules as people write them: on the command line (``error,rate=0.1,status=500``) or as the
JSON of ``POST /__emulator/faults``. Both are checked the same way, so a typo is a clear error
instead of a rule that silently never fires.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, get_args

from .faults import FaultKind, FaultStage

KINDS: tuple[str, ...] = get_args(FaultKind)
STAGES: tuple[str, ...] = get_args(FaultStage)
FIELDS = ("kind", "rate", "count", "status", "delay", "method", "stage")
# The numeric fields: conversion, the range they must fall in, and how a refusal says it.
NUMBERS: dict[str, tuple[Callable[[Any], float], float, float, str]] = {
    "rate": (float, 0.0, 1.0, "be between 0 and 1"),
    "count": (int, 1, math.inf, "be at least 1"),
    "status": (int, 400, 599, "be an HTTP error status (400-599)"),
    "delay": (float, 0.0, math.inf, "not be negative"),
}


class FaultSpecError(ValueError):
    """A fault rule that names an unknown kind or field, or a value out of range."""


def from_text(text: str) -> dict[str, Any]:
    """``KIND[,name=value...]`` -> keyword arguments of :meth:`Faults.inject` (with ``kind``)."""
    kind, *pairs = [part.strip() for part in text.split(",")]
    spec: dict[str, Any] = {"kind": kind}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise FaultSpecError(f"fault {text!r}: {pair!r} is not name=value")
        spec[name.strip()] = value.strip()
    return checked(spec)


def checked(spec: dict[str, Any]) -> dict[str, Any]:
    """The rule with its values converted, or :class:`FaultSpecError` naming what is wrong."""
    unknown = sorted(set(spec) - set(FIELDS))
    if unknown:
        raise FaultSpecError(f"unknown fault field {unknown[0]!r}; fields: {', '.join(FIELDS)}")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise FaultSpecError(f"unknown fault kind {kind!r}; kinds: {', '.join(KINDS)}")
    rule: dict[str, Any] = {"kind": kind}
    for name, (convert, low, high, bound) in NUMBERS.items():
        if name not in spec or (name == "count" and spec[name] is None):
            continue  # absent, or a count of None: the rule holds until cleared
        try:
            rule[name] = convert(spec[name])
        except (TypeError, ValueError) as error:
            raise FaultSpecError(f"fault value is not a number: {error}") from None
        if not low <= rule[name] <= high:
            raise FaultSpecError(f"fault {name} must {bound}")
    if spec.get("method") is not None:
        rule["method"] = str(spec["method"])
    if "stage" in spec:
        if spec["stage"] not in STAGES:
            raise FaultSpecError(f"unknown fault stage {spec['stage']!r}; stages: {', '.join(STAGES)}")
        rule["stage"] = spec["stage"]
    return rule
