"""Clustering: one item per story, whatever the order, with every source."""

import math
from collections import Counter
from itertools import combinations

from bench.corpus import generate
from digests.cluster import (
    NEIGHBOURS,
    Batch,
    cluster,
    link,
    pair_key,
    sentences,
    similarities,
    text_features,
    topic_cap,
)
from digests.digest import build_digest
from digests.select import select_new
from ingest.extract.run import extract_rows
from storage.digests import facts_for_articles
from tests.digests.helpers import add_article, add_fact, seed_ids


def groups(services, stories) -> list[set[str]]:
    names = {v: k for k, v in seed_ids(services).items()}
    return sorted(({names.get(i, str(i)) for i in s.article_ids} for s in stories), key=sorted)


def test_the_seeds_are_three_stories_the_mou_and_the_investment_together(seeded):
    articles = select_new(seeded.db, after_id=None).articles
    assert groups(seeded, cluster(articles)) == [{"000", "001"}, {"002"}, {"003"}]


def test_the_order_of_the_articles_does_not_change_the_stories(seeded):
    articles = select_new(seeded.db, after_id=None).articles
    assert groups(seeded, cluster(list(reversed(articles)))) == groups(seeded, cluster(articles))


def test_any_two_seeds_alone_cluster_the_same_way(seeded):
    articles = {a["id"]: a for a in select_new(seeded.db, after_id=None).articles}
    ids = seed_ids(seeded)
    together = cluster([articles[ids["000"]], articles[ids["001"]]])
    assert len(together) == 1
    for a, b in [("000", "002"), ("001", "002"), ("000", "003"), ("002", "003"), ("001", "003")]:
        assert len(cluster([articles[ids[a]], articles[ids[b]]])) == 2, (a, b)


def test_two_outlets_reporting_one_deal_are_one_story(services):
    a = add_article(
        services, "Hyundai Motor and SK On sign battery MOU for Georgia plant",
        "Hyundai Motor Group and SK On signed a memorandum of understanding on Tuesday to build a "
        "battery cell plant in Bartow County, Georgia. The joint venture will invest $5 billion and "
        "supply electric vehicle batteries from 2026.\n\nSK On said the Bartow County plant will "
        "employ 3,000 people.",
        url="https://a.example/hyundai-sk-on",
    )
    b = add_article(
        services, "SK On, Hyundai to build $5 billion battery plant in Georgia",
        "SK On and Hyundai Motor Group agreed to invest $5 billion in a battery cell plant in Bartow "
        "County, Georgia, under an MOU signed Tuesday.\n\nProduction of electric vehicle batteries at "
        "the Bartow County site is to start in 2026.",
        url="https://b.example/sk-on-hyundai",
    )
    c = add_article(
        services, "Samsung Biologics opens fourth plant in Songdo",
        "Samsung Biologics opened its fourth biopharmaceutical plant in Songdo, Incheon, adding "
        "240,000 liters of capacity for contract drug manufacturing.",
        url="https://c.example/biologics",
    )
    stories = cluster(select_new(services.db, after_id=None).articles)
    assert sorted(s.article_ids for s in stories) == [[a, b], [c]]


def test_shared_facts_tie_reports_whose_words_differ(services):
    a = add_article(services, "Steelmaker inks recycling accord",
                    "Officials signed the accord on Tuesday in Pohang. It covers scrap handling for a decade.")
    b = add_article(services, "Battery pact concluded",
                    "A pact on used cells was concluded between the two groups after months of talks.")
    articles = select_new(services.db, after_id=None).articles
    assert len(cluster(articles)) == 2
    # Hand-inserted facts: the point is two reports whose *words* share nothing, tied only by
    # their facts, and text from which extraction would find those parties would share the names.
    for art in (a, b):
        add_fact(services.db, art, "agreement", "The accord was signed.", parties=["Posco Holdings", "LG Energy Solution"],
                 date="2025-03-04")
    facts = facts_for_articles(services.db, [a, b])
    assert [s.article_ids for s in cluster(articles, facts)] == [[a, b]]


def test_sentences_keep_abbreviations_whole():
    text = "They signed at Eltower on Aug. 29 in Seoul. The U.S. side joined later.\nHEADLINE\nDone!"
    assert sentences(text) == ["They signed at Eltower on Aug. 29 in Seoul.", "The U.S. side joined later.", "HEADLINE", "Done!"]


def test_one_shared_name_does_not_chain_two_stories(seeded):
    ids = seed_ids(seeded)
    new = add_article(seeded, "Hana Micron joins the Korea-EU neuromorphic chip forum",
                      "Hana Micron joined the Korea-EU Joint Researcher Forum on Semiconductors in Brussels, "
                      "where four research projects on neuromorphic chips and heterogeneous integration "
                      "will be selected in July with co-funding from the European Commission.")
    stories = cluster(select_new(seeded.db, after_id=None).articles)
    assert sorted(s.article_ids for s in stories) == sorted(
        [[ids["000"], ids["001"]], [ids["002"], new], [ids["003"]]])


def test_each_article_keeping_its_nearest_neighbours_gives_the_stories_of_comparing_every_pair():
    # 400 synthetic reports (bench/corpus.py): the digest compares only articles that share a
    # distinctive feature, and each article keeps only its NEIGHBOURS most similar ones; comparing
    # every pair of them, the straightforward way, must give the same cosines and the same
    # stories. A feature in more than topic_cap(n) of the articles names a topic ("advanced
    # packaging"), not a story: it ties no two articles, in both computations.
    rows = [{"id": i + 1, "title": a.title, "body": a.body} for i, a in enumerate(generate(400))]
    stories = cluster(rows)
    by_id = {a["id"]: v for s in stories for a, v in zip(s.articles, s.vectors, strict=True)}
    vectors = [by_id[r["id"]] for r in rows]
    df = Counter(f for v in vectors for f in v)
    cap = topic_cap(len(rows))
    norm = [math.sqrt(sum(w * w for w in v.values())) for v in vectors]
    every_pair = {}
    for i, j in combinations(range(len(rows)), 2):
        dot = sum(vectors[i][f] * vectors[j][f] for f in vectors[i].keys() & vectors[j].keys() if df[f] <= cap)
        if dot:
            every_pair[pair_key(len(rows), i, j)] = dot / (norm[i] * norm[j])

    sparse = similarities(Batch.of(text_features(r["title"], r["body"]) for r in rows))
    assert sparse.keys() <= every_pair.keys()
    assert all(math.isclose(sparse[p], every_pair[p], rel_tol=1e-9) for p in sparse)
    # what is left out is what no article counts among its nearest: never a pair of one story
    assert len(sparse) <= len(rows) * NEIGHBOURS and len(sparse) < len(every_pair)
    expected = sorted([rows[i]["id"] for i in group] for group in link(len(rows), every_pair))
    assert sorted(s.article_ids for s in stories) == expected
    assert sum(len(s.articles) > 1 for s in stories) >= 10  # not trivially true: many multi-report stories


# Wire services write every deal in one template: only the names and the sums differ.
TEMPLATE = ("SEOUL, March {day} (Yonhap) -- {a} said {weekday} it has signed a memorandum of understanding "
            "with {b} to cooperate on next-generation semiconductor packaging.\n\n"
            "Under the MOU, the two companies will jointly develop advanced packaging technologies and "
            "share research facilities, {a} said in a press release.\n\n"
            "{a} will invest {amount} won in the joint project over the next three years, the company said.\n\n"
            "The agreement is expected to strengthen the domestic supply chain for high-bandwidth memory "
            "chips, it added.")
DEALS = [("Hana Micron", "Protec", "30 billion", 4, "Tuesday"),
         ("SK hynix", "Korea Advanced Institute of Science and Technology", "50 billion", 5, "Wednesday"),
         ("LG Innotek", "Amkor Technology Korea", "12 billion", 6, "Thursday")]


def test_templated_wire_items_about_three_different_mous_are_three_stories(services):
    ids = [add_article(services, f"{a} signs MOU with {b} on chip packaging",
                       TEMPLATE.format(a=a, b=b, amount=amount, day=day, weekday=weekday),
                       url=f"https://wire.example/{day}")
           for a, b, amount, day, weekday in DEALS]
    # a second report of the first deal, in the same template (a later edition of the item)
    again = add_article(services, "(LEAD) Hana Micron signs MOU with Protec on chip packaging",
                        TEMPLATE.format(a="Hana Micron", b="Protec", amount="30 billion", day=4,
                                        weekday="Tuesday") + "\n\nProtec shares rose 4 percent.",
                        url="https://wire.example/4-lead")
    extract_rows(services.db, [dict(zip(("id", "title", "body", "published"), r, strict=True)) for r in
                               services.db.execute("SELECT id, title, body, published FROM articles")])
    digest = build_digest(services.db, select_new(services.db, after_id=None))

    stories = sorted(sorted(i.article_ids) for i in digest.items)
    assert stories == [[ids[0], again], [ids[1]], [ids[2]]]
    facts = {i.article_ids[0]: " / ".join(f["text"] for f in i.facts) for i in digest.items}
    assert "Hana Micron, Protec" in facts[min(ids[0], again)] and "SK hynix" not in facts[min(ids[0], again)]
