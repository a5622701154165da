"""Alarm monitoring per location against the simulator, and the PIN's secrecy."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest

from custom_components.rhombus.aiorhombus import (
    MonitoringStatus,
    RhombusAlarmMonitoringClient,
    RhombusApiError,
    RhombusAuthError,
    RhombusConnectionError,
    RhombusError,
    RhombusInvalidPinError,
    RhombusProtocolError,
    RhombusRefusedError,
    RhombusRestClient,
    SiteService,
)
from simulator import RhombusSimulator

from .act_helpers import answer_with
from .helpers import KEY, ScriptedCloud

PIN = "918273"
ENABLE = "/api/alertmonitoring/enableMonitoringForLocation"


@pytest.fixture
def home(sim: RhombusSimulator) -> str:
    """The simulator's first location, with alarm monitoring and one PIN."""
    location = next(iter(sim.locations.locations))
    sim.set_alarm_monitoring(location, [PIN])
    return location


@pytest.fixture
def alarm(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> RhombusAlarmMonitoringClient:
    return RhombusAlarmMonitoringClient(RhombusRestClient(http, KEY, sim.rest_url))


def _scripted(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> RhombusAlarmMonitoringClient:
    return RhombusAlarmMonitoringClient(RhombusRestClient(http, KEY, cloud.url))


async def test_only_monitored_locations_have_a_status(
    sim: RhombusSimulator, home: str, alarm: RhombusAlarmMonitoringClient
) -> None:
    """orgStatus names the locations with monitoring; another has none."""
    sim.add_location("Warehouse")
    statuses = await alarm.get_org_status()
    assert list(statuses) == [home]
    assert statuses[home].enabled is False
    assert statuses[home].disabled_on is None


async def test_arm_and_disarm_with_the_right_pin(
    sim: RhombusSimulator, home: str, alarm: RhombusAlarmMonitoringClient
) -> None:
    """One call each; the status follows and the body holds only its fields."""
    assert await alarm.enable_monitoring(home, PIN) is None
    status = await alarm.get_location_status(home)
    assert status.enabled is True
    assert status.enabled_on is not None
    assert sim.calls(ENABLE) == 1
    assert sim.requests[-2].body == {"locationUuid": home, "pin": PIN}
    await alarm.disable_monitoring(home, PIN)
    assert (await alarm.get_org_status())[home].enabled is False


async def test_arming_twice_returns_the_warning(
    home: str, alarm: RhombusAlarmMonitoringClient
) -> None:
    await alarm.enable_monitoring(home, PIN)
    assert await alarm.enable_monitoring(home, PIN) == "Monitoring is already enabled"


async def test_a_wrong_pin_is_its_own_error_and_changes_nothing(
    sim: RhombusSimulator, home: str, alarm: RhombusAlarmMonitoringClient
) -> None:
    with pytest.raises(RhombusInvalidPinError):
        await alarm.enable_monitoring(home, "0000")
    assert sim.locations.location(home).enabled is False


async def test_a_location_without_monitoring_is_an_api_error(
    sim: RhombusSimulator, alarm: RhombusAlarmMonitoringClient
) -> None:
    """Not a refused PIN: the message does not name one."""
    other = sim.add_location("Warehouse")
    with pytest.raises(RhombusApiError) as caught:
        await alarm.enable_monitoring(other, PIN)
    assert not isinstance(caught.value, RhombusInvalidPinError)


async def test_the_status_of_a_location_without_monitoring_is_an_api_error(
    sim: RhombusSimulator, home: str, alarm: RhombusAlarmMonitoringClient
) -> None:
    """About the location, not the role: not a refusal."""
    other = sim.add_location("Warehouse")
    with pytest.raises(RhombusApiError) as caught:
        await alarm.get_location_status(other)
    assert not isinstance(caught.value, RhombusRefusedError)


async def test_an_empty_pin_is_never_sent(
    sim: RhombusSimulator, home: str, alarm: RhombusAlarmMonitoringClient
) -> None:
    with pytest.raises(ValueError, match="PIN is required"):
        await alarm.disable_monitoring(home, " ")
    assert sim.calls("/api/alertmonitoring/disableMonitoringForLocation") == 0


@pytest.mark.parametrize("in_band", [False, True])
async def test_a_role_without_alarm_monitoring_is_refused(
    sim: RhombusSimulator,
    home: str,
    alarm: RhombusAlarmMonitoringClient,
    in_band: bool,
) -> None:
    """403 (or an in-band permission error) names the service."""
    sim.refuse_service("alarm_monitoring", in_band=in_band)
    with pytest.raises(RhombusRefusedError) as caught:
        await alarm.get_org_status()
    assert caught.value.service is SiteService.ALARM_MONITORING
    assert caught.value.status == (None if in_band else 403)


async def test_refused_arming_is_refused_not_a_pin(
    sim: RhombusSimulator, home: str, alarm: RhombusAlarmMonitoringClient
) -> None:
    sim.refuse_service("alarm_monitoring")
    with pytest.raises(RhombusRefusedError):
        await alarm.enable_monitoring(home, PIN)


async def test_a_bad_key_stays_an_auth_error(
    sim: RhombusSimulator, home: str, http: aiohttp.ClientSession
) -> None:
    client = RhombusAlarmMonitoringClient(RhombusRestClient(http, "nope", sim.rest_url))
    with pytest.raises(RhombusAuthError):
        await client.enable_monitoring(home, PIN)


@pytest.mark.parametrize(
    "body",
    [
        {"error": None, "errorMsg": None, "locationStatuses": None},
        {"locationStatuses": ["not", "a", "map"]},
        {},
    ],
)
async def test_an_org_status_without_its_map_is_a_protocol_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, body: dict[str, Any]
) -> None:
    """Never "no location has monitoring": that would remove every panel."""
    answer_with(cloud, body)
    with pytest.raises(RhombusProtocolError):
        await _scripted(cloud, http).get_org_status()


async def test_null_statuses_are_read_as_unknown(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """Every field null: the location is there, its state unknown (not disarmed)."""
    null_status = dict.fromkeys(
        (
            "enabled",
            "enabledOnMs",
            "disabledOnMs",
            "devicesWithActiveSirens",
            "notEnabledReason",
        )
    )
    answer_with(cloud, {"locationStatuses": {"loc": null_status, "odd": "x", "": {}}})
    statuses = await _scripted(cloud, http).get_org_status()
    assert statuses == {
        "loc": MonitoringStatus("loc", None),
        "odd": MonitoringStatus("odd", None),
    }


async def test_garbage_fields_are_dropped(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    answer_with(
        cloud,
        {
            "status": {
                "enabled": "yes",
                "enabledOnMs": -5,
                "devicesWithActiveSirens": {"siren-1": 17, "": 1},
            }
        },
    )
    status = await _scripted(cloud, http).get_location_status("loc")
    assert status == MonitoringStatus("loc", None, active_sirens=("siren-1",))


async def test_a_location_status_without_status_is_a_protocol_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    answer_with(cloud, {"error": False, "status": None})
    with pytest.raises(RhombusProtocolError):
        await _scripted(cloud, http).get_location_status("loc")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Invalid PIN", RhombusInvalidPinError),
        ("Unauthorized: wrong pin", RhombusInvalidPinError),
        ("Incorrect passcode", RhombusInvalidPinError),
        ("Location not found", RhombusApiError),
        ("Permission denied", RhombusRefusedError),
        ("Spinning up", RhombusApiError),  # "pin" inside a word is not a PIN
    ],
)
async def test_in_band_errors_are_told_apart(
    cloud: ScriptedCloud,
    http: aiohttp.ClientSession,
    message: str,
    expected: type[RhombusError],
) -> None:
    """Only a message that names the PIN is a refused PIN (inferred rule)."""
    answer_with(cloud, {"error": True, "errorMsg": message, "warningMsg": None})
    with pytest.raises(RhombusError) as caught:
        await _scripted(cloud, http).enable_monitoring("loc", PIN)
    assert type(caught.value) is expected


@pytest.mark.parametrize(
    "answer",
    [
        {"error": True, "errorMsg": f"PIN {PIN} is not valid"},
        {"error": True, "errorMsg": f"unauthorized for {PIN}"},
        {"error": True, "errorMsg": f"location {PIN} has no monitoring"},
    ],
)
async def test_no_pin_in_any_exception_repr_or_log(
    cloud: ScriptedCloud,
    http: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    answer: dict[str, Any],
) -> None:
    """A server that echoes the PIN: masked in the text, repr and chain."""
    caplog.set_level(logging.DEBUG)
    answer_with(cloud, answer)
    client = _scripted(cloud, http)
    with pytest.raises(RhombusError) as caught:
        await client.disable_monitoring("loc", PIN)
    err = caught.value
    chain: list[BaseException] = []
    link: BaseException | None = err
    while link is not None:
        chain.append(link)
        link = link.__cause__ or link.__context__
    for found in chain:
        assert PIN not in str(found)
        assert PIN not in repr(found)
    assert "***" in str(err)
    assert PIN not in caplog.text
    assert PIN not in repr(client)


async def test_no_pin_in_a_warning_or_a_failed_connection(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    answer_with(cloud, {"error": False, "warningMsg": f"armed with {PIN}"})
    client = _scripted(cloud, http)
    assert await client.enable_monitoring("loc", PIN) == "armed with ***"
    answer_with(cloud, {}, status=500)
    with pytest.raises(RhombusConnectionError) as caught:
        await client.enable_monitoring("loc", PIN)
    assert PIN not in repr(caught.value)
