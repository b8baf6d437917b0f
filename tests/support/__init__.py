"""Shared helpers of the tests and the benchmarks (bench/ imports them too)."""
