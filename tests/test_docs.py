"""Documentation stays in step with the code: every setting, command and CLI subcommand is
documented (a new one without docs fails here)."""

from __future__ import annotations

import re

import pytest

from bot.cli import build_parser
from bot.config import SETTINGS
from bot.core.registry import all_commands
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS_MD = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## `` heading."""
    m = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"no '## {heading}' section"
    return m.group(1)


def _table_rows(section: str) -> list[list[str]]:
    rows = [ln for ln in section.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows[2:]]


CONFIG_ROWS = {row[0].strip("`"): row for row in _table_rows(_section(README, "Configuration"))}
COMMAND_ROWS = _table_rows(_section(README, "Commands"))


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_every_setting_is_in_the_readme_configuration_table(setting):
    assert setting.env in CONFIG_ROWS, f"{setting.env} missing from README's configuration table"
    _, default, meaning = CONFIG_ROWS[setting.env]
    assert default == (f"`{setting.default}`" if setting.default else "(empty)")
    assert meaning


def test_the_configuration_table_has_no_unknown_settings():
    assert set(CONFIG_ROWS) == {s.env for s in SETTINGS}


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: c.name)
def test_every_command_is_in_the_readme_command_table(command):
    names = [re.match(r"`/([\w-]+)", row[0]).group(1) for row in COMMAND_ROWS]
    assert command.name in names, f"/{command.name} missing from README's command table"


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: c.name)
def test_every_command_has_a_section_in_docs_commands_md(command):
    section = _section(COMMANDS_MD, f"/{command.name}")
    assert f"`{command.synopsis}`" in section
    assert "Example" in section


def _subcommands() -> list[str]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return sorted(sub.choices)


@pytest.mark.parametrize("name", _subcommands())
def test_every_cli_subcommand_is_in_the_readme(name):
    assert re.search(rf"^briefbot \[--db PATH\] {name}\b", _section(README, "Command line"), re.M)


def test_subcommand_help_ends_with_an_example():
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name, p in sub.choices.items():
        assert (p.epilog or "").startswith("Example: briefbot "), name
