"""A job that crashes, hangs or eats memory costs its caller a message, never the caller's process.

No wall-clock asserts: the limits are what is tested, and every wait is bounded by them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corridors.isolation import IsolationError, WorkerPool
from tests.hostile import workers


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(workers.ready, max_workers=1, timeout_s=4, memory_bytes=500_000_000) as p:
        yield p


def test_a_job_runs_in_a_worker_and_its_exceptions_come_back(pool: WorkerPool) -> None:
    assert pool.run(workers.double, 21) == 42
    with pytest.raises(ValueError, match="no thanks"):
        pool.run(workers.refuse, "no thanks")
    assert pool.run(workers.double, 2) == 4  # the worker survives an exception


@pytest.mark.parametrize(
    ("job", "args", "message"),
    [
        (workers.segfault, (), "crashed"),
        (workers.degree_simplify_zigzag, (60_000,), "crashed|longer than"),
        (workers.allocate, (2.0,), "out of memory"),
        (workers.sleep, (60,), "longer than 4 s"),
    ],
    ids=["segfault", "geos-recursion", "memory", "runaway"],
)
def test_a_crash_a_runaway_or_a_memory_hog_costs_one_message(
    pool: WorkerPool, job: object, args: tuple, message: str
) -> None:
    with pytest.raises(IsolationError, match=message):
        pool.run(job, *args)
    assert pool.run(workers.double, 5) == 10  # a fresh worker takes the next job


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        WorkerPool(workers.ready, max_workers=0)
