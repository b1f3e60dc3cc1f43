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
