"""Counting and showing a feed's progress: a rich progress line on a terminal, log lines otherwise.

Problems are always printed as one ``origin: reason`` line on stderr, so an editor or a grep can
jump to the bad line.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

LOG_EVERY_S = 5.0


@dataclass
class FeedCounts:
    """What happened to the items of one feed run."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    already_sent: int = 0
    started: float = field(default_factory=time.monotonic)
    interrupted: bool = False

    @property
    def elapsed(self) -> float:
        return max(1e-9, time.monotonic() - self.started)

    @property
    def rate(self) -> float:
        """Articles acknowledged per second since the start."""
        return self.sent / self.elapsed

    def summary(self) -> str:
        """One line, e.g. ``feed: sent 20, skipped 1, failed 0 in 5.1s (3.9/s)``; feed entries sent by an
        earlier run are counted too: ``feed: sent 0, 2 already sent, skipped 0, ...``."""
        stop = " (interrupted)" if self.interrupted else ""
        known = f", {self.already_sent} already sent" if self.already_sent else ""
        return (
            f"feed: sent {self.sent}{known}, skipped {self.skipped}, failed {self.failed} "
            f"in {self.elapsed:.1f}s ({self.rate:.1f}/s){stop}"
        )

    def snapshot(self) -> tuple[int, int, int, int]:
        """(sent, already sent, skipped, failed) now, for :meth:`since`."""
        return self.sent, self.already_sent, self.skipped, self.failed

    def since(self, before: tuple[int, int, int, int]) -> str:
        """What happened since ``before``, e.g. ``1 new, 2 already sent, 0 skipped, 0 failed``."""
        sent, known, skipped, failed = (now - then for now, then in zip(self.snapshot(), before, strict=True))
        return f"{sent} new, {known} already sent, {skipped} skipped, {failed} failed"

    @property
    def exit_code(self) -> int:
        """0 when every item was sent, 1 when any was skipped or failed."""
        return 0 if self.skipped == 0 and self.failed == 0 else 1


class Reporter:
    """Thread-safe counters plus their display; the producer's callbacks call it from its I/O thread."""

    def __init__(self, stream: TextIO, *, tty: bool | None = None, log_every: float = LOG_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.counts = FeedCounts()
        self._stream = stream
        self._lock = threading.Lock()
        self._clock = clock
        self._log_every = log_every
        self._last_log = clock()
        self._console = Console(file=stream, force_terminal=tty, highlight=False, soft_wrap=True)
        self._tty = self._console.is_terminal
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self.show_summary = True

    def __enter__(self) -> Reporter:
        if self._tty:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]feed[/]"),
                BarColumn(bar_width=None),
                TextColumn("{task.fields[line]}"),
                TimeElapsedColumn(),
                console=self._console,
                transient=True,
            )
            self._task = self._progress.add_task("feed", total=None, line=self._line())
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if self.show_summary:
            self._print(self.counts.summary())

    def _line(self) -> str:
        c = self.counts
        return f"sent {c.sent}  skipped {c.skipped}  failed {c.failed}  {c.rate:.1f}/s"

    def _print(self, text: str) -> None:
        if self._tty:
            self._console.print(text, markup=False)
        else:
            self._stream.write(text + "\n")
            self._stream.flush()

    def _refresh(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, line=self._line())
        elif self._clock() - self._last_log >= self._log_every:
            self._last_log = self._clock()
            self._print(f"feed: {self._line()}")

    def sent(self) -> None:
        """One article is acknowledged by the broker."""
        with self._lock:
            self.counts.sent += 1
            self._refresh()

    def skipped(self, origin: str, reason: str) -> None:
        """One item was not sent because it is bad input."""
        with self._lock:
            self.counts.skipped += 1
            self._print(f"{origin}: {reason}")
            self._refresh()

    def failed(self, origin: str, reason: str) -> None:
        """One article could not be delivered."""
        with self._lock:
            self.counts.failed += 1
            self._print(f"{origin}: send failed: {reason}")
            self._refresh()

    def already_sent(self) -> None:
        """One feed entry was sent by an earlier run or poll (not sent again)."""
        with self._lock:
            self.counts.already_sent += 1
            self._refresh()

    def note(self, text: str) -> None:
        """A line of information (e.g. a poll that found nothing new)."""
        with self._lock:
            self._print(text)
