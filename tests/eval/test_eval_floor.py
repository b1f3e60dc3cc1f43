"""Extraction quality must not fall under the floors pinned in floors.json.

The labelled set is tests/eval/cases.jsonl (real articles under tests/eval/articles/). Until it
is in the repository the placeholder smoke set keeps the harness itself exercised. Raising a
floor is a commit of its own; lowering one needs a written reason.
"""

import json

from tests.eval.score import FLOORS, cases_path, evaluate, load_cases


def test_scores_stay_above_the_pinned_floors():
    floors = json.loads(FLOORS.read_text())
    scores = evaluate(cases_path())
    detail = "\n".join(scores.failures)
    assert scores.f1 >= floors["party_f1"], f"party F1 {scores.f1:.3f} under {floors['party_f1']}\n{detail}"
    assert scores.amount_accuracy >= floors["amount_accuracy"], (
        f"amount accuracy {scores.amount_accuracy:.3f} under {floors['amount_accuracy']}\n{detail}")
    assert scores.negative_false_parties <= floors["negative_false_parties"], detail


def test_every_case_is_well_formed_and_has_its_article():
    cases = load_cases(cases_path())
    assert cases and len({c["id"] for c in cases}) == len(cases)
