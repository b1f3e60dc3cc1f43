"""The operations commands and settings are documented where a user looks for them."""

from __future__ import annotations

from bot.cli import build_parser
from bot.config import SETTINGS
from tests.conftest import ROOT

OPS_COMMANDS = ("doctor", "health", "backup", "restore", "export")


def subparsers():
    parser = build_parser()
    [action] = [a for a in parser._actions if a.dest == "cmd"]
    return action.choices


def test_every_operations_command_is_in_the_readme_and_deploy_guide_with_an_example():
    readme = (ROOT / "README.md").read_text()
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    choices = subparsers()
    for name in OPS_COMMANDS:
        assert f"briefbot [--db PATH] {name}" in readme
        assert f"briefbot {name}" in deploy
        assert choices[name].epilog.startswith(f"Example: briefbot {name}")
    assert "[docs/deploy.md](docs/deploy.md)" in readme


def test_every_setting_has_a_row_in_the_readme_configuration_table():
    readme = (ROOT / "README.md").read_text()
    for s in SETTINGS:
        assert f"| `{s.env}` |" in readme, s.env
