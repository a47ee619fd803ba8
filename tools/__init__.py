"""Maintainer tools, not installed: benchmarks, synthetic data, the development set and its
evaluation, the PDF benchmark, the hand check, and the CLI-reference and vocabulary generators.

Run from the repository root: ``python -m tools.bench``, ``python -m tools.eval``, ...
"""
