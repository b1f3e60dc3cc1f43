"""Extraction quality on labelled real articles: party precision / recall / F1, amount accuracy,
and parties wrongly returned for negative cases.

Each case runs the way a user would meet it: a fresh database, the article ingested through the
real pipeline (parse → store → extract), the question asked through the real command path.

    python -m tests.eval.score                  # cases.jsonl (falls back to smoke_cases.jsonl)
    python -m tests.eval.score --cases FILE --verbose
    python -m tests.eval.score --ko             # the Korean set (ko/, else ko_smoke/)

The Korean set adds two kinds. ``search`` (``"article": null``, ``"question": "/find 하이닉스"``,
``"expected_articles": [files…]``) is asked of one database holding every article of the set and
scored by the recall and precision of the articles returned. ``alias`` (``"question": "/whois
산업통상자원부"``, ``"expected_entity": "Ministry of Trade, Industry and Energy"``,
``"expected_names": ["MOTIE", "산업부"]``) is right when /whois answers that entity (its name or
an alias of it) and lists every expected name among its names.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.jsonl"
SMOKE_CASES = HERE / "smoke_cases.jsonl"
FLOORS = HERE / "floors.json"
KO_CASES = HERE / "ko" / "cases.jsonl"
KO_SMOKE_CASES = HERE / "ko_smoke" / "cases.jsonl"
KINDS = ("parties", "amount", "none", "search", "alias")
VALUE_TOLERANCE = 0.01  # relative: "$1.5 billion" vs 1_500_000_000 is the same amount


def cases_path() -> Path:
    """The labelled set when it exists, else the placeholder smoke set."""
    return CASES if CASES.exists() else SMOKE_CASES


def ko_cases_path() -> Path:
    """The Korean set when it exists, else the short Korean texts written for the harness."""
    return KO_CASES if KO_CASES.exists() else KO_SMOKE_CASES


def load_cases(path: Path) -> list[dict]:
    """Read a cases file, failing with the line number on a malformed case."""
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}:{n}: not JSON ({exc})") from exc
        missing = {"id", "article", "question", "kind"} - case.keys()
        if missing or case["kind"] not in KINDS:
            raise ValueError(f"{path.name}:{n}: needs id, article, question and kind in {KINDS}; missing {sorted(missing)}")
        if case["kind"] == "parties" and not case.get("expected_parties"):
            raise ValueError(f"{path.name}:{n}: a parties case needs expected_parties")
        if case["kind"] == "amount" and not case.get("expected_amount"):
            raise ValueError(f"{path.name}:{n}: an amount case needs expected_amount")
        if case["kind"] == "search":
            if "expected_articles" not in case:
                raise ValueError(f"{path.name}:{n}: a search case needs expected_articles")
            missing_files = [a for a in case["expected_articles"] if not (path.parent / a).is_file()]
            if missing_files:
                raise ValueError(f"{path.name}:{n}: article file {missing_files[0]} not found")
            cases.append(case)
            continue
        if case["kind"] == "alias" and not case.get("expected_entity"):
            raise ValueError(f"{path.name}:{n}: an alias case needs expected_entity")
        if not case.get("article") or not (path.parent / case["article"]).is_file():
            raise ValueError(f"{path.name}:{n}: article file {case.get('article')} not found")
        cases.append(case)
    return cases


@dataclass
class Scores:
    """Totals over all cases, and what went wrong in each."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    amounts: int = 0
    amounts_right: int = 0
    investors_right: int = 0
    investors_not_names: int = 0  # an investor shown that is a bullet, an adverb, a verb, a date, a title
    negatives: int = 0
    negative_false_parties: int = 0
    abstained: int = 0  # parties cases answered "parties unclear"
    shown_tp: int = 0  # parties shown, confident or not
    shown_fp: int = 0
    shown_fn: int = 0
    search_cases: int = 0
    search_tp: int = 0
    search_fp: int = 0
    search_fn: int = 0
    aliases: int = 0
    aliases_right: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def search_precision(self) -> float:
        return self.search_tp / (self.search_tp + self.search_fp) if self.search_tp + self.search_fp else 1.0

    @property
    def search_recall(self) -> float:
        return self.search_tp / (self.search_tp + self.search_fn) if self.search_tp + self.search_fn else 1.0

    @property
    def alias_accuracy(self) -> float:
        return self.aliases_right / self.aliases if self.aliases else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def amount_accuracy(self) -> float:
        return self.amounts_right / self.amounts if self.amounts else 1.0

    @property
    def investor_accuracy(self) -> float:
        return self.investors_right / self.amounts if self.amounts else 1.0

    @property
    def shown_f1(self) -> float:
        p = self.shown_tp / (self.shown_tp + self.shown_fp) if self.shown_tp + self.shown_fp else 1.0
        r = self.shown_tp / (self.shown_tp + self.shown_fn) if self.shown_tp + self.shown_fn else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "party_precision": round(self.precision, 4), "party_recall": round(self.recall, 4),
            "party_f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "amount_accuracy": round(self.amount_accuracy, 4), "amount_cases": self.amounts,
            "investor_accuracy": round(self.investor_accuracy, 4),
            "investors_not_names": self.investors_not_names,
            "negative_cases": self.negatives, "negative_false_parties": self.negative_false_parties,
            "abstained": self.abstained, "shown_party_f1": round(self.shown_f1, 4),
            "search_cases": self.search_cases, "search_precision": round(self.search_precision, 4),
            "search_recall": round(self.search_recall, 4), "alias_cases": self.aliases,
            "alias_accuracy": round(self.alias_accuracy, 4),
        }


def _signed_parties(reply, *, shown: bool = False) -> list[dict]:
    """The parties /who-signed gives as the signatories of its first agreement: none when that
    agreement is not signed (expected, in talks), and none when the answer says the parties are
    unclear (low confidence) — unless ``shown``: every name the answer shows."""
    for answer in reply.answers:
        if answer.kind != "agreement":
            continue
        if answer.data.get("status", "signed") not in ("signed", "terminated"):
            return []
        if answer.data.get("confidence") == "low" and not shown:
            return []
        return [{"name": n, "as_written": w} for n, w in
                zip(answer.data["parties"], answer.data["parties_as_written"], strict=True)]
    return []


def _entity_of(db, name: str):
    from ingest.extract.names import name_key

    row = db.execute("SELECT entity_id FROM aliases WHERE key = ?", [name_key(name)]).fetchone()
    return row[0] if row else None


def _same(db, predicted: dict, expected: str) -> bool:
    from ingest.extract.names import name_key

    want = name_key(expected)
    if want in (name_key(predicted["name"]), name_key(predicted["as_written"])):
        return True
    entity = _entity_of(db, expected)
    return entity is not None and entity == _entity_of(db, predicted["name"])


def _amount_right(answer, expected: dict) -> bool:
    from ingest.extract.names import name_key

    data = answer.data
    if expected.get("currency") and data.get("currency") != expected["currency"]:
        return False
    value = expected.get("value")
    if value is not None and data.get("value") is not None:
        return abs(data["value"] - value) <= VALUE_TOLERANCE * abs(value)
    return name_key(data.get("amount") or "") == name_key(expected.get("amount") or "")


def _investor_right(db, answer, expected: dict) -> bool:
    """The label's ``by`` (the investor as written) is the answer's investor as written, its
    name, or an alias of the same entity."""
    from ingest.extract.names import name_key

    want = expected.get("by")
    if not want:
        return True
    got = [answer.data.get("by_as_written") or "", answer.data.get("by") or ""]
    if name_key(want) in {name_key(g) for g in got if g}:
        return True
    entity = _entity_of(db, want)
    return entity is not None and any(entity == _entity_of(db, g) for g in got if g)


def not_a_name(shown: str) -> bool:
    """An investor shown that no reader takes for a name: a list's bullet, a sentence adverb
    ("Furthermore"), a verb of saying, a date, a pronoun or a person's title opening it."""
    from ingest.extract import lexicon as lx

    text = shown.strip()
    if not text or not text[0].isalnum():
        return True  # "• Furthermore", "- EIB", "(Minister"
    first = text.split()[0].strip(",.;:").lower()
    return (first in lx.SENTENCE_ADVERBS or first in lx.REPORTING_VERBS or first in lx.CALENDAR_WORDS
            or first in lx.ROLE_WORDS or first in {"it", "they", "we", "this", "these", "those", "which"}
            or re.match(r"\d{1,4}[/.-]\d", first) is not None)  # "02/12/2016", not "15 investors"


def _match_parties(db, got: list[dict], expected: list[str], scores: Scores, prefix: str) -> None:
    """Count true and false positives and misses into ``scores`` (attributes with ``prefix``)."""
    matched = set()
    for p in got:
        hit = next((i for i, e in enumerate(expected) if i not in matched and _same(db, p, e)), None)
        if hit is None:
            setattr(scores, prefix + "fp", getattr(scores, prefix + "fp") + 1)
        else:
            matched.add(hit)
            setattr(scores, prefix + "tp", getattr(scores, prefix + "tp") + 1)
    setattr(scores, prefix + "fn", getattr(scores, prefix + "fn") + len(expected) - len(matched))


def _services(tmp: str):
    from bot.app import Services
    from bot.config import Settings

    settings = Settings.from_env({}, db_path=str(Path(tmp) / "eval.db"), seeds_dir=str(Path(tmp) / "none"))
    return Services(settings)


def _set_files(cases: list[dict], base: Path) -> list[Path]:
    """Every article of a set: the files its cases name and the files beside them."""
    named = {base / c["article"] for c in cases if c.get("article")}
    named |= {base / a for c in cases for a in c.get("expected_articles", [])}
    folders = {p.parent for p in named}
    return sorted({f for d in folders for f in d.iterdir() if f.is_file() and not f.name.startswith(".")} | named)


def run_search_cases(cases: list[dict], base: Path, scores: Scores) -> None:
    """Ask every ``search`` case of a set of one database holding all its articles; score the
    articles returned against those expected (by file)."""
    searches = [c for c in cases if c["kind"] == "search"]
    if not searches:
        return
    with tempfile.TemporaryDirectory() as tmp:
        services = _services(tmp)
        try:
            report = services.ingest(_set_files(cases, base))
            for failed in report.failed:
                scores.failures.append(f"search set: {failed.input} failed to ingest: {failed.message}")
            # one article may come from several files (the same release in UTF-8 and EUC-KR is
            # stored once): returning it returns each of them
            files_of: dict[str, set[Path]] = {}
            for outcome in report.inputs:
                for article_id in outcome.article_ids:
                    files_of.setdefault(str(article_id), set()).add(Path(outcome.input).resolve())
            path_ids = {p: i for i, ps in files_of.items() for p in ps}
            for case in searches:
                scores.search_cases += 1
                reply = services.ask(case["question"])
                got = set()
                for answer in reply.answers:
                    for source in answer.sources:
                        if source.path:
                            path = Path(source.path).resolve()
                            got |= files_of.get(path_ids.get(path, ""), {path})
                want = {(base / a).resolve() for a in case["expected_articles"]}
                scores.search_tp += len(got & want)
                scores.search_fp += len(got - want)
                scores.search_fn += len(want - got)
                for p in sorted(want - got):
                    scores.failures.append(f"{case['id']}: {case['question']} missed {p.name}")
                for p in sorted(got - want):
                    scores.failures.append(f"{case['id']}: {case['question']} returned {p.name}")
        finally:
            services.close()


def _alias_right(reply, case: dict) -> tuple[bool, str]:
    """/whois answered the expected entity and lists every expected name."""
    from ingest.extract.names import name_key

    entity = next((a for a in reply.answers if a.kind == "entity"), None)
    if entity is None:
        return False, "no entity"
    name = entity.data.get("name") or ""
    names = {name_key(n) for n in [name, *entity.data.get("aliases", [])]}
    expected = case["expected_entity"]
    if name_key(expected) not in names:
        return False, f"entity {name!r}"
    missing = [n for n in case.get("expected_names", []) if name_key(n) not in names]
    return (not missing), (f"names missing {missing}" if missing else "")


def run_case(case: dict, base: Path, scores: Scores) -> None:
    """Ingest one case's article into a fresh database, ask its question, score the answer."""
    if case["kind"] == "search":
        return  # scored over the whole set by run_search_cases
    with tempfile.TemporaryDirectory() as tmp:
        services = _services(tmp)
        try:
            report = services.ingest([base / case["article"]])
            if report.failed:
                scores.failures.append(f"{case['id']}: article failed to ingest: {report.failed[0].message}")
            reply = services.ask(case["question"])
            db = services.db
            if case["kind"] == "parties":
                got = _signed_parties(reply)
                shown = _signed_parties(reply, shown=True)
                if shown and not got:
                    scores.abstained += 1
                    scores.failures.append(f"{case['id']}: parties unclear (shown: {[p['as_written'] for p in shown]})")
                _match_parties(db, shown, case["expected_parties"], scores, "shown_")
                expected = list(case["expected_parties"])
                matched_expected = set()
                for p in got:
                    hit = next((i for i, e in enumerate(expected) if i not in matched_expected and _same(db, p, e)), None)
                    if hit is None:
                        scores.fp += 1
                        scores.failures.append(f"{case['id']}: extra party {p['as_written']!r}")
                    else:
                        matched_expected.add(hit)
                        scores.tp += 1
                for i, e in enumerate(expected):
                    if i not in matched_expected:
                        scores.fn += 1
                        scores.failures.append(f"{case['id']}: missing party {e!r}")
            elif case["kind"] == "amount":
                scores.amounts += 1
                answers = [a for a in reply.answers if a.kind == "investment"]
                for shown in {a.data.get(k) or "" for a in answers[:1] for k in ("by", "by_as_written")} - {""}:
                    if not_a_name(shown):
                        scores.investors_not_names += 1
                        scores.failures.append(f"{case['id']}: investor shown {shown!r} is not a name")
                if answers and _amount_right(answers[0], case["expected_amount"]):
                    scores.amounts_right += 1
                    if _investor_right(db, answers[0], case["expected_amount"]):
                        scores.investors_right += 1
                    else:
                        scores.failures.append(f"{case['id']}: investor {answers[0].data.get('by_as_written')!r}, "
                                               f"expected {case['expected_amount'].get('by')!r}")
                else:
                    got = answers[0].data.get("amount") if answers else None
                    scores.failures.append(f"{case['id']}: amount {got!r}, expected {case['expected_amount'].get('amount')!r}")
            elif case["kind"] == "alias":
                scores.aliases += 1
                right, why = _alias_right(reply, case)
                if right:
                    scores.aliases_right += 1
                else:
                    scores.failures.append(f"{case['id']}: {case['question']}: {why}")
            else:
                scores.negatives += 1
                got = _signed_parties(reply)
                scores.negative_false_parties += len(got)
                if got:
                    scores.failures.append(f"{case['id']}: negative case returned {[p['as_written'] for p in got]}")
        finally:
            services.close()


def evaluate(path: Path | None = None) -> Scores:
    """Score every case in ``path`` (default: cases.jsonl, else the smoke set)."""
    path = path or cases_path()
    scores = Scores()
    cases = load_cases(path)
    for case in cases:
        run_case(case, path.parent, scores)
    run_search_cases(cases, path.parent, scores)
    return scores


def main(argv: list[str] | None = None) -> int:
    """Print the scores (and with --verbose each miss)."""
    import logging

    logging.disable(logging.INFO)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, help="cases file (default: tests/eval/cases.jsonl, else smoke_cases.jsonl)")
    parser.add_argument("--verbose", action="store_true", help="list every missing or extra party and wrong amount")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--ko", action="store_true", help="the Korean set (tests/eval/ko/, else ko_smoke/)")
    args = parser.parse_args(argv)
    path = args.cases or (ko_cases_path() if args.ko else cases_path())
    scores = evaluate(path)
    if args.json:
        print(json.dumps(dict(scores.as_dict(), cases=str(path.name)), indent=2))
    else:
        d = scores.as_dict()
        print(f"cases: {path.name}")
        print(f"parties: precision {d['party_precision']:.3f}  recall {d['party_recall']:.3f}  F1 {d['party_f1']:.3f}"
              f"  (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})")
        print(f"amounts: accuracy {d['amount_accuracy']:.3f} over {d['amount_cases']} cases"
              f"  (investor named as labelled: {d['investor_accuracy']:.3f}, not a floor;"
              f" {d['investors_not_names']} not a name)")
        print(f"negatives: {d['negative_false_parties']} false parties over {d['negative_cases']} cases")
        print(f"abstained: {d['abstained']} parties cases answered \"parties unclear\"  "
              f"(F1 counting every name shown: {d['shown_party_f1']:.3f})")
        if d["search_cases"]:
            print(f"search: precision {d['search_precision']:.3f}  recall {d['search_recall']:.3f}"
                  f" over {d['search_cases']} cases")
        if d["alias_cases"]:
            print(f"aliases: accuracy {d['alias_accuracy']:.3f} over {d['alias_cases']} cases")
    if args.verbose:
        for line in scores.failures:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
