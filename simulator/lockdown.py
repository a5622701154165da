"""Lockdown plans and per-location lockdown states, with optimistic locking.

Serves ``accesscontrol/lockdownPlan/findLockdownPlans``,
``findLockdownPlansByLocation`` (the location's own plans),
``findLocationLockdownStates`` (``stateFilter``) and
``activateLockdownForLocation``/``deactivateLockdownForLocation``, whose
answers carry ``result`` and ``state`` and no ``error`` field.

A location has no state until its first lockdown (as the notes expect of the
real cloud). Every change stamps ``updatedAtMillis`` (strictly increasing); a
request whose ``stateUpdatedAtMillis`` is not the current one answers
``OPTIMISTIC_CONCURRENCY`` with the current state (inferred: the spec names
the field "optional timestamp for optimistic locking"). A plan of another
location, an unknown one or none is ``INVALID_LOCKDOWN_PLANS``.

Each change sends a ``LOCATION`` UPDATE with the location as ``entityUuid``
and the state under ``update``: the stream has no lockdown entity, so this
shape is inferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .act_common import Emit, change, string, strings, whole
from .names import NameGenerator
from .rest import AsyncEndpoint, Endpoint
from .world import BadRequestError, now_ms

_BASE = "/api/accesscontrol/lockdownPlan/"
PLANS_PATH = _BASE + "findLockdownPlans"
PLANS_BY_LOCATION_PATH = _BASE + "findLockdownPlansByLocation"
STATES_PATH = _BASE + "findLocationLockdownStates"
ACTIVATE_PATH = _BASE + "activateLockdownForLocation"
DEACTIVATE_PATH = _BASE + "deactivateLockdownForLocation"
LOCKDOWN_PATHS = (
    PLANS_PATH,
    PLANS_BY_LOCATION_PATH,
    STATES_PATH,
    ACTIVATE_PATH,
    DEACTIVATE_PATH,
)
LOCKDOWN_ENTITY = "LOCATION"
_STATES = ("STANDARD_SECURITY", "LOCKED_DOWN")


class LockdownWorld:
    """Plans by uuid and states by location uuid."""

    def __init__(self, names: NameGenerator, org_uuid: str) -> None:
        """No plans, no states."""
        self.names = names
        self.org_uuid = org_uuid
        self.plans: dict[str, dict[str, Any]] = {}
        self.states: dict[str, dict[str, Any]] = {}
        # Results the next changes answer instead of acting (a fault).
        self.forced_results: list[str] = []
        self._last_ms = 0

    def tick(self) -> int:
        """Now in epoch ms, after every earlier change (a version)."""
        self._last_ms = max(now_ms(), self._last_ms + 1)
        return self._last_ms

    def add_plan(self, location_uuid: str, name: str, scope: str) -> str:
        """Add a plan (``LOCATION_LOCKDOWN`` for the location, or the org's)."""
        uuid = self.names.ruuid()
        at = self.tick()
        org = scope == "ORG_LOCKDOWN"
        self.plans[uuid] = {
            "uuid": uuid,
            "name": name,
            "type": scope,
            "orgUuid": self.org_uuid,
            "scopeUuid": self.org_uuid if org else location_uuid,
            "locationUuid": None if org else location_uuid,
            "defaultLockdownState": "LOCKED_DOWN",
            "doorLockdownStateMap": {},
            "activationPlan": {"groupUuids": [], "userUuids": []},
            "deactivationPlan": {"groupUuids": [], "userUuids": []},
            "physicalAccess": {"groupUuids": [], "userUuids": []},
            "testPlan": {
                "doorStateOverrideEnabled": False,
                "userAccessOverrideEnabled": False,
            },
            "createdAtMillis": at,
            "updatedAtMillis": at,
        }
        return uuid

    def state(self, location_uuid: str) -> dict[str, Any]:
        """The location's state, or the standard one it would have (not stored)."""
        found = self.states.get(location_uuid)
        if found is not None:
            return found
        return {
            "locationUuid": location_uuid,
            "orgUuid": self.org_uuid,
            "state": "STANDARD_SECURITY",
            "activeLockdownPlans": [],
            "followingTestPlan": False,
            "createdAtMillis": None,
            "updatedAtMillis": None,
            "stateChangedAtMillis": None,
        }

    def set_state(self, location_uuid: str, plan_uuids: list[str]) -> dict[str, Any]:
        """Lock down with ``plan_uuids`` (none: end the lockdown); the new state."""
        state = dict(self.state(location_uuid))
        at = self.tick()
        locked = "LOCKED_DOWN" if plan_uuids else "STANDARD_SECURITY"
        if state["state"] != locked:
            state["stateChangedAtMillis"] = at
        state["createdAtMillis"] = state["createdAtMillis"] or at
        state["updatedAtMillis"] = at
        state["state"] = locked
        state["activeLockdownPlans"] = [
            {
                "lockdownPlanUuid": uuid,
                "scope": self.plans[uuid]["type"],
                "scopeUuid": self.plans[uuid]["scopeUuid"],
            }
            for uuid in plan_uuids
        ]
        self.states[location_uuid] = state
        return state

    def touch(self, location_uuid: str) -> None:
        """Someone else saved the state: a new version, same state."""
        state = self.set_state(location_uuid, self.active(location_uuid))
        state["updatedAtMillis"] = self.tick()

    def active(self, location_uuid: str) -> list[str]:
        """The uuids of the plans locking the location down."""
        return [
            plan["lockdownPlanUuid"]
            for plan in self.state(location_uuid)["activeLockdownPlans"]
        ]

    def plans_of(self, location_uuid: str) -> list[str]:
        """The location's own plans."""
        return [
            uuid
            for uuid, plan in self.plans.items()
            if plan["locationUuid"] == location_uuid
        ]

    def message(self, location_uuid: str) -> dict[str, Any]:
        """The stream's message for a changed state (shape inferred)."""
        state = self.state(location_uuid)
        return change(LOCKDOWN_ENTITY, location_uuid, update=state)


class LockdownApi:
    """The lockdown handlers."""

    def __init__(self, world: LockdownWorld, emit: Emit) -> None:
        """Serve ``world``; ``emit`` sends stream messages."""
        self.world = world
        self._emit = emit

    def rest_endpoints(self) -> dict[str, Endpoint]:
        """The reads, by path."""
        return {
            PLANS_PATH: self._plans,
            PLANS_BY_LOCATION_PATH: self._plans_by_location,
            STATES_PATH: self._states,
        }

    def async_endpoints(self) -> dict[str, AsyncEndpoint]:
        """The changes (they send a message before answering)."""
        return {ACTIVATE_PATH: self._activate, DEACTIVATE_PATH: self._deactivate}

    def _plans(self, _body: Mapping[str, Any]) -> dict[str, Any]:
        return {"lockdownPlans": [dict(p) for p in self.world.plans.values()]}

    def _plans_by_location(self, body: Mapping[str, Any]) -> dict[str, Any]:
        location = string(body, "locationUuid")
        uuids = self.world.plans_of(location) if location else []
        return {"lockdownPlans": [dict(self.world.plans[uuid]) for uuid in uuids]}

    def _states(self, body: Mapping[str, Any]) -> dict[str, Any]:
        wanted = strings(body, "stateFilter")
        if any(state not in _STATES for state in wanted):
            raise BadRequestError("stateFilter holds an unknown state")
        states = [
            dict(state)
            for state in self.world.states.values()
            if not wanted or state["state"] in wanted
        ]
        return {"states": states}

    def _check(self, body: Mapping[str, Any]) -> tuple[str, str | None]:
        """The location and the result that stops the change (None: go on)."""
        location = string(body, "locationUuid")
        if location is None:
            raise BadRequestError("locationUuid is required")
        version = whole(body, "stateUpdatedAtMillis")
        if self.world.forced_results:
            return location, self.world.forced_results.pop(0)
        current = self.world.state(location)["updatedAtMillis"]
        if version is not None and version != current:
            return location, "OPTIMISTIC_CONCURRENCY"
        return location, None

    async def _activate(self, body: Mapping[str, Any]) -> dict[str, Any]:
        location, refused = self._check(body)
        plans = strings(body, "lockdownPlanUuids")
        own = set(self.world.plans_of(location))
        if refused is None and (not plans or not set(plans) <= own):
            refused = "INVALID_LOCKDOWN_PLANS"
        if refused is not None:
            return {"result": refused, "state": dict(self.world.state(location))}
        active = list(dict.fromkeys([*self.world.active(location), *plans]))
        state = self.world.set_state(location, active)
        await self._emit(self.world.message(location))
        return {"result": "SUCCESS", "state": dict(state)}

    async def _deactivate(self, body: Mapping[str, Any]) -> dict[str, Any]:
        location, refused = self._check(body)
        if refused is not None:
            return {"result": refused, "state": dict(self.world.state(location))}
        state = self.world.set_state(location, [])
        await self._emit(self.world.message(location))
        return {"result": "SUCCESS", "state": dict(state)}
