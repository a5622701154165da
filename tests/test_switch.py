"""The switch platform: each camera's configuration controls."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from syrupy.assertion import SnapshotAssertion

from simulator import RhombusSimulator

from .helpers import snapshot_platform_entities


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """Every entity of the platform: name, class, category and state."""
    await snapshot_platform_entities(hass, simulator, Platform.SWITCH, snapshot)
