"""Lockdown plans and states against the simulator; results, concurrency, garbage."""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.rhombus.aiorhombus import (
    LocationLockdown,
    LockdownPlan,
    LockdownScope,
    LockdownState,
    RhombusLockdownClient,
    RhombusLockdownConcurrencyError,
    RhombusLockdownError,
    RhombusProtocolError,
    RhombusRefusedError,
    RhombusRestClient,
    SiteService,
)
from simulator import RhombusSimulator

from .act_helpers import answer_with
from .helpers import KEY, ScriptedCloud

ACTIVATE = "/api/accesscontrol/lockdownPlan/activateLockdownForLocation"
DEACTIVATE = "/api/accesscontrol/lockdownPlan/deactivateLockdownForLocation"


@pytest.fixture
def home(sim: RhombusSimulator) -> str:
    return next(iter(sim.locations.locations))


@pytest.fixture
def lockdown(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> RhombusLockdownClient:
    return RhombusLockdownClient(RhombusRestClient(http, KEY, sim.rest_url))


def _scripted(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> RhombusLockdownClient:
    return RhombusLockdownClient(RhombusRestClient(http, KEY, cloud.url))


async def test_plans_of_a_location_and_of_the_org(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    plan = sim.add_lockdown_plan(home, "Front doors")
    org_plan = sim.add_lockdown_plan(home, "Everything", scope="ORG_LOCKDOWN")
    assert await lockdown.get_plans(home) == [
        LockdownPlan(plan, "Front doors", LockdownScope.LOCATION_LOCKDOWN, home)
    ]
    everything = {p.uuid: p for p in await lockdown.get_plans()}
    assert everything[org_plan].scope is LockdownScope.ORG_LOCKDOWN
    assert everything[org_plan].location_uuid is None


async def test_activate_and_deactivate_one_call_each(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    """The state the answer carries is the new one, and REST agrees."""
    plan = sim.add_lockdown_plan(home)
    assert await lockdown.get_states() == {}  # never locked down: no state
    state = await lockdown.activate(home, [plan])
    assert state is not None
    assert state.locked_down is True
    assert state.active_plan_uuids == (plan,)
    assert sim.calls(ACTIVATE) == 1
    assert sim.requests[-1].body == {"locationUuid": home, "lockdownPlanUuids": [plan]}
    assert (await lockdown.get_states())[home].state is LockdownState.LOCKED_DOWN
    state = await lockdown.deactivate(home)
    assert state is not None
    assert state.locked_down is False
    assert sim.calls(DEACTIVATE) == 1
    assert sim.lockdown_state(home) == "STANDARD_SECURITY"


async def test_a_stale_version_is_a_concurrency_error_with_the_fresh_state(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    """Retrying once with the fresh state's version succeeds."""
    sim.add_lockdown_plan(home)
    await sim.lockdown_in_rhombus(home)
    seen = (await lockdown.get_states())[home]
    sim.touch_lockdown(home)  # someone else saved it since
    with pytest.raises(RhombusLockdownConcurrencyError) as caught:
        await lockdown.deactivate(home, state_updated_at_ms=seen.updated_at_ms)
    fresh = caught.value.state
    assert fresh is not None
    assert fresh.updated_at_ms is not None
    assert fresh.updated_at_ms > (seen.updated_at_ms or 0)
    assert caught.value.result == "OPTIMISTIC_CONCURRENCY"
    assert sim.lockdown_state(home) == "LOCKED_DOWN"  # nothing changed
    await lockdown.deactivate(home, state_updated_at_ms=fresh.updated_at_ms)
    assert sim.lockdown_state(home) == "STANDARD_SECURITY"
    assert sim.requests[-1].body == {
        "locationUuid": home,
        "stateUpdatedAtMillis": fresh.updated_at_ms,
    }


async def test_a_plan_of_another_location_is_refused(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    other = sim.add_location("Warehouse")
    plan = sim.add_lockdown_plan(other)
    with pytest.raises(RhombusLockdownError) as caught:
        await lockdown.activate(home, [plan])
    assert caught.value.result == "INVALID_LOCKDOWN_PLANS"
    assert not isinstance(caught.value, RhombusLockdownConcurrencyError)
    assert sim.lockdown_state(home) == "STANDARD_SECURITY"


async def test_no_plan_is_never_sent(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    with pytest.raises(ValueError, match="plan"):
        await lockdown.activate(home, [])
    assert sim.calls(ACTIVATE) == 0


async def test_a_forced_result_changes_nothing(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    plan = sim.add_lockdown_plan(home)
    sim.force_lockdown_result("OPTIMISTIC_CONCURRENCY")
    with pytest.raises(RhombusLockdownConcurrencyError):
        await lockdown.activate(home, [plan])
    assert sim.lockdown_state(home) == "STANDARD_SECURITY"


async def test_a_role_without_lockdown_is_refused(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    sim.refuse_service("lockdown")
    with pytest.raises(RhombusRefusedError) as caught:
        await lockdown.get_states()
    assert caught.value.service is SiteService.LOCKDOWN
    with pytest.raises(RhombusRefusedError):
        await lockdown.deactivate(home)


@pytest.mark.parametrize(
    ("answer", "result"),
    [
        ({"state": {"state": "LOCKED_DOWN"}}, None),  # no result at all
        ({"result": None, "state": None}, None),
        ({"result": "MAYBE", "state": {}}, "MAYBE"),
        ({"result": 1}, None),
        ({"error": False}, None),  # an envelope is not a success here
    ],
)
async def test_anything_but_success_is_an_error(
    cloud: ScriptedCloud,
    http: aiohttp.ClientSession,
    answer: dict[str, Any],
    result: str | None,
) -> None:
    answer_with(cloud, answer)
    with pytest.raises(RhombusLockdownError) as caught:
        await _scripted(cloud, http).activate("loc", ["plan"])
    assert type(caught.value) is RhombusLockdownError
    assert caught.value.result == result


async def test_success_with_a_null_state_is_still_success(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """The caller re-reads the states; None says the answer had none."""
    answer_with(cloud, {"result": "SUCCESS", "state": None})
    assert await _scripted(cloud, http).deactivate("loc") is None


async def test_concurrency_without_a_state(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    answer_with(cloud, {"result": "OPTIMISTIC_CONCURRENCY"})
    with pytest.raises(RhombusLockdownConcurrencyError) as caught:
        await _scripted(cloud, http).deactivate("loc", state_updated_at_ms=5)
    assert caught.value.state is None


@pytest.mark.parametrize(
    ("call", "body"),
    [
        ("get_states", {"states": None}),
        ("get_states", {}),
        ("get_plans", {"lockdownPlans": None}),
        ("get_plans", {"lockdownPlans": "x"}),
    ],
)
async def test_lists_without_their_list_are_protocol_errors(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, call: str, body: Any
) -> None:
    answer_with(cloud, body)
    with pytest.raises(RhombusProtocolError):
        await getattr(_scripted(cloud, http), call)()


async def test_null_and_odd_items_are_read_tolerantly(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """Null fields, an unknown enum, items without ids; every field nullable."""
    null_state = dict.fromkeys(
        ("locationUuid", "state", "activeLockdownPlans", "updatedAtMillis")
    )
    answer_with(
        cloud,
        {
            "states": [
                null_state,
                {"locationUuid": "a", "state": "PANIC", "updatedAtMillis": "7"},
                {
                    "locationUuid": "b",
                    "state": "LOCKED_DOWN",
                    "activeLockdownPlans": [{"lockdownPlanUuid": None}, "x"],
                    "updatedAtMillis": 12,
                },
                "junk",
            ]
        },
    )
    states = await _scripted(cloud, http).get_states()
    assert states == {
        "a": LocationLockdown("a", LockdownState.UNKNOWN),
        "b": LocationLockdown("b", LockdownState.LOCKED_DOWN, (), 12),
    }
    assert states["a"].locked_down is None
    answer_with(
        cloud,
        {
            "lockdownPlans": [
                dict.fromkeys(("uuid", "name", "type", "scopeUuid")),
                {"uuid": "p", "type": "LOCATION_LOCKDOWN", "scopeUuid": "loc"},
                {"uuid": "q", "type": "NEW_SCOPE"},
            ]
        },
    )
    assert await _scripted(cloud, http).get_plans() == [
        LockdownPlan("p", None, LockdownScope.LOCATION_LOCKDOWN, "loc"),
        LockdownPlan("q", None, LockdownScope.UNKNOWN, None),
    ]


async def test_set_locked_down_retries_once_with_the_fresh_version(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    """A stale version: one conflict, one retry with the answer's state."""
    plan = sim.add_lockdown_plan(home)
    await sim.lockdown_in_rhombus(home)
    await sim.end_lockdown_in_rhombus(home)
    seen = (await lockdown.get_states())[home]
    sim.touch_lockdown(home)  # saved elsewhere since (still standard security)
    state = await lockdown.set_locked_down(home, True, [plan], seen=seen)
    assert state is not None
    assert state.locked_down is True
    assert sim.calls(ACTIVATE) == 2
    assert sim.lockdown_state(home) == "LOCKED_DOWN"


async def test_set_locked_down_stops_when_rhombus_is_already_there(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    """Someone locked it down meanwhile: no second change is sent."""
    plan = sim.add_lockdown_plan(home)
    await sim.lockdown_in_rhombus(home)
    seen = LocationLockdown(home, LockdownState.STANDARD_SECURITY, (), 1)
    state = await lockdown.set_locked_down(home, True, [plan], seen=seen)
    assert state is not None
    assert state.locked_down is True
    assert sim.calls(ACTIVATE) == 1


async def test_set_locked_down_sends_a_plan_another_lockdown_lacks(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    """Locked down meanwhile by the doors' plan: the gates' plan is still sent."""
    doors = sim.add_lockdown_plan(home, "Doors")
    gates = sim.add_lockdown_plan(home, "Gates")
    await sim.lockdown_in_rhombus(home, [doors])
    seen = LocationLockdown(home, LockdownState.STANDARD_SECURITY, (), 1)
    state = await lockdown.set_locked_down(home, True, [gates], seen=seen)
    assert state is not None
    assert set(state.active_plan_uuids) == {doors, gates}
    assert sim.calls(ACTIVATE) == 2


async def test_set_locked_down_gives_up_after_a_second_conflict(
    sim: RhombusSimulator, home: str, lockdown: RhombusLockdownClient
) -> None:
    """Two conflicts in a row: the second is raised, nothing changed."""
    sim.add_lockdown_plan(home)
    await sim.lockdown_in_rhombus(home)
    sim.force_lockdown_result("OPTIMISTIC_CONCURRENCY")
    sim.force_lockdown_result("OPTIMISTIC_CONCURRENCY")
    with pytest.raises(RhombusLockdownConcurrencyError):
        await lockdown.set_locked_down(home, False)
    assert sim.calls(DEACTIVATE) == 2
    assert sim.lockdown_state(home) == "LOCKED_DOWN"


async def test_set_locked_down_reads_the_state_when_the_conflict_has_none(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """No state in the conflict's answer: one read, then the retry."""
    answers = iter(
        [
            {"result": "OPTIMISTIC_CONCURRENCY", "state": None},
            {
                "states": [
                    {
                        "locationUuid": "loc",
                        "state": "LOCKED_DOWN",
                        "updatedAtMillis": 9,
                    }
                ]
            },
            {
                "result": "SUCCESS",
                "state": {"locationUuid": "loc", "state": "STANDARD_SECURITY"},
            },
        ]
    )
    bodies: list[Any] = []

    async def answer(request: web.Request) -> web.StreamResponse:
        bodies.append((request.path, await request.json()))
        return web.json_response(next(answers))

    cloud.rest = answer
    state = await _scripted(cloud, http).set_locked_down("loc", False)
    assert state == LocationLockdown("loc", LockdownState.STANDARD_SECURITY)
    assert bodies[-1] == (
        "/api/accesscontrol/lockdownPlan/deactivateLockdownForLocation",
        {"locationUuid": "loc", "stateUpdatedAtMillis": 9},
    )
