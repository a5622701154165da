"""Paused alerts per device and location against the simulator; expiry; odd answers."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest

from custom_components.rhombus.aiorhombus import (
    AlertPause,
    PauseSettings,
    RhombusAlertPauseClient,
    RhombusApiError,
    RhombusRefusedError,
    RhombusRestClient,
    SiteService,
)
from simulator import RhombusSimulator

from .act_helpers import answer_with
from .helpers import KEY, ScriptedCloud

PAUSE_DEVICE = "/api/policy/pauseAlertPolicyForDevice"


@pytest.fixture
def pauses(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> RhombusAlertPauseClient:
    return RhombusAlertPauseClient(RhombusRestClient(http, KEY, sim.rest_url))


def _scripted(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> RhombusAlertPauseClient:
    return RhombusAlertPauseClient(RhombusRestClient(http, KEY, cloud.url))


async def test_pause_a_camera_then_resume_it(
    sim: RhombusSimulator, pauses: RhombusAlertPauseClient
) -> None:
    camera = next(iter(sim.cameras))
    await pauses.pause_devices([camera], 3600)
    assert sim.requests[-1].body == {"deviceUuids": [camera], "durationSec": 3600}
    assert sim.alerts_paused(camera)
    settings = await pauses.get_pause_settings()
    pause = settings.active(camera, time.time())
    assert pause is not None
    assert pause.duration_s == 3600
    assert pause.uuid is not None
    await pauses.resume_device(pause.uuid)
    assert sim.requests[-1].body == {"uuid": pause.uuid}
    assert not sim.alerts_paused(camera)
    assert (await pauses.get_pause_settings()).devices == {}


async def test_a_pause_ends_by_itself(
    sim: RhombusSimulator, pauses: RhombusAlertPauseClient
) -> None:
    """Once over it is gone from the settings: alerts are on again."""
    camera = next(iter(sim.cameras))
    await pauses.pause_devices([camera], 60)
    sim.advance_pause_clock(61)
    assert not sim.alerts_paused(camera)
    assert await pauses.get_pause_settings() == PauseSettings()


async def test_pause_a_location_and_a_planned_pause(
    sim: RhombusSimulator, pauses: RhombusAlertPauseClient
) -> None:
    """A pause that starts later is listed but not active yet."""
    home = next(iter(sim.locations.locations))
    later = int(time.time()) + 600
    await pauses.pause_locations(home, 60, start_s=later)
    assert sim.requests[-1].body == {
        "locationUuids": [home],
        "durationSec": 60,
        "scheduledTimestampSec": later,
    }
    settings = await pauses.get_pause_settings()
    (pause,) = settings.locations[home]
    assert pause.start_s == later
    assert settings.active(home, time.time()) is None
    assert settings.active(home, later + 1) == pause
    assert pause.uuid is not None
    await pauses.resume_location(pause.uuid)
    assert (await pauses.get_pause_settings()).locations == {}


async def test_unknown_targets_and_pauses_are_api_errors(
    sim: RhombusSimulator, pauses: RhombusAlertPauseClient
) -> None:
    with pytest.raises(RhombusApiError):
        await pauses.pause_devices(["nope"], 60)
    with pytest.raises(RhombusApiError):
        await pauses.resume_device("nope")


async def test_bad_durations_are_never_sent(
    sim: RhombusSimulator, pauses: RhombusAlertPauseClient
) -> None:
    camera = next(iter(sim.cameras))
    for seconds in (0, -5, True):
        with pytest.raises(ValueError, match="second"):
            await pauses.pause_devices([camera], seconds)
    with pytest.raises(ValueError, match="nothing"):
        await pauses.pause_devices([], 60)
    assert sim.calls(PAUSE_DEVICE) == 0


async def test_a_role_without_pauses_is_refused(
    sim: RhombusSimulator, pauses: RhombusAlertPauseClient
) -> None:
    sim.refuse_service("alert_pause")
    with pytest.raises(RhombusRefusedError) as caught:
        await pauses.get_pause_settings()
    assert caught.value.service is SiteService.ALERT_PAUSE


@pytest.mark.parametrize(
    "body",
    [
        {
            "error": None,
            "errorMsg": None,
            "policiesPausedForDevicesMap": None,
            "policiesPausedForLocationsMap": None,
        },
        {},
        {"policiesPausedForDevicesMap": [1, 2]},
    ],
)
async def test_null_maps_mean_nothing_paused(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, body: dict[str, Any]
) -> None:
    answer_with(cloud, body)
    assert await _scripted(cloud, http).get_pause_settings() == PauseSettings()


async def test_null_and_odd_intervals_are_dropped(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    null_interval = dict.fromkeys(("uuid", "timestampSec", "durationSecs"))
    answer_with(
        cloud,
        {
            "policiesPausedForDevicesMap": {
                "cam": [
                    null_interval,
                    {"uuid": None, "timestampSec": 100, "durationSecs": 50},
                    {"uuid": "p", "timestampSec": 10, "durationSecs": 20},
                    {"uuid": "q", "timestampSec": "10", "durationSecs": 20},
                    "junk",
                ],
                "other": None,
                "": [{"uuid": "z", "timestampSec": 1, "durationSecs": 1}],
            }
        },
    )
    settings = await _scripted(cloud, http).get_pause_settings()
    assert settings.devices == {
        "cam": (AlertPause("p", "cam", 10, 20), AlertPause(None, "cam", 100, 50))
    }
    assert settings.active("cam", 29) == AlertPause("p", "cam", 10, 20)
    assert settings.active("cam", 30) is None
    assert settings.active("cam", 120) == AlertPause(None, "cam", 100, 50)
