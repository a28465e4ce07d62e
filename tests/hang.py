"""A hang guard for unit tests: it fails a call that never returns, never one that is slow.

Speed is measured in ``benchmarks/``; a unit test that asserted "under 2 s" failed on a loaded
machine without anything being wrong. A guard set at a minute catches a loop that never ends (a
parser walking a crafted document forever, say) and nothing else.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: Far beyond any case on a loaded two-core machine: only a hang reaches it.
HANG_S = 60.0


@contextmanager
def hang_guard(seconds: float = HANG_S) -> Iterator[None]:
    """Interrupt the block with ``TimeoutError`` if it runs for ``seconds`` (Unix, main thread).

    Python code is interrupted where it is; a C call that never returns is not, but then neither
    is the test run, and the CI's own job timeout ends it.
    """

    def expire(_signum: int, _frame: FrameType | None) -> None:
        msg = f"no result after {seconds:g} s: a hang, not a slow machine"
        raise TimeoutError(msg)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
