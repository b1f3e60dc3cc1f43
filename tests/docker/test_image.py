"""docker/: the image runs the same `briefbot serve` as `make run`, the compose file is valid and
keeps the database on a volume, and .env.example lists every setting."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tomllib

import yaml

from bot.config import SETTINGS
from tests.conftest import ROOT

DOCKER = ROOT / "docker"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the final stage of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DOCKER / "Dockerfile").read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM":
            stages.append([])
        stages[-1].append((word.upper(), rest.strip()))
    return stages[-1]


def exec_form(args: str) -> list[str]:
    return json.loads(args) if args.startswith("[") else shlex.split(args)


def image_command() -> list[str]:
    final = dict(instructions())  # the last ENTRYPOINT / CMD win, as in Docker
    return exec_form(final["ENTRYPOINT"]) + exec_form(final["CMD"])


def compose() -> dict:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text())


def make_run_command() -> list[str]:
    """The command `make run` runs, with the venv's bin folder dropped."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n\t@?(.+)$", makefile, re.M).group(1)
    words = shlex.split(recipe)
    words[0] = words[0].rsplit("/", 1)[-1]
    return words


def test_the_image_runs_the_same_briefbot_serve_as_make_run():
    assert make_run_command() == ["briefbot", "serve"]
    assert image_command() == make_run_command()
    service = compose()["services"]["briefbot"]
    entrypoint = exec_form(dict(instructions())["ENTRYPOINT"])
    assert entrypoint + service["command"] == make_run_command()
    readme = (ROOT / "README.md").read_text()
    assert "`make run` runs `briefbot serve`" in readme


def test_the_image_is_slim_non_root_runtime_only_with_data_on_a_volume():
    final = instructions()
    text = (DOCKER / "Dockerfile").read_text()
    froms = re.findall(r"^FROM (\S+)", text, re.M)
    assert froms and all(f.startswith("python:3.11-slim") for f in froms)
    env = " ".join(args for word, args in final if word == "ENV")
    assert "BRIEFBOT_DB=/data/briefbot.db" in env and "BRIEFBOT_SEEDS=/app/seeds" in env
    assert ("VOLUME", '["/data"]') in final
    user = [args for word, args in final if word == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert ("COPY", "seeds /app/seeds") in final
    health = dict(final)["HEALTHCHECK"]
    assert health.endswith('CMD ["briefbot", "health"]')
    # Runtime dependencies only: the project installed without its dev extra.
    installs = re.findall(r"pip install ([^&\n]+)", text)
    assert any(i.strip() == "." for i in installs)
    assert "[dev]" not in text and "pytest" not in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "data", ".env", "docker/.env", ".git"} <= set(ignored)


def test_compose_has_one_service_env_file_restart_and_the_volume(tmp_path):
    spec = compose()
    assert list(spec["services"]) == ["briefbot"]
    service = spec["services"]["briefbot"]
    assert service["env_file"] == ".env"
    assert service["restart"] == "unless-stopped"
    assert "environment" not in service  # tokens come from .env only
    volume, target = service["volumes"][0].split(":")[:2]
    assert volume in spec["volumes"] and target == "/data"
    assert (DOCKER / service["build"]["context"] / service["build"]["dockerfile"]).resolve() == (DOCKER / "Dockerfile")
    # With a compose implementation installed, it must accept the file too (`config` needs no
    # engine). The file is checked where it lies, with .env made from the example.
    tool = compose_tool()
    if tool:
        work = tmp_path / "docker"
        work.mkdir()
        shutil.copy(DOCKER / "compose.yaml", work / "compose.yaml")
        shutil.copy(DOCKER / ".env.example", work / ".env")
        result = subprocess.run([*tool, "-f", str(work / "compose.yaml"), "config"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "unless-stopped" in result.stdout and "/data" in result.stdout


def compose_tool() -> list[str] | None:
    """`docker compose` when the plugin is there, else the standalone `docker-compose`."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def env_example() -> tuple[dict[str, str], dict[str, str]]:
    """(active KEY=value lines, commented-out # KEY=value lines) of docker/.env.example."""
    active, commented = {}, {}
    for line in (DOCKER / ".env.example").read_text().splitlines():
        m = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if m:
            (commented if m.group(1) else active)[m.group(2)] = m.group(3)
    return active, commented


def test_env_example_lists_every_setting_with_secrets_empty():
    active, commented = env_example()
    declared = {s.env for s in SETTINGS}
    assert set(active) | set(commented) == declared
    assert not set(active) & set(commented)
    for s in SETTINGS:
        if s.secret:
            assert active.get(s.env) == "", f"{s.env} must be listed, empty"
    # The container's paths: the database on the volume, as the image sets them.
    env = " ".join(args for word, args in instructions() if word == "ENV")
    for key in ("BRIEFBOT_DB", "BRIEFBOT_SEEDS"):
        assert key not in active  # an empty value here would move the database off the volume
        assert f"{key}={commented[key]}" in env
    assert commented["BRIEFBOT_HEARTBEAT"] == "/data/heartbeat.json"


def test_pyproject_dev_extra_holds_the_test_tools_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"]).lower()
    for tool in ("pytest", "ruff", "pyyaml"):
        assert tool not in runtime
