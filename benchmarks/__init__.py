"""The project's benchmark: ``uv run python -m benchmarks.run`` (see :mod:`benchmarks.run`).

Timings live here, not in the tests: a test passes or fails on behaviour, and a slow machine
must not turn it red. The benchmark prints every figure next to its target instead.
"""
