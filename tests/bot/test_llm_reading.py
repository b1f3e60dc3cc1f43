"""The LLM reader in the background of `serve`: ingest never waits for it, each new article with
an agreement or an amount is asked about once, its facts are stored with the rules' ones."""

from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from bot.app import Services
from bot.config import Settings
from bot.llm_reading import JOB_ID, read_pass, register_jobs
from tests.fakes.openai_server import FakeOpenAI

ANSWER = {"agreements": [{"kind": "accord", "signed": True, "parties": ["Orion Motors", "Vega Battery"]}],
          "investments": []}
BODY = ("Orion Motors and Vega Battery will build cells together from next year.\n\nUnder the accord, both "
        "are bound to share pack designs, the companies said in Seoul.\n")


def _services(tmp_path, base_url: str) -> Services:
    settings = Settings.from_env({"OPENAI_BASE_URL": base_url}, db_path=str(tmp_path / "b.db"),
                                 seeds_dir=str(tmp_path / "none"))
    return Services(settings)


def _write(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"{title}\n\n{body}", encoding="utf-8")
    return path


def test_new_articles_are_read_in_the_background_once_each(tmp_path):
    with FakeOpenAI("json", answer=ANSWER) as fake:
        services = _services(tmp_path, fake.base_url)
        try:
            services.ingest([_write(tmp_path / "in", "a.txt", "Orion and Vega team up", BODY)])
            assert fake.requests == []  # ingest never waits for the LLM
            assert services.ask("/who-signed accord Orion Motors").answers == []

            read_pass(services)
            assert len(fake.requests) == 1
            (answer,) = services.ask("/who-signed accord Orion Motors").answers
            assert answer.data["parties"] == ["Orion Motors", "Vega Battery"] and answer.data["read_by"] == "llm"

            read_pass(services)  # nothing new: nothing asked
            assert len(fake.requests) == 1
            services.ingest([_write(tmp_path / "in2", "b.txt", "Weather", "Rain in Seoul on Monday.\n"),
                             _write(tmp_path / "in3", "c.txt", "Lyra deal", BODY.replace("Orion", "Lyra"))])
            read_pass(services)  # the one worth a question is asked about
            assert len(fake.requests) == 2 and "Lyra Motors" in fake.requests[-1]["messages"][1]["content"]
        finally:
            services.close()


def test_a_server_that_stops_answering_leaves_the_article_for_the_next_pass(tmp_path):
    with FakeOpenAI("error") as down:
        services = _services(tmp_path, down.base_url)
        try:
            services.ingest([_write(tmp_path / "in", "a.txt", "Orion and Vega team up", BODY)])
            read_pass(services)
            assert down.requests  # asked (the client may retry once), no answer
            facts = services.db.execute("SELECT count(*) FROM facts").fetchone()[0]
        finally:
            services.close()
    with FakeOpenAI("json", answer=ANSWER) as up:
        services = _services(tmp_path, up.base_url)
        try:
            assert services.db.execute("SELECT count(*) FROM facts").fetchone()[0] == facts
            read_pass(services)
            assert len(up.requests) == 1  # asked again, now it answers
            assert services.ask("/who-signed accord Orion Motors").answers[0].data["read_by"] == "llm"
        finally:
            services.close()


def test_serve_runs_the_reader_only_when_an_llm_is_configured(tmp_path):
    scheduler = BackgroundScheduler()
    without = Services(Settings.from_env({}, db_path=str(tmp_path / "a.db"), seeds_dir=str(tmp_path / "none")))
    with_llm = _services(tmp_path, "http://127.0.0.1:9/v1")
    try:
        register_jobs(without, scheduler)
        assert scheduler.get_job(JOB_ID) is None
        register_jobs(with_llm, scheduler)
        assert scheduler.get_job(JOB_ID) is not None
    finally:
        without.close()
        with_llm.close()
