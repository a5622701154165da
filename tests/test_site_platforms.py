"""The site's binary sensors and event entities beside the cameras' (snapshots)."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
import pytest
from syrupy.assertion import SnapshotAssertion

from simulator import RhombusSimulator

from .helpers import snapshot_platform_entities


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", [Platform.BINARY_SENSOR, Platform.EVENT])
async def test_entities(
    hass: HomeAssistant,
    site_simulator: RhombusSimulator,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of the platform with the demo site loaded."""
    await snapshot_platform_entities(hass, site_simulator, platform, snapshot)
