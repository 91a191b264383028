"""Benchmarks of queueapp against its own production server (see bench/README.md)."""
