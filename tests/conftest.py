"""Shared fixtures: real SQLite files under tmp_path, the real seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import Services
from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# The eleven signatories of the Aug. 29 advanced-packaging agreement (seed 001), by the canonical
# names answers show.
SIGNATORIES = (
    "Ministry of Trade, Industry and Energy", "Samsung Electronics", "SK hynix", "LG Chem",
    "Hana Micron", "Protec", "Sapeon Korea", "Symtec",
    "Next-Generation Intelligent Semiconductor Business Group",
    "Korea Semiconductor Industry Association",
    "Korea Evaluation Institute of Industrial Technology",
)
MOU_FILE = "001_694fc1f307a2a585.txt"


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for a fresh database in tmp_path, nothing configured."""
    return Settings.from_env({}, db_path=str(tmp_path / "briefbot.db"), seeds_dir=str(SEEDS))


@pytest.fixture
def services(settings):
    """Services over an empty database."""
    svc = Services(settings)
    yield svc
    svc.close()


@pytest.fixture
def seeded(services):
    """Services over a database holding the four seed articles."""
    report = services.ingest([SEEDS])
    assert not report.failed
    return services
