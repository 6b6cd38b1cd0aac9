"""Benchmarks: scripts that print measured ratios (docs/testing.md)."""
