"""The command registry: one module imported per command run, and a table that says which."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.core.registry import MODULES, all_commands, get_command
from tests.conftest import ROOT


def test_the_table_of_modules_names_every_command_and_alias_where_it_is_defined():
    registered = {}
    for cmd in all_commands():
        module = cmd.handler.__module__.rpartition(".")[2]
        registered[cmd.name] = module
        registered.update(dict.fromkeys(cmd.aliases, module))
    assert registered == MODULES
    assert {p.stem for p in (ROOT / "bot" / "core" / "commands").glob("*.py")} - {"__init__"} == set(MODULES.values())


def test_an_unknown_name_is_no_command_and_loads_nothing():
    assert get_command("nope") is None
    assert get_command("/WHO").name == "whois"


def test_running_one_command_imports_only_its_module():
    probe = ("import json, sys\n"
             "from bot.core.registry import get_command\n"
             "get_command('latest')\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith('bot.core.commands.'))))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    # /latest shows articles the way /find does
    assert json.loads(out.stdout) == ["bot.core.commands.find", "bot.core.commands.latest"]
