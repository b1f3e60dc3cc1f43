"""/timeline on the seeds: dated facts oldest first, each cited; undated ones last."""


def test_packaging_timeline(seeded):
    reply = seeded.ask("/timeline packaging")
    assert reply.ok
    titles = [a.title for a in reply.answers]
    assert titles[0].startswith("2024-09-11")
    assert any(t.startswith("Aug. 29 (year not stated) — Agreement signed by Ministry of Trade") for t in titles)
    assert all(a.sources for a in reply.answers)
    dated = [a.data["date"] for a in reply.answers if a.data["date"]]
    assert dated == sorted(dated)


def test_timeline_with_nothing_matching(seeded):
    reply = seeded.ask("/timeline zeppelins")
    assert reply.kind == "empty"


def test_one_agreement_in_two_reports_is_one_item_at_its_date(services, tmp_path):
    (tmp_path / "a.txt").write_text("Cell MOU\n\nOrion Motors signed an MOU with Vega Battery on solid-state "
                                    "cells on March 3, 2024.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Cells, a month on\n\nApril 8, 2024\n\nOrion Motors and Vega Battery, which "
                                    "signed an MOU on solid-state cells on March 3, 2024, opened a lab.\n",
                                    encoding="utf-8")
    (tmp_path / "c.txt").write_text("Earlier cell deal\n\nOrion Motors signed a supply deal with Lyra Materials "
                                    "on solid-state cells on Jan. 5, 2024.\n", encoding="utf-8")
    services.ingest([tmp_path])
    reply = services.ask("/timeline solid-state cells")
    agreements = [a for a in reply.answers if a.kind == "timeline-agreement"]
    assert [a.data["date"] for a in agreements] == ["2024-01-05", "2024-03-03"]
    assert agreements[1].data["reports"] == 2 and len(agreements[1].sources) == 2
