"""Shared pytest set-up for the whole suite."""

# Fixture notebooks are inputs of the pipeline tests, not notebooks to validate with nbval.
collect_ignore_glob = ["pipeline/fixtures/*"]
