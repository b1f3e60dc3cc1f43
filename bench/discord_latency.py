"""Discord answer latency: interactions sent over a loopback gateway to the real client, timed
to the deferral and to the followup, one at a time and in bursts.

    python -m bench.discord_latency            # 100 interactions, bursts of 10
    python -m bench.discord_latency --full     # 1000 interactions, bursts of 50
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.stats import percentile
from bot.adapters.discord.app import DiscordBot
from bot.app import Services
from bot.config import Settings
from tests.fakes.discord_api import GUILD_ID, FakeDiscord

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
COMMANDS = [("find", "packaging MOU"), ("latest", "5"), ("find", "neuromorphic"), ("briefbot", "help")]


def percentiles(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = percentile(ms, 95)
    return f"p50 {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms"


def measure(fake: FakeDiscord, n: int, burst: int) -> tuple[list[float], list[float]]:
    """Send ``n`` interactions, ``burst`` at a time; seconds to each deferral and followup."""
    to_defer, to_answer = [], []
    for start in range(0, n, burst):
        exchanges = [fake.slash(*COMMANDS[i % len(COMMANDS)]) for i in range(start, min(n, start + burst))]
        for ex in exchanges:
            to_defer.append(ex.callback(30).at - ex.sent_at)
            to_answer.append(ex.followup(30).at - ex.sent_at)
    return to_defer, to_answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="1000 interactions, bursts of 50")
    args = parser.parse_args(argv)
    n, burst = (1000, 50) if args.full else (100, 10)
    fake = FakeDiscord().start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, db_path=f"{tmp}/bench.db", discord_token=fake.token,
                                     discord_api_url=fake.api_url, discord_guild_id=str(GUILD_ID))
        services = Services(settings)
        services.ingest([SEEDS])
        bot = DiscordBot(services)
        thread = threading.Thread(target=bot.run, daemon=True)
        started = time.perf_counter()
        thread.start()
        fake.wait_ready()
        connect = time.perf_counter() - started
        one_defer, one_answer = measure(fake, n, 1)
        burst_defer, burst_answer = measure(fake, n, burst)
        bot.stop()
        thread.join(15)
        services.close()
    fake.close()
    print(f"Discord latency over a loopback gateway (seeds; {n} interactions each way)")
    print(f"  login + sync + gateway READY: {connect * 1000:.0f} ms")
    print(f"  one at a time   deferral: {percentiles(one_defer)}")
    print(f"                  followup: {percentiles(one_answer)}")
    print(f"  bursts of {burst:<5} deferral: {percentiles(burst_defer)}")
    print(f"                  followup: {percentiles(burst_answer)}")
    print(f"reproduce: python -m bench.discord_latency{' --full' if args.full else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
