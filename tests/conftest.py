"""Fixtures shared by every test."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from functools import partial
from unittest.mock import patch

from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Import the integration before Home Assistant's loader looks for it, so the
# repository's custom_components wins over the test harness's own folder.
import custom_components.rhombus  # noqa: F401
from custom_components.rhombus.aiorhombus import Backoff
from simulator import RhombusSimulator

from .helpers import entry_for, setup_entry

# Every simulator exchange is checked against the official spec subset.
pytest_plugins = ("tests.spec.plugin",)


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


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncGenerator[RhombusSimulator]:
    """A fake Rhombus cloud on 127.0.0.1 with three cameras.

    Its heart-beats are off and the client's ping is pushed out of reach: the
    freezer fires every due timer when a test moves time by minutes, while no
    ping could have been answered, so the stream would look stalled. The
    liveness checks have their own tests (tests/aiorhombus, test_resilience).
    """
    sim = RhombusSimulator(cameras=3, seed=7, heartbeat_ms=0, org_name="Acme HQ")
    await sim.start()
    with patch(
        "custom_components.rhombus.aiorhombus.stream.WS_PING_INTERVAL", 86_400.0
    ):
        yield sim
    await sim.stop()


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> MockConfigEntry:
    """The simulator's account, set up and streaming."""
    return await setup_entry(hass, simulator, entry_for(simulator))


@pytest.fixture
def fast_reconnect() -> Generator[None]:
    """Reconnect within milliseconds, so a test needs no real waiting."""
    with patch(
        "custom_components.rhombus.hub.owner.Backoff",
        partial(Backoff, initial=0.01, cap=0.1),
    ):
        yield


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots as Home Assistant writes them, in tests/snapshots/."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def site_simulator(socket_enabled: None) -> AsyncGenerator[RhombusSimulator]:
    """One camera and the demo site: every kind of site hardware.

    ``lastSeenSec`` is pinned so entity states read the same on every run;
    unlocks relock at once (the tests check the call, not the hold).
    """
    sim = RhombusSimulator(
        cameras=1, seed=11, heartbeat_ms=0, org_name="Acme HQ", site=True
    )
    for device in sim.site.devices.values():
        if "lastSeenSec" in device.state:
            device.state["lastSeenSec"] = 1_774_459_000
    sim.unlock_hold_seconds = 0.05
    await sim.start()
    with patch(
        "custom_components.rhombus.aiorhombus.stream.WS_PING_INTERVAL", 86_400.0
    ):
        yield sim
    await sim.stop()


@pytest.fixture
async def not_admin(hass: HomeAssistant, hass_admin_user: MockUser) -> User:
    """Bob: may control entities (the "users" group), is not an administrator.

    Created after the admin fixture's user, who becomes the owner (the first
    user made is, and an owner counts as an administrator).
    """
    user = await hass.auth.async_create_user("Bob", group_ids=["system-users"])
    assert hass_admin_user.is_admin
    assert not user.is_admin
    return user
