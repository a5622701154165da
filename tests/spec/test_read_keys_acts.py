"""Every key the site-action clients read is one the spec declares.

The same recording as ``test_read_keys`` (its ``reads`` fixture), over the
locations, alarm monitoring, lockdown, audio and alert-pause calls.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from custom_components.rhombus.aiorhombus import (
    RhombusAlarmMonitoringClient,
    RhombusAlertPauseClient,
    RhombusAudioClient,
    RhombusLocationsClient,
    RhombusLockdownClient,
    RhombusRestClient,
)
from simulator import RhombusSimulator

from .schemas import device_components, operations
from .test_read_keys import Read, _props, reads  # noqa: F401 - the fixture

_LOCKDOWN = "/api/accesscontrol/lockdownPlan/"
# The in-band error check runs on every response; the lockdown answers alone
# declare no error fields (their failures are in ``result``).
EXPECTED_UNDECLARED = {
    (_LOCKDOWN + name, "", "error")
    for name in (
        "findLockdownPlans",
        "findLockdownPlansByLocation",
        "findLocationLockdownStates",
        "activateLockdownForLocation",
        "deactivateLockdownForLocation",
    )
}


def resolved(schema: Any, depth: int = 0) -> Any:
    """``schema`` with the devices file's ``$ref``s inlined (recursion cut off)."""
    if isinstance(schema, list):
        return [resolved(item, depth) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str) and depth < 8:
        name = ref.rsplit("/", 1)[-1]
        return resolved(device_components()["schemas"][name], depth + 1)
    return {key: resolved(value, depth) for key, value in schema.items()}


def declared(schema: dict[str, Any], where: str) -> set[str]:
    """Property names declared at ``where``; a map's keys (uuids) pass through."""
    nodes = [schema]
    named: dict[str, dict[str, Any]] = {}  # x-ref → schema, for recursive refs
    for part in [p for p in where.split("/") if p]:
        for node in nodes:
            if isinstance(node.get("x-ref"), str) and not node.get("x-cycle"):
                named.setdefault(node["x-ref"], node)
        nodes = [named.get(n["x-ref"], n) if n.get("x-cycle") else n for n in nodes]
        key, items = part.removesuffix("[]"), part.count("[]")
        found: list[dict[str, Any]] = []
        for node in nodes:
            props = _props(node)
            if key in props:
                found += props[key]
            elif isinstance(node.get("additionalProperties"), dict):
                found.append(node["additionalProperties"])
        nodes = found
        for _ in range(items):
            nodes = [n.get("items", {}) for n in nodes]
    nodes = [named.get(n["x-ref"], n) if n.get("x-cycle") else n for n in nodes]
    return {name for node in nodes for name in _props(node)}


async def test_every_key_the_action_clients_read_is_declared(
    reads: set[Read],  # noqa: F811 - the imported fixture
) -> None:
    async with (
        RhombusSimulator(cameras=1, seed=9, heartbeat_ms=0) as sim,
        aiohttp.ClientSession() as http,
    ):
        rest = RhombusRestClient(http, next(iter(sim.api_keys)), sim.rest_url)
        home = next(iter(sim.locations.locations))
        sim.add_location("Floor", parent_uuid=home)
        sim.set_alarm_monitoring(home, ["1234"])
        plan = sim.add_lockdown_plan(home)
        gateway = sim.add_site_device("audio_gateway", "Porch", "GATEWAY_A100").uuid
        camera = next(iter(sim.cameras))

        await RhombusLocationsClient(rest).get_locations()
        alarm = RhombusAlarmMonitoringClient(rest)
        await alarm.get_org_status()
        await alarm.get_location_status(home)
        await alarm.enable_monitoring(home, "1234")
        await alarm.disable_monitoring(home, "1234")
        lockdown = RhombusLockdownClient(rest)
        await lockdown.get_plans()
        await lockdown.get_plans(home)
        await lockdown.activate(home, [plan])
        await lockdown.get_states()
        await lockdown.deactivate(home)
        audio = RhombusAudioClient(rest)
        clip = await audio.create_tts_clip("Hello", name="hello")
        await audio.get_clips()
        await audio.play_clip([gateway], clip, loop_seconds=5)
        await audio.cancel_looping([gateway])
        pauses = RhombusAlertPauseClient(rest)
        await pauses.pause_devices([camera], 60)
        await pauses.pause_locations([home], 60)
        settings = await pauses.get_pause_settings()
        for pause in settings.devices[camera]:
            assert pause.uuid is not None
            await pauses.resume_device(pause.uuid)
        for pause in settings.locations[home]:
            assert pause.uuid is not None
            await pauses.resume_location(pause.uuid)

    table = operations()
    assert len({path for path, _, _ in reads}) == 19
    undeclared = sorted(
        f"{path} {where or '/'}: {key}"
        for path, where, key in reads - EXPECTED_UNDECLARED
        if key not in declared(resolved(table[path].raw_response), where)
    )
    assert undeclared == []
    assert reads >= EXPECTED_UNDECLARED  # still read, or drop the exemption
