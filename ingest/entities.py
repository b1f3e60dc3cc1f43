"""The bundled table of the beat's organisations in English and Korean (``entities.toml``)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("entities.toml")


@lru_cache(maxsize=1)
def bundled_entities() -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """Every entity of the table: (English name, kind, Korean names, English aliases)."""
    with TABLE.open("rb") as fh:
        table = tomllib.load(fh)
    return tuple(
        (org["name"], org.get("kind", "org"), tuple(org.get("ko", ())), tuple(org.get("aliases", ())))
        for org in table.get("org", ())
    )


def korean_name_of(names: list[str]) -> str | None:
    """The first name in Hangul among ``names`` (an entity's aliases, official name first)."""
    from ingest.korean import has_hangul

    return next((n for n in names if has_hangul(n)), None)


def with_bundled(builtin: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """``builtin`` (canonical name → (kind, aliases)) with the table's names added after the
    English ones, the official Korean name first among the Korean (``korean_name_of``)."""
    merged = dict(builtin)
    for name, kind, ko, aliases in bundled_entities():
        old_kind, old = merged.get(name, (kind, ()))
        merged[name] = (old_kind, tuple(dict.fromkeys((*old, *aliases, *ko))))
    return merged
