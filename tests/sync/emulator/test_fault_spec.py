"""Fault rules from the command line and the control endpoint: checked, or refused with the reason."""

from __future__ import annotations

import pytest
import requests

from sync.emulator import EmulatorServer
from sync.emulator.fault_spec import FaultSpecError, checked, from_text


def test_a_rule_from_text_converts_its_values() -> None:
    assert from_text("error, rate=0.25, status=500, method=sheets.spreadsheets.get, stage=after") == {
        "kind": "error",
        "rate": 0.25,
        "status": 500,
        "method": "sheets.spreadsheets.get",
        "stage": "after",
    }
    assert from_text("quota,count=3") == {"kind": "quota", "count": 3}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("boom", "unknown fault kind 'boom'"),
        ("error,size=2", "unknown fault field 'size'"),
        ("error,rate", "'rate' is not name=value"),
        ("error,rate=2", "rate must be between 0 and 1"),
        ("error,rate=often", "not a number"),
        ("error,count=0", "count must be at least 1"),
        ("error,status=200", "HTTP error status"),
        ("latency,delay=-1", "delay must not be negative"),
        ("error,stage=during", "unknown fault stage 'during'"),
    ],
)
def test_a_bad_rule_names_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(FaultSpecError, match=reason):
        from_text(text)


def test_a_json_rule_is_checked_the_same_way() -> None:
    assert checked({"kind": "hold", "count": 1, "stage": "after"}) == {
        "kind": "hold",
        "count": 1,
        "stage": "after",
    }
    with pytest.raises(FaultSpecError):
        checked({"kind": "error", "count": "many"})


@pytest.mark.parametrize("body", ['{"kind": "boom"}', "[1]", "{not json", '{"kind": "error", "rate": "x"}'])
def test_the_control_endpoint_refuses_a_bad_rule_and_injects_nothing(
    server: EmulatorServer, body: str
) -> None:
    server.emulator.reset()
    answer = requests.post(
        f"{server.url}/__emulator/faults", data=body, headers={"Content-Type": "application/json"}, timeout=5
    )
    assert answer.status_code == 400 and answer.json()["error"]
    key = server.emulator.create_spreadsheet("ok")
    assert requests.get(
        f"{server.url}/v4/spreadsheets/{key}", headers={"Authorization": "Bearer t"}, timeout=5
    ).ok
