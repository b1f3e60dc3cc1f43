"""The layering rule (DESIGN.md §3.3), checked on the imports of every module, and the
promise that ``briefbot ask`` loads no platform, LLM or scheduler library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEEDS

PACKAGES = ("bot", "ingest", "storage", "digests", "watches", "bench")

# library -> where it may be imported (path prefixes, relative to the repository root)
ALLOWED = {
    "slack_bolt": ("bot/adapters/",),
    "slack_sdk": ("bot/adapters/",),
    "discord": ("bot/adapters/",),
    "sqlite_utils": ("storage/",),
    "openai": ("digests/summarize.py",),
    "httpx": ("ingest/",),
    # The fidelity and HTML benchmarks measure us against these libraries' own reading.
    "feedparser": ("ingest/", "bench/fidelity.py"),
    "trafilatura": ("ingest/", "bench/fidelity.py", "bench/html.py"),
    "listparser": ("ingest/opml.py",),
    "re2": ("watches/filter.py",),
    "spacy": ("ingest/extract/reader.py",),
}
# Nothing the console's one-shot `ask` needs; loading any of these would make it slow.
NOT_ON_ASK = ("slack_bolt", "slack_sdk", "discord", "openai", "apscheduler", "trafilatura", "spacy")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (functions too), relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def violations(root: Path) -> list[str]:
    """Every import in the project's packages that breaks the layering rule."""
    out = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            for name in sorted(imports_of(path, root)):
                top = name.split(".")[0]
                if top in ALLOWED and not rel.startswith(ALLOWED[top]):
                    out.append(f"{rel} imports {name}")
                if rel.startswith("bot/core/") and (name == "bot.adapters" or name.startswith("bot.adapters.")):
                    out.append(f"{rel} imports {name} (the core never knows an adapter)")
    return out


def test_every_module_keeps_to_its_layer():
    assert violations(ROOT) == []


def test_the_check_catches_a_violation(tmp_path):
    (tmp_path / "bot" / "core" / "commands").mkdir(parents=True)
    (tmp_path / "storage").mkdir()
    (tmp_path / "bot" / "core" / "commands" / "bad.py").write_text(
        "def handler():\n    from ...adapters.slack import render\n    import sqlite_utils\n"
    )
    (tmp_path / "storage" / "fine.py").write_text("import sqlite_utils\nfrom trafilatura import extract\n")
    assert violations(tmp_path) == [
        "bot/core/commands/bad.py imports bot.adapters.slack (the core never knows an adapter)",
        "bot/core/commands/bad.py imports bot.adapters.slack.render (the core never knows an adapter)",
        "bot/core/commands/bad.py imports sqlite_utils",
        "storage/fine.py imports trafilatura",
        "storage/fine.py imports trafilatura.extract",
    ]


def test_ask_imports_no_platform_llm_scheduler_or_html_library(tmp_path):
    db = tmp_path / "b.db"
    subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "ingest", str(SEEDS)],
                   cwd=ROOT, check=True, capture_output=True)
    probe = (
        "import contextlib, io, json, sys\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    rc = main(['--db', {str(db)!r}, 'ask', '/latest 10'])\n"
        "print(json.dumps({'rc': rc, 'out': out.getvalue(), 'modules': sorted(sys.modules)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    report = json.loads(result.stdout)
    assert report["rc"] == 0 and report["out"].startswith("Latest 4 articles")
    loaded = {m.split(".")[0] for m in report["modules"]}
    assert loaded.isdisjoint(NOT_ON_ASK), sorted(loaded & set(NOT_ON_ASK))
    assert "bot.core.commands.find" in report["modules"]  # the probe did run a command
