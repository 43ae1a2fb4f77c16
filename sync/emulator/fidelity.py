"""Replaying recorded Google traffic against the emulator and diffing the answers.

A recording (gspread's cassette format) is a list of request/response pairs from the real API.
Ids Google chose (spreadsheet, sheet, named/protected range ids) are learned from the first
response that reveals them and rewritten in later requests; timestamps are ignored.  Every other
difference is reported with its JSON path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from .emulator import Emulator
from .quota import QuotaLimits
from .server import EmulatorServer

ID_KEYS = {"id", "spreadsheetId", "sheetId", "namedRangeId", "protectedRangeId", "metadataId", "fileId"}
IGNORED_KEYS = {"createdTime", "modifiedTime", "time"}
_FILE_ID = re.compile(r"(?<![A-Za-z0-9_-])1[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


@dataclass
class Pair:
    """One replayed request with Google's answer, ours and the differences between them."""

    recording: str
    index: int
    method: str
    uri: str
    status: int
    expected_status: int
    differences: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return not self.differences


def _walk_ids(
    expected: Any, actual: Any, mapping: dict[Any, Any], clashes: list[str], path: str = "$"
) -> None:
    """Learn recorded-id -> emulator-id pairs from the same places in both bodies.

    The pairing must stay one-to-one: two different recorded ids answered with the same emulator
    id (or the reverse) is a real difference, reported in ``clashes``.
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key not in actual:
                continue
            if key in ID_KEYS and not isinstance(value, dict | list):
                mine = actual[key]
                # Sheet id 0 is not chosen at random: Google always gives it to the first sheet.
                if value == mine or value == 0:
                    continue
                if value not in mapping and mine in mapping.values():
                    clashes.append(f"{path}.{key}: id {mine!r} already stands for another recorded id")
                elif value not in mapping:
                    mapping[value] = mine
            else:
                _walk_ids(value, actual[key], mapping, clashes, f"{path}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            _walk_ids(e, a, mapping, clashes, f"{path}[{i}]")


def _rewrite(value: Any, mapping: dict[Any, Any], key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _rewrite(v, mapping, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, mapping, key) for v in value]
    if key in ID_KEYS and value in mapping:
        return mapping[value]
    if isinstance(value, str):
        return _FILE_ID.sub(lambda m: str(mapping.get(m.group(0), m.group(0))), value)
    return value


def diff(expected: Any, actual: Any, path: str = "$") -> Iterator[str]:
    """JSON differences as ``path: expected != actual`` lines (timestamps skipped)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key in IGNORED_KEYS and key in expected and key in actual:
                continue
            sub = f"{path}.{key}"
            if key not in actual:
                yield f"{sub}: missing (expected {json.dumps(expected[key], ensure_ascii=False)[:80]})"
            elif key not in expected:
                yield f"{sub}: unexpected {json.dumps(actual[key], ensure_ascii=False)[:80]}"
            else:
                yield from diff(expected[key], actual[key], sub)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            yield f"{path}: length {len(actual)} != {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            yield from diff(e, a, f"{path}[{i}]")
    # Types are compared too: JSON ``2`` and ``2.0`` (or ``1`` and ``true``) are different answers.
    elif expected != actual or type(expected) is not type(actual):
        shown = json.dumps(actual, ensure_ascii=False)[:80]
        yield f"{path}: {shown} != {json.dumps(expected, ensure_ascii=False)[:80]}"


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _path_and_query(uri: str) -> str:
    parts = urlsplit(uri)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _created_ids(interactions: list[dict[str, Any]]) -> set[str]:
    created: set[str] = set()
    for item in interactions:
        request, body = item["request"], _parse(item["response"]["body"]["string"])
        if (
            request["method"] == "POST"
            and urlsplit(request["uri"]).path == "/drive/v3/files"
            and isinstance(body, dict)
        ):
            created.add(str(body.get("id", "")))
    return created


def _seed_private(emulator: Emulator, interactions: list[dict[str, Any]], mapping: dict[Any, Any]) -> None:
    """Files opened but never created or listed: owned by someone else and not shared with us."""
    created = _created_ids(interactions)
    listed = {
        f["id"]
        for item in interactions
        if isinstance(body := _parse(item["response"]["body"]["string"]), dict)
        and body.get("kind") == "drive#fileList"
        for f in body.get("files", [])
    }
    for item in interactions:
        for file_id in _FILE_ID.findall(urlsplit(item["request"]["uri"]).path):
            if file_id not in created and file_id not in listed and file_id not in mapping:
                mapping[file_id] = emulator.create_spreadsheet("private", restricted=True)


def _seed_listed(emulator: Emulator, expected: Any, created: set[str], mapping: dict[Any, Any]) -> None:
    """Before a recorded Drive listing: the files the recorded account already had at that moment."""
    if not isinstance(expected, dict) or expected.get("kind") != "drive#fileList":
        return
    for file in expected.get("files", []):
        if file["id"] in created or file["id"] in mapping:
            continue
        stamp = datetime.strptime(file["createdTime"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        mapping[file["id"]] = emulator.create_spreadsheet(file["name"], created=stamp.timestamp())


def replay(recording: Path, server: EmulatorServer, *, account_email: str | None = None) -> list[Pair]:
    """Replay one recording against ``server`` (reset first) and return every pair's differences."""
    data = json.loads(recording.read_text(encoding="utf-8"))
    interactions = data["interactions"]
    emulator = server.emulator
    emulator.reset()
    if account_email:
        emulator.store.account_email = account_email
    mapping: dict[Any, Any] = {}
    _seed_private(emulator, interactions, mapping)
    created = _created_ids(interactions)
    pairs: list[Pair] = []
    with requests.Session() as client:
        for index, item in enumerate(interactions):
            request, response = item["request"], item["response"]
            expected = _parse(response["body"]["string"])
            _seed_listed(emulator, expected, created, mapping)
            uri = _FILE_ID.sub(lambda m: str(mapping.get(m.group(0), m.group(0))), request["uri"])
            body = request["body"]
            content = None
            if body:
                content = json.dumps(_rewrite(json.loads(body), mapping)).encode()
            answer = client.request(
                request["method"],
                server.url + _path_and_query(uri),
                data=content,
                headers={"Authorization": "Bearer replay", "Content-Type": "application/json"},
            )
            actual = _parse(answer.text)
            clashes: list[str] = []
            _walk_ids(expected, actual, mapping, clashes)
            reverse = {v: k for k, v in mapping.items()}
            actual = _rewrite(actual, reverse)
            pair = Pair(
                recording.name,
                index,
                request["method"],
                request["uri"],
                answer.status_code,
                response["status"]["code"],
            )
            if pair.status != pair.expected_status:
                pair.differences.append(f"status {pair.status} != {pair.expected_status}")
            pair.differences.extend(clashes)
            pair.differences.extend(diff(expected, actual))
            pairs.append(pair)
    return pairs


def replay_all(folder: Path, *, account_email: str | None = None) -> list[Pair]:
    """Replay every recording of ``folder`` on one emulator server (quotas off)."""
    with EmulatorServer(Emulator(quota=QuotaLimits(enabled=False))) as server:
        return [
            pair for path in recordings(folder) for pair in replay(path, server, account_email=account_email)
        ]


def recordings(folder: Path) -> list[Path]:
    """The recordings of a fixtures folder, in a stable order."""
    return sorted((folder / "recordings").glob("*.json"))
