"""Benchmarks: `python bench/run.py [NAME ...]`; one module per benchmark (see run.py)."""
