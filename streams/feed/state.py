"""The small file that remembers which feed entries were sent, so a re-poll never re-sends one.

Entries are remembered per destination topic (feeding the same feed to another topic sends it
there too), with the time they were first sent. The file keeps the newest
:data:`MAX_ENTRIES_PER_TOPIC` ids per topic, far more than any feed lists at once, so it stays
small. It is written atomically (temporary file, then rename), so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

MAX_ENTRIES_PER_TOPIC = 20_000
STATE_ENV = "CASUALTY_FEED_STATE"


def default_state_path() -> Path:
    """``$CASUALTY_FEED_STATE``, else ``$XDG_CACHE_HOME/casualty-stream/feed-state.json`` (``~/.cache``)."""
    env = os.environ.get(STATE_ENV)
    if env:
        return Path(env)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "casualty-stream" / "feed-state.json"


class SentEntries:
    """Entry ids already sent, per topic. Thread-safe: the producer's callbacks add to it."""

    def __init__(self, path: Path | None, entries: dict[str, dict[str, str]] | None = None) -> None:
        self.path = path
        self._entries: dict[str, dict[str, str]] = entries or {}
        self._lock = threading.Lock()
        self._dirty = False

    @classmethod
    def load(cls, path: Path | None) -> SentEntries:
        """Read the state file; a missing file is an empty state. Raises ValueError on a corrupt one."""
        if path is None or not path.exists():
            return cls(path)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            topics = doc["topics"]
            entries = {str(t): {str(k): str(v) for k, v in ids.items()} for t, ids in topics.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"feed state file {path} is unreadable ({exc}); move it away to start afresh") from exc
        return cls(path, entries)

    def __contains__(self, key: tuple[str, str]) -> bool:
        topic, entry_id = key
        with self._lock:
            return entry_id in self._entries.get(topic, {})

    def add(self, topic: str, entry_id: str) -> None:
        """Remember that ``entry_id`` reached ``topic``."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        with self._lock:
            ids = self._entries.setdefault(topic, {})
            if entry_id not in ids:
                ids[entry_id] = stamp
                self._dirty = True

    def count(self, topic: str) -> int:
        """How many entry ids are remembered for ``topic``."""
        with self._lock:
            return len(self._entries.get(topic, {}))

    def save(self) -> None:
        """Write the file if anything changed (keeping the newest ids of each topic)."""
        if self.path is None:
            return
        with self._lock:
            if not self._dirty:
                return
            for topic, ids in self._entries.items():
                if len(ids) > MAX_ENTRIES_PER_TOPIC:
                    newest = sorted(ids.items(), key=lambda kv: kv[1])[-MAX_ENTRIES_PER_TOPIC:]
                    self._entries[topic] = dict(newest)
            text = json.dumps({"version": 1, "topics": self._entries}, indent=1, sort_keys=True)
            self._dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".feed-state-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
