"""The first user story: load the seeds, search them, list them."""

from tests.conftest import SEEDS


def test_seeds_ingest_to_four_articles_and_find_neuromorphic(seeded):
    reply = seeded.ask("/find neuromorphic")
    assert reply.ok and len(reply.answers) == 1
    assert "Korea" in reply.answers[0].title and "European Union" in reply.answers[0].title
    assert reply.answers[0].sources[0].path.endswith("002_77ac495237e3e222.txt")


def test_reingesting_the_seeds_changes_nothing(seeded):
    again = seeded.ingest([SEEDS])
    assert {i.outcome for i in again.inputs} == {"duplicate"}
    assert seeded.db.execute("select count(*) from articles").fetchone()[0] == 4
