"""Slack wiring: a Bolt App with one slash command per core command, answered through respond().

Every request is acknowledged at once, in the request's own thread (Slack gives us 3 seconds);
the command then runs in Bolt's listener thread pool and answers at the request's
``response_url``. Commands are found in the registry at start, so a new core command is a new
Slack command with no Slack-specific code.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.web import WebClient

from base.reply import Reply
from bot.adapters.slack.members import SlackMembers
from bot.adapters.slack.poster import SlackPoster
from bot.adapters.slack.render import OK_KINDS, SHARE_ACTION, escape, render, share_value
from bot.adapters.slack.translate import (
    TRUE_WORDS,
    AdminCheck,
    CommandNames,
    from_command,
    from_share,
)
from bot.core.dispatch import dispatch
from bot.core.registry import all_commands

log = logging.getLogger("briefbot.slack")

ANSWER_WORKERS = 8  # threads answering commands (each holds one SQLite connection)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
SORRY = "Sorry, something went wrong on our side; it has been logged. Please try again."


def web_client(settings) -> WebClient:
    """The Web API client: SLACK_API_URL, the bot token, retries on 429s and dropped connections."""
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return WebClient(
        token=settings.slack_bot_token,
        base_url=base_url,
        timeout=15,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def acknowledge(ack) -> None:
    """Acknowledge at once (an empty 200); the answer follows at response_url."""
    ack()


class Listeners:
    """What runs after the ack: translate, dispatch, render, respond."""

    def __init__(self, services, names: CommandNames, admins: AdminCheck):
        self.services = services
        self.names = names
        self.admins = admins

    def answer(self, command: dict, respond) -> None:
        """Run a slash command and answer it (ephemeral unless ``public``)."""
        try:
            inv = from_command(command, self.names, self.admins)
            # SQLite connections belong to their thread: this pool thread gets its own.
            reply = dispatch(inv, self.services.context())
            public = not reply.private and reply.kind in OK_KINDS
            typed = f"{command.get('command', '')} {command.get('text', '')}".strip()
            note = f"{self._mention(inv.user_id)} asked `{escape(typed)}`" if public else None
            share = None if public else share_value(reply.command, reply.query)
            self._respond(respond, reply, public=public, share=share, note=note)
        except Exception:
            log.exception("Slack command %s failed", command.get("command"))
            self._sorry(respond)

    def share(self, body: dict, respond) -> None:
        """"Share in channel": run the command again, post it to the channel, drop the private copy."""
        try:
            action = (body.get("actions") or [{}])[0]
            try:
                value = json.loads(action.get("value") or "")
                command, text = str(value["command"]), str(value["text"])
            except (ValueError, KeyError, TypeError):
                respond(text="That button no longer works; run the command again.",
                        response_type="ephemeral", replace_original=False)
                return
            inv = from_share(body, command, text, self.admins)
            reply = dispatch(inv, self.services.context())
            if reply.kind not in OK_KINDS:
                self._respond(respond, reply, public=False, replace_original=False)
                return
            note = f"Shared by {self._mention(inv.user_id)}"
            if self._respond(respond, reply, public=True, note=note, replace_original=False):
                respond(delete_original=True)
        except Exception:
            log.exception("Slack share failed")
            self._sorry(respond)

    @staticmethod
    def _mention(user_id: str) -> str:
        return f"<@{user_id}>" if _USER_ID.match(user_id or "") else "someone"

    @staticmethod
    def _respond(respond, reply: Reply, *, public: bool, share=None, note=None, **extra) -> bool:
        message = render(reply, share=share, note=note)
        response = respond(text=message["text"], blocks=message["blocks"],
                           response_type="in_channel" if public else "ephemeral", **extra)
        if response.status_code != 200:
            log.warning("Slack refused the answer to /%s: %s %s", reply.command, response.status_code, response.body)
            return False
        return True

    @staticmethod
    def _sorry(respond) -> None:
        try:
            respond(text=SORRY, response_type="ephemeral", replace_original=False)
        except Exception:
            log.exception("could not tell the user about the failure")


def slash_commands(names: CommandNames) -> list[str]:
    """Every Slack command to listen to: each core command (renamed as configured) and its aliases."""
    out: list[str] = []
    for cmd in all_commands():
        for name in (names.slack(cmd.name), *("/" + a for a in cmd.aliases)):
            if name not in out:
                out.append(name)
    return out


def build_app(services, *, client: WebClient | None = None) -> App:
    """The Bolt App: token, signing secret, a WebClient on SLACK_API_URL, one listener per command.

    Bolt calls ``auth.test`` here to check the token (BoltError if Slack refuses it).
    """
    settings = services.settings
    client = client or web_client(settings)
    names = CommandNames.parse(settings.slack_commands)
    users_info = None
    if settings.slack_workspace_admins.strip().lower() in TRUE_WORDS:
        def users_info(user_id: str) -> dict:
            return client.users_info(user=user_id)["user"]
    admins = AdminCheck(settings.admins, users_info)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        # The ack function runs in the request thread, so an ack never waits behind answers;
        # the answers ("lazy" listeners) run in the listener pool.
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(ANSWER_WORKERS, thread_name_prefix="slack-answer"),
        logger=logging.getLogger("briefbot.slack.bolt"),
        name="briefbot",
    )
    # Bolt logs a forged request's whole body (response_url included) at INFO; a WARNING-level
    # count of them is what an operator needs.
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    listeners = Listeners(services, names, admins)
    for name in slash_commands(names):
        app.command(name)(ack=acknowledge, lazy=[listeners.answer])
    # A command the workspace configured but we do not know still gets a polite answer.
    app.command(re.compile(r"^/.+"))(ack=acknowledge, lazy=[listeners.answer])
    app.action(SHARE_ACTION)(ack=acknowledge, lazy=[listeners.share])
    return app


@dataclass
class SlackRuntime:
    """A started Slack adapter: the app, and its HTTP server or Socket Mode connection."""

    app: App
    http: object | None = None
    socket: object | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    def describe(self) -> str:
        if self.http is not None:
            return f"Slack (HTTP): listening on {self.http.url} (health check: {self.http.health_url})"
        return "Slack (Socket Mode): connected"

    def close(self) -> None:
        """Stop serving and finish the answers in flight."""
        if self.http is not None:
            self.http.stop()
        if self.socket is not None:
            self.socket.close()
        self.app.listener_runner.listener_executor.shutdown(wait=True, cancel_futures=False)


def config_problem(settings, options: dict) -> str | None:
    """What is missing to start Slack in the requested mode, in words for the operator."""
    if not settings.slack_bot_token:
        return "SLACK_BOT_TOKEN is not set (the bot token, xoxb-…; see docs/slack.md)."
    if options.get("http"):
        if not settings.slack_signing_secret:
            return "HTTP mode needs SLACK_SIGNING_SECRET (Basic Information → App Credentials)."
    elif not settings.slack_app_token:
        return ("Socket Mode needs SLACK_APP_TOKEN (an app-level token, xapp-…, with "
                "connections:write); or run `briefbot serve slack --http` behind a public URL.")
    try:
        CommandNames.parse(settings.slack_commands)
    except ValueError as exc:
        return str(exc)
    return None


def start(services, options: dict) -> SlackRuntime:
    """Build the app, register the Slack poster, and start HTTP or Socket Mode (not blocking)."""
    settings = services.settings
    app = build_app(services)
    services.posters["slack"] = SlackPoster(app.client)
    services.members["slack"] = SlackMembers(app.client)
    runtime = SlackRuntime(app)
    if options.get("http"):
        from bot.adapters.slack.server import SlackHttpServer

        # options["health"] (from bot/serve.py) answers GET /healthz: status and JSON body
        runtime.http = SlackHttpServer(app, settings.slack_http_host, int(options.get("port", 3000)),
                                       health=options.get("health"))
        runtime.http.start()
    else:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        runtime.socket = SocketModeHandler(app, settings.slack_app_token)
        runtime.socket.connect()
    return runtime


def run(services, options: dict) -> int:
    """Serve Slack until stopped (Ctrl-C, SIGTERM, or ``options["stop"]`` set); the exit code."""
    problem = config_problem(services.settings, options)
    if problem:
        print(f"Cannot start Slack: {problem}", file=sys.stderr)
        return 2
    try:
        runtime = start(services, options)
    except BoltError as exc:
        print(f"Cannot start Slack: Slack did not accept SLACK_BOT_TOKEN ({exc}).", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Cannot start Slack: {exc}", file=sys.stderr)
        return 1
    print(runtime.describe(), file=sys.stderr, flush=True)
    stop = options.get("stop") or runtime.stop
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()
    print("Slack: stopped", file=sys.stderr, flush=True)
    return 0
