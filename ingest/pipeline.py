"""Local files and folders → parsed articles → storage. Bad inputs are reported, never fatal."""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.parse import MAX_INPUT_BYTES, ParseError, ParseResult, parse_bytes
from storage.articles import StoreResult, store_articles

log = logging.getLogger("briefbot.ingest")

BATCH = 500  # articles stored per transaction


@dataclass
class InputOutcome:
    """What one input file gave: its outcome (new, duplicate, updated, warning, error, skipped)."""

    input: str
    outcome: str
    titles: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    message: str = ""
    new: int = 0  # of its articles: stored as new rows
    updated: int = 0  # replaced the text of a stored row
    duplicate: int = 0  # already stored (or an older or partial copy of one)

    def describe(self) -> str:
        """What the input gave, for its line of the report: the title of its one article, or
        how many articles and what became of each (the counts add up to the articles)."""
        if len(self.titles) == 1:
            return self.titles[0]
        if not self.titles:
            return ""
        counts = [f"{n} {label}" for n, label in
                  ((self.new, "new"), (self.updated, "updated"), (self.duplicate, "duplicate")) if n]
        return f"{len(self.titles)} articles: " + ", ".join(counts)


@dataclass
class IngestReport:
    """Every input's outcome and the totals."""

    inputs: list[InputOutcome] = field(default_factory=list)
    seconds: float = 0.0
    resumed: int = 0  # articles an interrupted earlier run left without facts, read now

    @property
    def failed(self) -> list[InputOutcome]:
        return [i for i in self.inputs if i.outcome == "error"]

    def count(self, outcome: str) -> int:
        """How many inputs had ``outcome``."""
        return sum(1 for i in self.inputs if i.outcome == outcome)

    def articles(self, outcome: str) -> int:
        """How many articles, over all inputs, were new, updated or duplicate."""
        return sum(getattr(i, outcome) for i in self.inputs)

    @property
    def article_ids(self) -> list[int]:
        return [a for i in self.inputs for a in i.article_ids]


class Skipped(str):
    """Why a path was skipped (a named pipe, socket or device): reported, not a failure."""


def _special(path: str) -> Skipped | None:
    """Why ``path`` is not a file to read (reading a named pipe would wait forever), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return Skipped("skipped: a link to nothing")
    if stat.S_ISREG(mode):
        return None
    kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return Skipped(f"skipped: {kind}, not a regular file")


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[str, str | None]]:
    """Every file under ``paths`` (folders recursively, hidden files skipped), sorted; a path
    that does not exist is yielded with its error, a pipe, socket or device with why it is
    skipped."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name), _special(str(Path(root) / name))
        elif path.is_file():
            yield str(path), None
        elif path.exists():
            yield str(path), _special(str(path))
        else:
            yield str(path), "no such file or folder"


def read_input(path: str) -> bytes:
    """The bytes of one file, refusing oversized ones before reading them."""
    size = os.path.getsize(path)
    if size > MAX_INPUT_BYTES:
        raise ParseError(
            f"file is {size / 1_048_576:.1f} MiB, over the {MAX_INPUT_BYTES // 1_048_576} MiB "
            "limit for one article or feed"
        )
    # O_NONBLOCK: a file swapped for a named pipe after the walk must not block the ingest
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ParseError("not a regular file")
        return fh.read()


def parse_file(path: str) -> ParseResult | str:
    """One file parsed, or the reason it could not be, in words for the user."""
    try:
        return parse_bytes(read_input(path), path=path)
    except ParseError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    except Exception as exc:  # a parser bug on one odd file must not stop the others
        log.exception("parsing %s failed", path)
        return f"could not be parsed ({type(exc).__name__}); details are in the log"


ProgressFn = Callable[[int, int, int], None]  # (files done, files total, articles stored)
AfterStore = Callable[[object, list[StoreResult], list], None]  # (db, results, articles)


def ingest_paths(
    db,
    paths: Iterable[str | os.PathLike],
    *,
    progress: ProgressFn | None = None,
    after_store: AfterStore | None = None,
    planned: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest files and folders. Each file is parsed on its own; a broken one is reported with
    its reason and the others are still stored. Articles are stored in batches (one
    transaction each). ``planned`` is told how many files there are before any is read."""
    started = time.perf_counter()
    report = IngestReport()
    files = list(iter_files(paths))
    if planned is not None:
        planned(len(files))
    pending: list[tuple[InputOutcome, list]] = []
    pending_count = 0
    stored = 0

    def flush() -> None:
        nonlocal pending, pending_count, stored
        if not pending:
            return
        articles = [a for _, arts in pending for a in arts]
        results = store_articles(db, articles)
        if after_store is not None:
            after_store(db, results, articles)
        it = iter(results)
        for outcome, arts in pending:
            rs = [next(it) for _ in arts]
            outcome.article_ids = [r.article_id for r in rs if r.article_id is not None]
            outcome.new = sum(r.outcome == "new" for r in rs)
            outcome.updated = sum(r.outcome == "updated" for r in rs)
            outcome.duplicate = sum(r.outcome == "duplicate" for r in rs)
            notes = [w for r in rs for w in r.warnings if w not in outcome.message]
            if notes:  # what storing said (an older copy kept out) belongs on the file's line too
                outcome.message = "; ".join(dict.fromkeys([outcome.message, *notes] if outcome.message else notes))
            kinds = {r.outcome for r in rs}
            outcome.outcome = (
                "warning" if outcome.message and "new" in kinds else
                "new" if "new" in kinds else "updated" if "updated" in kinds else "duplicate"
            )
            stored += sum(1 for r in rs if r.outcome != "duplicate")
        pending, pending_count = [], 0

    for done, (path, missing) in enumerate(files, 1):
        outcome = InputOutcome(input=path, outcome="error")
        report.inputs.append(outcome)
        parsed = missing or parse_file(path)
        if isinstance(parsed, Skipped):
            outcome.outcome, outcome.message = "skipped", str(parsed)
        elif isinstance(parsed, str):
            outcome.message = parsed
        else:
            outcome.titles = [a.title for a in parsed.articles]
            outcome.message = "; ".join(dict.fromkeys(parsed.warnings))
            pending.append((outcome, parsed.articles))
            pending_count += len(parsed.articles)
            if pending_count >= BATCH:
                flush()
        if progress is not None:
            progress(done, len(files), stored)
    flush()
    report.seconds = time.perf_counter() - started
    return report
