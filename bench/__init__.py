"""Benchmarks (``make bench``) and the realistic tweet corpus they share (:mod:`bench.corpus`)."""
