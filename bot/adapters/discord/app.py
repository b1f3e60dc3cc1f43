"""The Discord app: one app command per core command (and the umbrella /briefbot), each
deferred at once and answered in a followup; scheduled posts through ``DiscordPoster``."""

from __future__ import annotations

import asyncio
import logging
import threading

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from base.reply import Reply
from bot.adapters.discord.render import render
from bot.core.dispatch import dispatch, strip_public
from bot.core.invocation import Invocation
from bot.core.registry import Command, all_commands

log = logging.getLogger("briefbot.discord")

OPTION = "text"
# An ephemeral message's interaction token lasts 15 minutes; the button goes quiet before that.
SHARE_TIMEOUT = 14 * 60
# What the bot needs in a channel for scheduled posts: View Channel, Send Messages, Embed Links,
# and Read Message History (after a crash, to find a digest Discord already accepted rather than
# post it twice). Answers to commands need no permission at all (they are interaction responses).
INVITE_PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                                         read_message_history=True)
INVITE_SCOPES = ("bot", "applications.commands")


def invite_url(application_id: int) -> str:
    """The URL a server admin opens to add the bot with the scopes and permissions it needs."""
    return discord.utils.oauth_url(application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES)


def is_admin(interaction: discord.Interaction, admins: tuple[str, ...]) -> bool:
    """Manage Server or Administrator in this server, or a user listed in BRIEFBOT_ADMINS.

    Checked here rather than through default_member_permissions, which only hides commands and
    would also lock out the listed admins.
    """
    if str(interaction.user.id) in admins:
        return True
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    return bool(perms.administrator or perms.manage_guild)


def invocation_for(interaction: discord.Interaction, command: str, text: str, admins: tuple[str, ...]) -> Invocation:
    """The platform-neutral Invocation for one app command interaction."""
    return Invocation(
        command=command,
        text=text,
        platform="discord",
        user_id=str(interaction.user.id),
        user_name=interaction.user.name,
        channel_id=str(interaction.channel_id or ""),
        team_id=str(interaction.guild_id or ""),
        is_admin=is_admin(interaction, admins),
        extra={"interaction_id": str(interaction.id)},
    )


def option_description(cmd: Command) -> str:
    """The text option's hint: the command's usage and the ``public`` word (100 characters)."""
    usage = cmd.usage or "(nothing)"
    text = f"{usage} — end with “public” to post in the channel"
    return text if len(text) <= 100 else usage[:99] + "…"


class ShareView(discord.ui.View):
    """A "Share in channel" button under a private answer: posts the same embeds publicly."""

    def __init__(self, embeds: list[discord.Embed], owner_id: int):
        super().__init__(timeout=SHARE_TIMEOUT)
        self.embeds = embeds
        self.owner_id = owner_id

    @discord.ui.button(label="Share in channel", style=discord.ButtonStyle.secondary, custom_id="briefbot:share")
    async def share(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("Only the person who asked can share this answer.", ephemeral=True)
            return
        await interaction.response.send_message(embeds=self.embeds, allowed_mentions=discord.AllowedMentions.none())
        self.stop()


class BriefbotTree(app_commands.CommandTree):
    """The command tree; a command Discord still shows but we no longer have gets a polite answer."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.warning("app command failed: %s", error, exc_info=not isinstance(error, app_commands.CommandNotFound))
        if not interaction.response.is_done():
            try:
                await interaction.response.send_message(
                    "Sorry, that command is not available right now. Try /briefbot help.", ephemeral=True
                )
            except discord.HTTPException:
                log.warning("could not tell the user about the failed command")


class BriefbotClient(discord.Client):
    """A discord.py client whose app commands are the core commands found in the registry."""

    def __init__(self, bot: DiscordBot):
        # Guilds only (not privileged; discord.py's state needs it). App commands arrive
        # whatever the intents; no message content, members or presences.
        super().__init__(intents=discord.Intents(guilds=True), allowed_mentions=discord.AllowedMentions.none())
        self.bot = bot
        self.services = bot.services
        self.tree = BriefbotTree(self)
        for cmd in all_commands():
            try:
                self.tree.add_command(self._app_command(cmd))
            except (ValueError, TypeError, app_commands.AppCommandError) as exc:
                log.error("/%s cannot be a Discord command (%s); skipped", cmd.name, exc)

    def _app_command(self, cmd: Command) -> app_commands.Command:
        name = cmd.name

        async def callback(interaction: discord.Interaction, text: str | None = None) -> None:
            await self.answer(interaction, name, text or "")

        app_commands.describe(text=option_description(cmd))(callback)
        return app_commands.Command(name=name, description=(cmd.help or name)[:100], callback=callback)

    async def setup_hook(self) -> None:
        """After login, before the gateway: take the gateway URL from the API, sync commands."""
        await self._use_api_gateway()
        await self._sync_commands()
        if self.application_id:
            log.info("invite the bot with %s", invite_url(self.application_id))
        self.bot.logged_in.set()

    async def _use_api_gateway(self) -> None:
        # A plain Client connects to DiscordWebSocket.DEFAULT_GATEWAY without asking the API.
        # Taking the URL from the configured API's GET /gateway/bot (as sharded clients do)
        # keeps REST and gateway together when DISCORD_API_URL points elsewhere. It is set on
        # the class because discord.py reads it there again whenever it reconnects without
        # resuming (a resume uses READY's resume_gateway_url, from the same server).
        try:
            _, url, _ = await self.http.get_bot_gateway()
        except discord.GatewayNotFound:
            log.warning("GET /gateway/bot failed; using %s", DiscordWebSocket.DEFAULT_GATEWAY)
            return
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        log.info("gateway %s", url)

    async def _sync_commands(self) -> None:
        guild_id = self.services.settings.discord_guild_id
        try:
            if guild_id:
                guild = discord.Object(id=int(guild_id))
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                where = f"server {guild_id}"
            else:
                synced = await self.tree.sync()
                where = "every server (global commands can take up to an hour to appear)"
            log.info("synced %d commands to %s", len(synced), where)
        except discord.Forbidden:
            log.error(
                "Discord refused the command sync: invite the bot with the applications.commands "
                "scope (see docs/discord.md)%s", f" to server {guild_id}" if guild_id else ""
            )
        except discord.HTTPException as exc:
            log.error("command sync failed: HTTP %s %s", exc.status, exc.text)

    async def answer(self, interaction: discord.Interaction, command: str, text: str) -> None:
        """Defer at once (Discord's 3-second deadline), run the core off the loop, follow up."""
        _, public = strip_public(text)
        ephemeral = not public
        try:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        except discord.HTTPException as exc:
            log.warning("could not acknowledge /%s: HTTP %s", command, exc.status)
            return
        inv = invocation_for(interaction, command, text, self.services.settings.admins)
        reply = await asyncio.to_thread(self._dispatch, inv)
        embeds = render(reply)
        kwargs: dict = {"embeds": embeds, "ephemeral": ephemeral, "allowed_mentions": discord.AllowedMentions.none()}
        if ephemeral and reply.ok and interaction.channel_id is not None:
            kwargs["view"] = ShareView(embeds, interaction.user.id)
        try:
            await interaction.followup.send(**kwargs)
        except discord.HTTPException as exc:
            log.error("could not send the answer to /%s: HTTP %s %s", command, exc.status, exc.text)
            try:  # the user must not be left with "thinking…" forever
                await interaction.followup.send(
                    "Sorry, Discord would not take that answer; it has been logged.", ephemeral=ephemeral
                )
            except discord.HTTPException:
                pass

    def _dispatch(self, inv: Invocation) -> Reply:
        # Runs in a worker thread: sqlite connections belong to their thread, so the context
        # (and its database) is made here, not on the event loop.
        try:
            return dispatch(inv, self.services.context())
        except Exception:
            log.exception("/%s could not run", inv.command)
            return Reply(
                title=f"Sorry, /{inv.command} failed",
                lines=["Something went wrong on our side; it has been logged. Please try again."],
                kind="error",
            )

    async def post_reply(self, channel_id: int, reply: Reply) -> str:
        """Send ``reply`` to a channel; the message id once Discord confirmed it."""
        channel = self.get_partial_messageable(channel_id)
        message = await channel.send(embeds=render(reply), allowed_mentions=discord.AllowedMentions.none())
        return str(message.id)


def config_problem(settings) -> str | None:
    """What is wrong with the Discord settings, in words a user can act on, or None."""
    if not settings.discord_token:
        return "DISCORD_TOKEN is not set: create a bot and copy its token (see docs/discord.md)."
    if settings.discord_guild_id and not settings.discord_guild_id.isdigit():
        return f"DISCORD_GUILD_ID must be a server ID (digits), not {settings.discord_guild_id!r}."
    url = yarl.URL(settings.discord_api_url)
    if url.scheme not in ("http", "https") or not url.host:
        return f"DISCORD_API_URL must be an http(s) URL, not {settings.discord_api_url!r}."
    return None


class DiscordBot:
    """Runs the client on its own event loop until stopped; usable from any thread."""

    def __init__(self, services):
        self.services = services
        self.client: BriefbotClient | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.logged_in = threading.Event()
        self._stop_requested = False

    def run(self) -> int:
        """Log in, sync commands and serve until stopped; the exit code."""
        from bot.adapters.discord.poster import DiscordPoster

        settings = self.services.settings
        problem = config_problem(settings)
        if problem:
            log.error(problem)
            return 2
        saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
        Route.BASE = settings.discord_api_url.rstrip("/")
        from bot.adapters.discord.members import DiscordMembers

        poster = DiscordPoster(self)
        self.services.posters["discord"] = poster
        self.services.members["discord"] = DiscordMembers(poster.run_http)
        try:
            asyncio.run(self._main())
            return 0
        except discord.LoginFailure:
            log.error("Discord rejected DISCORD_TOKEN: copy the bot token again (see docs/discord.md).")
            return 1
        except (discord.HTTPException, discord.GatewayNotFound, aiohttp.ClientError, OSError) as exc:
            log.error("could not reach Discord at %s: %s", settings.discord_api_url, exc)
            return 1
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
            self.logged_in.clear()
            if self.services.posters.get("discord") is poster:
                del self.services.posters["discord"]
                self.services.members.pop("discord", None)

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.client = BriefbotClient(self)
        async with self.client:
            if not self._stop_requested:
                await self.client.start(self.services.settings.discord_token)

    def stop(self) -> None:
        """Close the connection; ``run`` then returns. Safe from any thread."""
        self._stop_requested = True
        loop, client = self.loop, self.client
        if loop is None or client is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(client.close(), loop)
        except RuntimeError:
            pass  # the loop has already finished


def run(services, options: dict | None = None) -> int:
    """Adapter entry point used by ``briefbot serve discord``."""
    return DiscordBot(services).run()
