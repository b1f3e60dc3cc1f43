"""Database checks: `serve` looks at what takes the same time at any size (the header, the
schema, a write lock); `doctor` and a daily job read the whole file and find a damaged page."""

from __future__ import annotations

import sqlite3

from bot.health import check_integrity
from storage.health import header_problem, integrity_problem, probe_database


def _damage_an_article_page(path) -> None:
    """Overwrite one page of the articles' rows (not the schema a start reads)."""
    conn = sqlite3.connect(path)
    number = conn.execute("SELECT max(pageno) FROM dbstat WHERE name = 'articles'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    data[(number - 1) * page:number * page] = b"\xff" * page
    path.write_bytes(bytes(data))


def test_a_damaged_page_of_articles_is_found_by_the_whole_file_check_not_at_start(seeded):
    path = seeded.settings.db_path
    seeded.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seeded.close()
    from pathlib import Path

    _damage_an_article_page(Path(path))

    quick = probe_database(path, deep=False)
    assert quick.ok and quick.articles is None  # header, schema and lock: fine; nothing counted
    deep = probe_database(path, deep=True)
    assert not deep.ok and "is damaged" in deep.error
    assert integrity_problem(path).startswith(f"{path} is damaged")
    report = check_integrity(seeded)
    assert report["ok"] is False and "is damaged" in report["error"]


def test_the_header_check_finds_other_files_and_cut_short_ones(tmp_path, seeded):
    notes = tmp_path / "notes.db"
    notes.write_text("these are my notes, not a database\n" * 10)
    assert header_problem(notes) == f"{notes} is not an SQLite database (its header is not SQLite's)"
    seeded.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seeded.close()
    from pathlib import Path

    whole = Path(seeded.settings.db_path).read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "is damaged: it is cut short" in header_problem(cut)
    assert header_problem(Path(seeded.settings.db_path)) is None
    assert integrity_problem(seeded.settings.db_path) is None
