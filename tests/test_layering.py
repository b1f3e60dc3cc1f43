"""The layering rule, checked on the imports of every module: libraries only
where they belong, packages importing only the layers below them, no import circle; and the
promise that ``briefbot ask`` loads no platform, LLM, scheduler or extraction library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEEDS

PACKAGES = ("base", "bot", "ingest", "storage", "digests", "watches", "bench")
# The layers, lowest first: a module may import its own layer and those below, never one above.
# A module belongs to the longest prefix that names it ("bot.core.topic" is bot.core).
LAYERS = ("base", "storage", "ingest", "digests", "watches", "bot.config", "bot.core", "bot.adapters",
          "bot", "bench")

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
    "numpy": ("digests/cluster.py",),
}
# Nothing the console's one-shot `ask` needs; loading any of these would make it slow.
NOT_ON_ASK = ("slack_bolt", "slack_sdk", "discord", "openai", "apscheduler", "trafilatura", "spacy", "numpy")
# What `ask "/latest"` must not load either: what other commands need (extraction rules,
# clustering, watches) and sqlite-utils (it applies migrations; none are pending here).
NOT_ON_LATEST = ("ingest.extract", "digests", "watches", "sqlite_utils", "numpy", "bot.core.commands.whois")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (functions and type-checking blocks too),
    relative ones resolved; ``from pkg import name`` counts as ``pkg`` and ``pkg.name``."""
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


def layer_of(module: str) -> str | None:
    """The layer a module belongs to (None: not one of ours)."""
    found = [layer for layer in LAYERS if module == layer or module.startswith(layer + ".")]
    return max(found, key=len) if found else None


def project_modules(root: Path) -> dict[str, Path]:
    """Module name → file, for every module of the project's packages."""
    return {module_name(path, root): path for package in PACKAGES for path in sorted((root / package).rglob("*.py"))}


def violations(root: Path) -> list[str]:
    """Every import in the project's packages that breaks the layering rule."""
    out = []
    modules = project_modules(root)
    for module, path in modules.items():
        rel = path.relative_to(root).as_posix()
        here = layer_of(module)
        for name in sorted(imports_of(path, root)):
            top = name.split(".")[0]
            if top in ALLOWED and not rel.startswith(ALLOWED[top]):
                out.append(f"{rel} imports {name}")
            there = layer_of(name)
            if here and there and LAYERS.index(there) > LAYERS.index(here):
                out.append(f"{rel} imports {name} ({here} is below {there})")
    return out


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the project modules it imports (a package's own submodules as themselves)."""
    modules = project_modules(root)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        found = imports_of(path, root)
        # "from pkg import sub" imports the submodule; "pkg" itself is only the way there
        targets = {n for n in found if n in modules}
        targets -= {n for n in targets if any(o.startswith(n + ".") and o in modules for o in found)}
        graph[module] = targets - {module}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph``: each group of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def test_every_module_keeps_to_its_layer():
    assert violations(ROOT) == []


def test_no_two_modules_import_each_other():
    assert circles(import_graph(ROOT)) == []


def test_the_check_catches_an_upward_import_and_a_circle(tmp_path):
    for folder in ("storage", "digests", "base"):
        (tmp_path / folder).mkdir()
    (tmp_path / "storage" / "facts.py").write_text("def f():\n    from digests.post import deliver\n")
    (tmp_path / "digests" / "post.py").write_text("from digests.schedule import GRACE\n")
    (tmp_path / "digests" / "schedule.py").write_text("def g():\n    from digests import post\n")
    (tmp_path / "base" / "reply.py").write_text("from storage.facts import f\n")
    assert violations(tmp_path) == [
        "base/reply.py imports storage.facts (base is below storage)",
        "base/reply.py imports storage.facts.f (base is below storage)",
        "storage/facts.py imports digests.post (storage is below digests)",
        "storage/facts.py imports digests.post.deliver (storage is below digests)",
    ]
    assert circles(import_graph(tmp_path)) == [["digests.post", "digests.schedule"]]


def test_the_check_catches_a_violation(tmp_path):
    (tmp_path / "bot" / "core" / "commands").mkdir(parents=True)
    (tmp_path / "storage").mkdir()
    (tmp_path / "bot" / "core" / "commands" / "bad.py").write_text(
        "def handler():\n    from ...adapters.slack import render\n    import sqlite_utils\n"
    )
    (tmp_path / "storage" / "fine.py").write_text("import sqlite_utils\nfrom trafilatura import extract\n")
    assert violations(tmp_path) == [
        "bot/core/commands/bad.py imports bot.adapters.slack (bot.core is below bot.adapters)",
        "bot/core/commands/bad.py imports bot.adapters.slack.render (bot.core is below bot.adapters)",
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
    assert "bot.core.commands.latest" in report["modules"]  # the probe did run the command
    assert [m for m in report["modules"] if m.startswith(NOT_ON_LATEST)] == []
