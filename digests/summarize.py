"""Summaries of one story: ``Extractive`` (default, no network) or ``OpenAICompatible`` (any
OpenAI-compatible chat API: OpenAI, Ollama, vLLM, llama.cpp), which falls back to the extractive
summary on any error, timeout or invalid answer.

This is the only module that imports ``openai`` (imported lazily, so commands that never
summarise with an LLM never pay for it). ``chat_json`` is the one way to ask the LLM for JSON.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from base.hangul import has_hangul
from digests.cluster import Story, sentences, stem
from storage import digests as store

log = logging.getLogger("briefbot.digests")

PROMPTS = Path(__file__).parent / "prompts"
MAX_SENTENCES = 3
MAX_CHARS = 700
ARTICLE_CHARS = 2500  # of each article's text sent to the LLM
MAX_ARTICLES_TO_LLM = 4

_CUES = re.compile(
    r"\b(sign\w*|agree\w*|MOU|memorandum|partnership|invest\w*|fund\w*|announc\w*|launch\w*|"
    r"won|million|billion|trillion|percent|%|\$)",
    re.IGNORECASE,
)
# A sentence that opens with a pronoun needs the one before it; out of context it confuses.
_DANGLING = re.compile(r"^(?:It|This|These|That|Those|They|He|She|Such|His|Her|Their|Its)\b")
_LINK = re.compile(r"https?://|www\.|\b[\w.-]+\.(?:com|net|org|io|ly|xyz|info)\b/?", re.IGNORECASE)
_MENTION = re.compile(r"@(?:everyone|here|channel)|<[@!#]", re.IGNORECASE)


@dataclass
class Summary:
    """A story's summary and how it was made (``extractive``, ``llm`` or ``cache``)."""

    text: str
    by: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    note: str = ""


@dataclass
class Usage:
    """What summarising one digest cost."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: int = 0
    fallbacks: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_json(self) -> dict:
        return {
            "prompt": self.prompt_tokens, "completion": self.completion_tokens,
            "total": self.total_tokens, "calls": self.calls, "cached": self.cached,
            "fallbacks": self.fallbacks,
        }


class Summarizer(Protocol):
    """Turns a story into a short summary. ``name`` says which summariser is configured."""

    name: str
    usage: Usage

    def summarize(self, story: Story) -> Summary:
        """The story's summary; never raises."""
        ...


# --- extractive ------------------------------------------------------------------------------

def lead_article(story: Story) -> dict:
    """The article whose title heads the item: one with a real headline and a date, earliest."""

    def rank(a: dict):
        title = a.get("title") or ""
        derived = title.endswith("…") or (a.get("body") or "").startswith(title.rstrip("…").strip())
        return (derived, a.get("published") is None, a["id"])

    return min(story.articles, key=rank)


def _good(sentence: str) -> bool:
    # Links and mass mentions are never what a story says; leave them out of summaries too.
    # Korean says as much in about half the characters: its sentences may be shorter
    shortest = 20 if has_hangul(sentence) else 40
    return (shortest <= len(sentence) <= 400 and sentence[-1] in ".!?”\"’" and not sentence.isupper()
            and not _LINK.search(sentence) and not _MENTION.search(sentence))


def _words(sentence: str) -> set[str]:
    return {stem(w) for w in re.findall(r"\w+", sentence.lower()) if len(w) > 2}


class Extractive:
    """The sentences that carry the story: the lead of its main article, the evidence of its
    facts, and the sentence of each other source that best covers the story's key terms."""

    name = "extractive"

    def __init__(self) -> None:
        self.usage = Usage()

    def summarize(self, story: Story) -> Summary:
        return Summary(text=extractive_summary(story), by="extractive")


def extractive_summary(story: Story) -> str:
    """Up to three sentences (about 700 characters) chosen from the story's articles."""
    main = lead_article(story)
    chosen: list[str] = []
    seen: list[set[str]] = []

    def take(sentence: str) -> bool:
        sentence = " ".join(sentence.split())
        words = _words(sentence)
        if any(len(words & s) > 0.6 * min(len(words), len(s)) for s in seen):
            return False
        if sum(len(c) + 1 for c in chosen) + len(sentence) > MAX_CHARS and chosen:
            return False
        chosen.append(sentence)
        seen.append(words)
        return True

    main_sentences = [s for s in sentences(main.get("body") or "") if _good(s)]
    if main_sentences:
        take(main_sentences[0])
    for fact in story.facts:
        if len(chosen) >= MAX_SENTENCES:
            break
        if fact.get("evidence"):
            take(fact["evidence"])
    terms = story.terms
    term_words = [set(t.split()) for t in terms]
    candidates = []
    for art in story.articles:
        for pos, sentence in enumerate(s for s in sentences(art.get("body") or "") if _good(s)):
            if art is main and pos == 0:
                continue
            words = {stem(w) for w in re.findall(r"[\w’'-]+", sentence)}
            coverage = sum(1 for tw in term_words if tw <= words)
            cue = len(_CUES.findall(sentence))
            # Each other source's lead is its own report of the story; early sentences carry it.
            score = 2.0 * coverage + min(cue, 3) + (2.0 if pos == 0 and art is not main else 0) - 0.1 * pos
            if _DANGLING.match(sentence):
                score -= 3.0
            candidates.append((-score, art["id"], pos, sentence))
    for _, _, _, sentence in sorted(candidates):
        if len(chosen) >= MAX_SENTENCES:
            break
        take(sentence)
    if not chosen:  # no well-formed sentence at all: the start of the text
        text = " ".join((main.get("body") or main.get("title") or "").split())
        return text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return " ".join(chosen)


# --- the LLM client --------------------------------------------------------------------------

class LLMError(Exception):
    """The LLM gave no usable answer. ``kind``: ``unavailable`` (connection, timeout, HTTP
    error: stop asking for this digest) or ``invalid`` (an answer that is not the JSON asked for)."""

    def __init__(self, kind: str, message: str, *, prompt_tokens: int = 0, completion_tokens: int = 0):
        super().__init__(message)
        self.kind = kind
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


@dataclass
class ChatResult:
    """A validated JSON answer and the tokens it cost."""

    data: Any
    prompt_tokens: int = 0
    completion_tokens: int = 0


def make_client(settings, *, timeout: float | None = None):
    """An OpenAI SDK client for the configured endpoint: the settings' timeout, one retry."""
    from openai import OpenAI

    return OpenAI(
        # Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
        api_key=settings.openai_api_key or "not-needed",
        base_url=settings.openai_base_url or None,
        timeout=timeout if timeout is not None else llm_timeout(settings),
        max_retries=1,
    )


def llm_timeout(settings) -> float:
    """The LLM timeout in seconds from the settings (default 30)."""
    try:
        return max(0.1, float(getattr(settings, "llm_timeout", "") or 30))
    except ValueError:
        return 30.0


def validate(value: Any, schema: dict, path: str = "$") -> None:
    """Check ``value`` against a small JSON Schema subset (type, required, properties,
    additionalProperties, items, minLength/maxLength, maxItems); ValueError on a mismatch."""
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int, "number": (int, float)}
    expected = schema.get("type")
    if expected and (not isinstance(value, types[expected]) or (expected in ("integer", "number") and isinstance(value, bool))):
        raise ValueError(f"{path}: expected {expected}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                raise ValueError(f"{path}: missing {key!r}")
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(props)
            if extra:
                raise ValueError(f"{path}: unexpected {sorted(extra)}")
        for key, sub in props.items():
            if key in value:
                validate(value[key], sub, f"{path}.{key}")
    if isinstance(value, str) and not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 1 << 30):
        raise ValueError(f"{path}: length {len(value)} out of range")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", 1 << 30):
            raise ValueError(f"{path}: too many items")
        for i, item in enumerate(value):
            validate(item, schema.get("items", {}), f"{path}[{i}]")


def _json_from(content: str) -> Any:
    text = content.strip()
    fence = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, re.DOTALL)
    if fence:
        text = fence.group(1)
    return json.loads(text)


def chat_json(client, *, model: str, system: str, user: str, schema: dict,
              timeout: float | None = None, max_tokens: int = 400) -> ChatResult:
    """Ask the chat API for one JSON object and validate it against ``schema``.

    Raises ``LLMError`` on any failure (connection, timeout, HTTP error, non-JSON or off-schema
    answer); the error carries the tokens an invalid answer still cost."""
    import openai

    kwargs: dict[str, Any] = {}
    if timeout is not None:
        kwargs["timeout"] = timeout
    try:
        response = client.chat.completions.create(
            model=model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            response_format={"type": "json_object"},
            temperature=0.2,
            max_tokens=max_tokens,
            **kwargs,
        )
    except openai.APITimeoutError:
        raise LLMError("unavailable", "the LLM did not answer in time") from None
    except openai.APIConnectionError:
        raise LLMError("unavailable", "cannot reach the LLM server") from None
    except openai.APIStatusError as exc:
        raise LLMError("unavailable", f"the LLM server answered HTTP {exc.status_code}") from None
    except Exception as exc:  # an SDK or protocol surprise must not cost the digest
        raise LLMError("unavailable", f"LLM request failed: {type(exc).__name__}") from None
    usage = getattr(response, "usage", None)
    prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
    try:
        content = response.choices[0].message.content or ""
        data = _json_from(content)
        validate(data, schema)
    except (IndexError, AttributeError, TypeError, ValueError) as exc:
        raise LLMError("invalid", f"the LLM answer is not the JSON asked for ({exc})",
                       prompt_tokens=prompt_tokens, completion_tokens=completion_tokens) from None
    return ChatResult(data, prompt_tokens, completion_tokens)


# --- the LLM summariser ----------------------------------------------------------------------

@cache
def prompt(name: str) -> str:
    """A prompt file's text."""
    return (PROMPTS / name).read_text(encoding="utf-8")


@cache
def prompt_version() -> str:
    """A hash of the prompt files: a new prompt means new summaries, not stale cached ones."""
    h = hashlib.sha256()
    for name in ("summary_system.txt", "summary_user.txt", "summary.schema.json"):
        h.update(prompt(name).encode("utf-8"))
    return h.hexdigest()[:12]


def story_key(story: Story, model: str) -> str:
    """The cache key of a story's summary: model, prompt version and the articles' content."""
    payload = {
        "model": model,
        "prompt": prompt_version(),
        "articles": sorted(a.get("content_hash") or str(a["id"]) for a in story.articles),
        "facts": sorted(f.get("evidence") or "" for f in story.facts),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def quote_articles(story: Story, close: str) -> str:
    """The story's articles as quoted data; nothing in them can forge the closing marker."""

    def clean(text: str) -> str:
        return (text or "").replace(close, "").replace("<<<", "‹‹‹").replace(">>>", "›››")

    parts = []
    for n, art in enumerate(story.articles[:MAX_ARTICLES_TO_LLM], 1):
        body = (art.get("body") or "")[:ARTICLE_CHARS]
        parts.append(
            f"[Article {n}]\nTitle: {clean(art.get('title') or '')}\n"
            f"Published: {art.get('published') or 'unknown'}\nText:\n{clean(body)}"
        )
    facts = [f["evidence"] for f in story.facts if f.get("evidence")]
    if facts:
        parts.append("[Facts extracted from these articles]\n" + "\n".join(f"- {clean(e)}" for e in facts[:8]))
    return "\n\n".join(parts)


def check_summary(text: str, marker: str) -> str:
    """An LLM summary fit to show: no links (links come from the database), no mentions, no
    leaked markers; ValueError otherwise."""
    text = " ".join(text.split())
    if _LINK.search(text):
        raise ValueError("the summary contains a link")
    if _MENTION.search(text):
        raise ValueError("the summary contains a mention")
    if marker in text or "<<<" in text:
        raise ValueError("the summary contains the data markers")
    return text


class OpenAICompatible:
    """Summaries from an OpenAI-compatible chat API, cached by content in the database; any
    failure falls back to the extractive summary. After a connection error, timeout or HTTP
    error it stops asking for the rest of the digest (one slow server must not stall it)."""

    def __init__(self, settings, db=None, *, fallback: Summarizer | None = None, client=None):
        self.settings = settings
        self.db = db
        self.model = settings.llm_model
        self.fallback = fallback or Extractive()
        self._client = client
        self.usage = Usage()
        self.unavailable: str | None = None

    @property
    def name(self) -> str:
        return f"llm:{self.model}"

    @property
    def client(self):
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    def _fall_back(self, story: Story, why: str) -> Summary:
        self.usage.fallbacks += 1
        summary = self.fallback.summarize(story)
        summary.note = why
        return summary

    def summarize(self, story: Story) -> Summary:
        key = story_key(story, self.model)
        if self.db is not None:
            hit = store.cached_summary(self.db, key)
            if hit is not None:
                self.usage.cached += 1
                return Summary(text=hit["summary"], by="cache")
        if self.unavailable:
            return self._fall_back(story, self.unavailable)
        token = secrets.token_hex(8)
        open_marker, close_marker = f"<<<DATA {token}>>>", f"<<<END DATA {token}>>>"
        user = prompt("summary_user.txt").format(
            open=open_marker, close=close_marker, articles=quote_articles(story, close_marker)
        )
        self.usage.calls += 1
        try:
            result = chat_json(
                self.client, model=self.model, system=prompt("summary_system.txt"), user=user,
                schema=json.loads(prompt("summary.schema.json")),
            )
            text = check_summary(result.data["summary"], token)
        except LLMError as exc:
            self.usage.prompt_tokens += exc.prompt_tokens
            self.usage.completion_tokens += exc.completion_tokens
            self.usage.errors.append(str(exc))
            log.warning("LLM summary failed, using the extractive one: %s", exc)
            if exc.kind == "unavailable":
                self.unavailable = str(exc)
            return self._fall_back(story, str(exc))
        except ValueError as exc:
            self.usage.prompt_tokens += result.prompt_tokens
            self.usage.completion_tokens += result.completion_tokens
            self.usage.errors.append(str(exc))
            log.warning("LLM summary rejected, using the extractive one: %s", exc)
            return self._fall_back(story, str(exc))
        self.usage.prompt_tokens += result.prompt_tokens
        self.usage.completion_tokens += result.completion_tokens
        if self.db is not None:
            store.store_summary(self.db, key, model=self.model, summary=text,
                                prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens)
        return Summary(text=text, by="llm", prompt_tokens=result.prompt_tokens,
                       completion_tokens=result.completion_tokens)


def make_summarizer(settings, db=None) -> Summarizer:
    """The configured summariser: the LLM one when an endpoint is set, else extractive."""
    if settings.llm_enabled:
        return OpenAICompatible(settings, db)
    return Extractive()
