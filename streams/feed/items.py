"""What every feed source yields: one :class:`Item` per article (or per unreadable piece of input)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Item:
    """One article to send, or one piece of input that cannot be sent.

    Exactly one of ``payload`` (the JSON text of one article, as read), ``obj`` (an article already
    decoded or built, e.g. from a feed entry) and ``error`` (why the input cannot be used) is set.
    ``origin`` says where the item came from in the ``file:line`` style of compilers, e.g.
    ``wires/day1.jsonl:7``, ``<stdin>:3``, ``day.json[2]`` or ``feed.xml entry 4``.
    ``entry_key`` is the id of a feed entry, remembered once the broker has the article;
    ``already_sent`` marks an entry an earlier poll sent (counted, not sent again).
    """

    origin: str
    payload: bytes | None = None
    obj: Mapping[str, Any] | None = None
    error: str | None = None
    entry_key: str | None = None
    already_sent: bool = False

    @classmethod
    def bad(cls, origin: str, error: str) -> Item:
        """An item that is reported and skipped."""
        return cls(origin=origin, error=error)

    @classmethod
    def known(cls, origin: str, entry_key: str) -> Item:
        """A feed entry that was sent before: counted as "already sent", not sent again."""
        return cls(origin=origin, entry_key=entry_key, already_sent=True)
