"""compose.yaml and the Dockerfile agree with the code: real commands, real settings, every package.

Docker Compose itself cannot run here (no registry for the images), so this holds the file to
what the application accepts: each command parses as an `eduhub` command, each variable is a
setting, and the image copies every package pyproject.toml installs.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]
    return services


def test_the_scale_out_path_has_postgres_redis_two_webs_and_a_worker() -> None:
    services = _services()
    commands = {name: service.get("command", []) for name, service in services.items()}
    assert {"postgres", "redis", "migrate", "worker"} <= set(services)
    assert sum(command[:2] == ["eduhub", "web"] for command in commands.values()) == 2
    assert commands["worker"] == ["eduhub", "worker"]


def test_every_eduhub_command_in_compose_is_a_real_command() -> None:
    for service in _services().values():
        command = service.get("command", [])
        if command[:1] == ["eduhub"]:
            result = CliRunner().invoke(app, [*command[1:], "--help"])
            assert result.exit_code == 0, (command, result.output)


def test_every_variable_given_to_the_app_is_a_setting() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    for name, service in _services().items():
        if service.get("build"):
            unknown = set(service["environment"]) - fields
            assert not unknown, f"{name}: {unknown} are not settings"


def test_the_image_copies_every_installed_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set(re.findall(r"^COPY (\w+) ", (ROOT / "Dockerfile").read_text(encoding="utf-8"), re.M))
    assert packages <= copied
