"""Headless Chromium for tests: render a page, dump its DOM after scripts ran, take a screenshot.

Uses Debian's ``chromium`` package (``apt-get install -y chromium``) through its command line,
so tests need no browser driver. ``--virtual-time-budget`` lets the page's timers and fetches
run for that much virtual time before the DOM is dumped, which makes polling pages
deterministic without real sleeps. Every run gets a fresh profile directory and all
background networking is off, so a test never talks to anything but the given URL.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
"""Executables tried, in order, on PATH."""

DEFAULT_BUDGET_MS = 5000
"""Virtual time the page may run (timers, polls) before the DOM dump or screenshot."""

TIMEOUT_S = 90.0
"""Wall-clock limit of one Chromium run; a hung browser fails the test instead of blocking CI."""


FLAGS = (
    "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
)
"""Chromium flags of every run: nothing but the given URL is ever contacted."""


class BrowserError(RuntimeError):
    """Chromium is missing, failed or timed out."""


def chromium_path() -> str | None:
    """The Chromium executable on PATH, or ``None`` when none is installed."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(url: str, extra: list[str], budget_ms: int) -> subprocess.CompletedProcess[bytes]:
    exe = chromium_path()
    if exe is None:
        raise BrowserError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",  # small /dev/shm in containers crashes renderers
            "--mute-audio",
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}",
            *extra,
            url,
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise BrowserError(f"chromium timed out after {TIMEOUT_S:.0f} s on {url}") from exc
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace")[-2000:]
        raise BrowserError(f"chromium exited with {proc.returncode} on {url}:\n{tail}")
    return proc


def dump_dom(url: str, *, budget_ms: int = DEFAULT_BUDGET_MS) -> str:
    """Load ``url``, let its scripts run for ``budget_ms`` of virtual time, return the serialised DOM."""
    return _run(url, ["--dump-dom"], budget_ms).stdout.decode("utf-8", "replace")


def screenshot(
    url: str,
    out_png: str | Path,
    width: int = 1366,
    height: int = 900,
    *,
    budget_ms: int = DEFAULT_BUDGET_MS,
) -> Path:
    """Save a ``width`` x ``height`` PNG of ``url`` after ``budget_ms`` of virtual time; return its path."""
    out = Path(out_png).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    _run(url, [f"--screenshot={out}", f"--window-size={width},{height}", "--hide-scrollbars"], budget_ms)
    if not out.is_file() or out.stat().st_size == 0:
        raise BrowserError(f"chromium wrote no screenshot to {out}")
    return out


@contextmanager
def browser_page(width: int = 1366, height: int = 900) -> Iterator[Any]:
    """A Playwright page in Debian's headless Chromium with a fresh profile (``--user-data-dir``).

    For tests that click, pick filters and hover: Playwright drives the installed browser over the
    DevTools protocol (it downloads no browser of its own).
    """
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise BrowserError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=exe, headless=True, args=list(FLAGS),
            viewport={"width": width, "height": height}, timeout=TIMEOUT_S * 1000,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            context.close()
