"""Rules as small objects tried by one loop: each has a name, the words it needs, and a reader
that turns a clause into what it found. The agreement rules live in ``agreements``; this is the
machinery they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class Reject:
    """A rule's verdict that the clause states nothing, whatever later rules would find (the
    consortium that lost the bid)."""

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"Reject({self.why!r})"


@dataclass(frozen=True)
class Rule(Generic[T]):
    """One way of stating a fact.

    ``needs``: lower-case substrings, one of which any text the rule matches holds (a cheap test
    before the reader runs; a test checks it against the reader on real text). ``read`` gets the
    clause and returns what it found, None, or a ``Reject``."""

    name: str
    needs: tuple[str, ...]
    read: Callable[..., T | Reject | None]
    doc: str = ""

    def applies(self, low: str) -> bool:
        """True when ``low`` (the lower-cased clause) holds one of the words the rule needs."""
        return not self.needs or any(n in low for n in self.needs)


@dataclass
class Outcome(Generic[T]):
    """What the loop found: the result, the rule that gave it, and the rules tried."""

    found: T | None = None
    rule: str | None = None
    rejected: Reject | None = None
    tried: list[str] = field(default_factory=list)


def first(rules: Sequence[Rule[T]], low: str, *args, done: Callable[[T], bool],
          skip: Callable[[Rule[T], T | None], bool] | None = None) -> Outcome[T]:
    """Try ``rules`` in order on a clause (``low`` its lower case, ``args`` what each reader
    takes). A result that is ``done`` ends the loop; a result that is not (an agreement named
    without its parties) is kept until a later rule does better. ``skip`` may pass over a rule
    given what was found so far."""
    out: Outcome[T] = Outcome()
    for rule in rules:
        if skip is not None and skip(rule, out.found):
            continue
        if not rule.applies(low):
            continue
        out.tried.append(rule.name)
        result = rule.read(*args)
        if isinstance(result, Reject):
            out.rejected = result
            out.found = None
            out.rule = rule.name
            return out
        if result is None:
            continue
        out.found, out.rule = result, rule.name
        if done(result):
            break
    return out


def names(rules: Iterable[Rule]) -> list[str]:
    """The rules' names in order (for documentation and tests)."""
    return [r.name for r in rules]
