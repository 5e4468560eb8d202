"""Shared pytest set-up for the whole suite."""
from __future__ import annotations

from pathlib import Path

import pytest

# Fixture notebooks are inputs of the pipeline tests, not notebooks to validate with nbval.
collect_ignore_glob = ["pipeline/fixtures/*"]

# Tests that start workers and kernels fail after this many seconds (their fixtures' builds
# included) instead of hanging; the rest of the suite has pyproject.toml's `timeout`.
PIPELINE_TIMEOUT = 240
PIPELINE_TESTS = Path(__file__).parent / "pipeline"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if PIPELINE_TESTS in Path(item.path).parents and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(PIPELINE_TIMEOUT))


@pytest.fixture(scope="session")
def categories():
    """The cluster category mapping of templates/, as the report layer passes it to the analysis."""
    from workbench import templates
    return templates.load_categories()


@pytest.fixture(scope="session")
def catalogue():
    """The measures catalogue of templates/, as the report layer passes it to the analysis."""
    from workbench import templates
    return templates.load_catalogue()
