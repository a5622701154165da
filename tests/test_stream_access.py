"""A stream refused with 403 while REST works: a repair issue, not reauth."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.rhombus.aiorhombus import StreamState
from custom_components.rhombus.const import DOMAIN
from custom_components.rhombus.hub.stream_access import FORBIDDEN_RETRY_SECONDS
from simulator import RhombusSimulator

from .helpers import advance, sensor_id, state_of, wait_until

# Reconnect within milliseconds: these tests drop the stream on purpose.
pytestmark = pytest.mark.usefixtures("fast_reconnect")

ORG = "/api/org/getOrgV2"


async def tick_until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, predicate: Callable[[], bool]
) -> None:
    """Move time in small steps (backoff sleeps) until ``predicate`` holds."""
    deadline = time.process_time() + 10
    while not predicate():
        assert time.process_time() < deadline, "condition not reached"
        await advance(hass, freezer, 0.2)
        await asyncio.sleep(0)


def issue_of(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"stream_forbidden_{entry.entry_id}"
    )


def retry_armed(entry: MockConfigEntry) -> bool:
    """The key check is over and the next stream attempt is scheduled."""
    return entry.runtime_data.hub.access._retry is not None


def flows(hass: HomeAssistant) -> list[str]:
    return [
        f["context"]["source"]
        for f in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    ]


async def refuse_stream(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    entry: MockConfigEntry,
    status: int,
) -> None:
    stream = entry.runtime_data.hub.stream
    simulator.handshake_status = status
    await simulator.drop_connections()
    await tick_until(hass, freezer, lambda: stream.state is StreamState.AUTH_FAILED)


async def test_forbidden_stream_raises_repair_then_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    camera = next(iter(simulator.cameras))
    person = sensor_id(hass, camera, "person")
    probes = simulator.calls(ORG)
    await refuse_stream(hass, freezer, simulator, loaded_entry, 403)
    await wait_until(hass, lambda: issue_of(hass, loaded_entry) is not None)

    issue = issue_of(hass, loaded_entry)
    assert issue is not None
    assert issue.translation_key == "stream_forbidden"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert not issue.is_fixable
    assert issue.translation_placeholders == {"name": loaded_entry.title}
    assert issue.learn_more_url
    assert flows(hass) == []  # no reauth: a new key would not help
    assert simulator.calls(ORG) == probes + 1
    assert state_of(hass, person) == "unavailable"
    await wait_until(hass, lambda: retry_armed(loaded_entry))

    # Retried slowly: nothing before the delay, then one more refused attempt.
    await advance(hass, freezer, FORBIDDEN_RETRY_SECONDS - 1)
    assert simulator.calls(ORG) == probes + 1
    await advance(hass, freezer, 2)
    await wait_until(hass, lambda: simulator.calls(ORG) == probes + 2)
    await wait_until(hass, lambda: retry_armed(loaded_entry))
    assert issue_of(hass, loaded_entry) is not None
    assert flows(hass) == []

    # The role is fixed in Rhombus: the next retry connects, the issue goes.
    simulator.handshake_status = None
    await advance(hass, freezer, FORBIDDEN_RETRY_SECONDS + 1)
    stream = loaded_entry.runtime_data.hub.stream
    await tick_until(hass, freezer, lambda: stream.state is StreamState.CONNECTED)
    await wait_until(hass, lambda: issue_of(hass, loaded_entry) is None)
    await wait_until(hass, lambda: state_of(hass, person) == "off")
    await simulator.emit_alert(camera, ("MOTION_HUMAN",))
    await wait_until(hass, lambda: state_of(hass, person) == "on")


async def test_401_on_stream_still_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    probes = simulator.calls(ORG)
    await refuse_stream(hass, freezer, simulator, loaded_entry, 401)
    await wait_until(hass, lambda: flows(hass) == [SOURCE_REAUTH])
    assert issue_of(hass, loaded_entry) is None
    assert simulator.calls(ORG) == probes  # a 401 needs no second opinion


async def test_403_with_rest_rejecting_the_key_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    simulator.fail_rest(ORG, status=403)
    await refuse_stream(hass, freezer, simulator, loaded_entry, 403)
    await wait_until(hass, lambda: flows(hass) == [SOURCE_REAUTH])
    assert issue_of(hass, loaded_entry) is None
    await advance(hass, freezer, FORBIDDEN_RETRY_SECONDS + 1)
    assert loaded_entry.runtime_data.hub.stream.state is StreamState.AUTH_FAILED


async def test_403_with_rest_down_retries_without_an_issue(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    simulator.fail_rest(ORG, status=503, times=1)
    probes = simulator.calls(ORG)
    await refuse_stream(hass, freezer, simulator, loaded_entry, 403)
    await wait_until(hass, lambda: retry_armed(loaded_entry))
    assert simulator.calls(ORG) == probes + 1
    assert issue_of(hass, loaded_entry) is None
    assert flows(hass) == []
    # REST answers at the next try: now the role is known to be the problem.
    await advance(hass, freezer, FORBIDDEN_RETRY_SECONDS + 1)
    await wait_until(hass, lambda: issue_of(hass, loaded_entry) is not None)


async def test_unload_drops_the_issue_and_the_retry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
) -> None:
    await refuse_stream(hass, freezer, simulator, loaded_entry, 403)
    await wait_until(hass, lambda: retry_armed(loaded_entry))
    assert issue_of(hass, loaded_entry) is not None
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert issue_of(hass, loaded_entry) is None
    probes = simulator.calls(ORG)
    await advance(hass, freezer, FORBIDDEN_RETRY_SECONDS + 1)
    assert simulator.calls(ORG) == probes
