"""The benchmark of issue 15: `python -m bench` (`make bench`, `make bench-quick`).

Not part of the product: it builds a deterministic archive from the shared corpus and the
samples, runs the product and the tools a user would pick instead on the same files, and
writes `bench/results.json` and `BENCHMARKS.md`. It reaches into the product only from
outside (subprocesses, and `run_loop.py` timing the stages by wrapping them).
"""
