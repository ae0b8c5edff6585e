"""Base of the small mutable records the steps pass around (Sentence, Group, Hit, Draft, ...).

They were dataclasses. A dataclass's ``__init__`` is generated at import time, so when the
modules are compiled with mypyc (``python -m extractors.compile``) every construction still runs
that interpreted ``__init__``; with a hand-written ``__init__`` (and ``__slots__``, as before)
construction is native. This base keeps what the dataclasses gave: value equality over the
fields in declaration order (``Draft`` pools rely on it: two equal drafts are one), unhashable
instances, and a readable ``repr``.
"""

from __future__ import annotations

from types import FunctionType
from typing import ClassVar, Final


def _probe() -> None:
    """Only looked at by :data:`COMPILED`."""


COMPILED: Final = not isinstance(_probe, FunctionType)
"""Whether the extractor modules run compiled with mypyc (``python -m extractors.compile``): their
functions are then native, not Python functions (the same answer as ``extractors.COMPILED``,
known here without importing the package). A few steps have two equivalent ways to do one thing,
a loop that compiled code runs natively and a regex that is faster when interpreted, and choose
by this; the compile check and ``tests/test_extract_compiled.py`` compare the two builds' records."""


class Record:
    """Value equality and ``repr`` over :attr:`FIELDS`, like a dataclass's ``eq`` and ``repr``."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple([getattr(self, f) for f in self.FIELDS])

    def __eq__(self, other: object) -> bool:
        """Equal when of the same class with equal fields (a dataclass's ``__eq__``)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        """``Name(field=value, ...)``."""
        inner = ", ".join([f"{f}={getattr(self, f)!r}" for f in self.FIELDS])
        return f"{type(self).__name__}({inner})"


def bisect_left(a: list[int], x: int) -> int:
    """``bisect.bisect_left(a, x)`` for a sorted list of ints. Compiled, a native loop: calling
    the ``bisect`` module from compiled code is a module attribute read and a generic call,
    several times the cost of the few comparisons."""
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
