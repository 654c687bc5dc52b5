//! Deterministic synthetic data for every table, for demos and benchmarks.
