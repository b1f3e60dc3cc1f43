"""What `pyproject.toml` installs is enough: HTML ingest works in the installed environment."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import requires

from tests.conftest import ROOT


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s;<>=!~\[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_the_html_cleaner_is_a_direct_dependency():
    # pip before 23.3 (Python 3.11 ships 23.2) does not match jusText's lxml[html_clean] to lxml's
    # html-clean extra: without a direct dependency, trafilatura fails to import.
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert "lxml-html-clean" in _names(declared)
    installed = [r for r in requires("briefbot") or [] if "extra ==" not in r]
    assert "lxml-html-clean" in _names(installed)


def test_trafilatura_imports_and_extracts_in_a_fresh_interpreter():
    page = ("<html><head><title>Plant</title></head><body><nav>Home</nav><article><p>"
            + "The ministry opened an advanced packaging plant in Cheonan. " * 5
            + "</p></article></body></html>")
    code = ("import sys, trafilatura, lxml_html_clean; "
            "print(trafilatura.extract(sys.stdin.read()))")
    result = subprocess.run([sys.executable, "-c", code], input=page, capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "advanced packaging plant in Cheonan" in result.stdout and "Home" not in result.stdout
