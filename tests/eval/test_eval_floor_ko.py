"""Korean extraction and search must not fall under the floors pinned in floors.json ("ko").

The set is tests/eval/ko/ (real Korean government releases) once it is in the repository; until
then the short Korean texts of tests/eval/ko_smoke/ keep the harness and the Korean path
exercised. Raising a floor is a commit of its own; lowering one needs a written reason.
"""

import json

from tests.eval.score import FLOORS, evaluate, ko_cases_path, load_cases


def test_korean_scores_stay_above_the_pinned_floors():
    floors = json.loads(FLOORS.read_text())["ko"]
    scores = evaluate(ko_cases_path())
    detail = "\n".join(scores.failures)
    assert scores.f1 >= floors["party_f1"], f"party F1 {scores.f1:.3f} under {floors['party_f1']}\n{detail}"
    assert scores.amount_accuracy >= floors["amount_accuracy"], (
        f"amount accuracy {scores.amount_accuracy:.3f} under {floors['amount_accuracy']}\n{detail}")
    assert scores.negative_false_parties <= floors["negative_false_parties"], detail
    assert scores.search_recall >= floors["search_recall"], f"search recall {scores.search_recall:.3f}\n{detail}"
    assert scores.search_precision >= floors["search_precision"], (
        f"search precision {scores.search_precision:.3f}\n{detail}")
    assert scores.alias_accuracy >= floors["alias_accuracy"], f"alias accuracy {scores.alias_accuracy:.3f}\n{detail}"


def test_the_korean_set_has_every_kind_of_case():
    cases = load_cases(ko_cases_path())
    assert {c["kind"] for c in cases} == {"parties", "amount", "none", "search", "alias"}
    assert len({c["id"] for c in cases}) == len(cases)
