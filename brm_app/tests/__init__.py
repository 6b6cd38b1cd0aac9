"""Scaffolding: shared test helpers, the browser fixture, benchmarks and the reliability
battery. Importable by ``bench execute``; never imported by runtime code (a test checks)."""
