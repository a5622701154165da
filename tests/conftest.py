"""Fixtures shared by every test."""

from __future__ import annotations

from collections.abc import Generator
from unittest.mock import patch

import pytest

# Import the integration before Home Assistant's loader looks for it, so the
# repository's custom_components wins over the test harness's own folder.
import custom_components.rhombus  # noqa: F401


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/rhombus."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield
