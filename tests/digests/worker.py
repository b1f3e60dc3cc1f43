"""A bot process that posts a channel's digest to a fake chat platform, for tests that kill it.

    python -m tests.digests.worker DB PLATFORM_URL CHANNEL NOW_ISO [--plain]

Prints one line per target: ``<status> <key> <message id>``.
"""

from __future__ import annotations

import sys
from datetime import datetime

from bot.app import Services
from bot.config import Settings
from digests.post import run_channel
from tests.fakes.chat_platform import KeyedPlatformPoster, PlatformPoster


def main(argv: list[str]) -> int:
    db, url, channel, now = argv[:4]
    plain = "--plain" in argv
    services = Services(Settings.from_env({}, db_path=db), clock=lambda: datetime.fromisoformat(now))
    services.posters["fakechat"] = (PlatformPoster if plain else KeyedPlatformPoster)(url)
    try:
        for _, result in run_channel(services, "fakechat", channel):
            print(result.status, result.key, result.message_id or "-", flush=True)
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
