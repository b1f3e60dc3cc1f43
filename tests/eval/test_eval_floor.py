"""Extraction quality must not fall under the floors pinned in floors.json.

The written tuning set is tests/eval/cases.jsonl; the held-out set (holdout/), the published-text
tuning set (real/) and the blind sets of published text (blind/ to blind5/, studied after their
first measurement, and blind6/, never studied) each have a floor under "sets", pinned at the score
the extraction reached when the set was measured. Raising a floor is a commit of its own; lowering one
needs a written reason.
"""

import json
from pathlib import Path

import pytest

from tests.eval.score import FLOORS, cases_path, evaluate, load_cases

EVAL = Path(__file__).resolve().parent


def test_scores_stay_above_the_pinned_floors():
    floors = json.loads(FLOORS.read_text())
    scores = evaluate(cases_path())
    detail = "\n".join(scores.failures)
    assert scores.f1 >= floors["party_f1"], f"party F1 {scores.f1:.3f} under {floors['party_f1']}\n{detail}"
    assert scores.amount_accuracy >= floors["amount_accuracy"], (
        f"amount accuracy {scores.amount_accuracy:.3f} under {floors['amount_accuracy']}\n{detail}")
    assert scores.negative_false_parties <= floors["negative_false_parties"], detail
    assert scores.investors_not_names == 0, f"an investor shown is not a name\n{detail}"


def test_every_case_is_well_formed_and_has_its_article():
    cases = load_cases(cases_path())
    assert cases and len({c["id"] for c in cases}) == len(cases)


# The other sets, each with its floor in floors.json "sets". Failures are listed only for the
# published-text tuning set: the held-out and blind sets are scored, never read while tuning.
SETS = [("holdout", True), ("real", False), ("blind", False), ("blind2", False), ("blind3", False),
        ("blind4", False), ("blind5", False), ("blind6", True)]


@pytest.mark.parametrize(("name", "sealed"), SETS, ids=[s for s, _ in SETS])
def test_each_set_stays_above_its_floor(name, sealed):
    floors = json.loads(FLOORS.read_text())["sets"][name]
    scores = evaluate(EVAL / name / "cases.jsonl")
    detail = "(failures of a held-out or blind set are not listed)" if sealed else "\n".join(scores.failures)
    assert scores.f1 >= floors["party_f1"], f"{name}: party F1 {scores.f1:.3f} under {floors['party_f1']}\n{detail}"
    assert scores.amount_accuracy >= floors["amount_accuracy"], (
        f"{name}: amount accuracy {scores.amount_accuracy:.3f} under {floors['amount_accuracy']}\n{detail}")
    assert scores.negative_false_parties <= floors["negative_false_parties"], (
        f"{name}: {scores.negative_false_parties} false parties on negatives\n{detail}")
    assert scores.investors_not_names == 0, f"{name}: an investor shown is not a name\n{detail}"
