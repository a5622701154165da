"""Lockdown per location: plans, states, activate and deactivate.

- ``accesscontrol/lockdownPlan/findLockdownPlansByLocation`` (or
  ``findLockdownPlans`` for the whole org): each plan's ``type`` says whether
  it locks one location (``LOCATION_LOCKDOWN``) or the org;
- ``findLocationLockdownStates``: each location's ``state``
  (``STANDARD_SECURITY``/``LOCKED_DOWN``) and its ``updatedAtMillis``;
- ``activateLockdownForLocation`` / ``deactivateLockdownForLocation``.

These answers declare no ``error`` field: a change succeeded only when
``result`` is ``SUCCESS``. ``OPTIMISTIC_CONCURRENCY`` is
`RhombusLockdownConcurrencyError`, carrying the answer's fresh state so the
caller can retry once with it; any other result, a missing one or an unknown
one is `RhombusLockdownError` (the answer then changes nothing here).

Inferred, not settled by the spec:

- ``stateUpdatedAtMillis`` ("optional timestamp for optimistic locking") is
  the state's ``updatedAtMillis`` as last read; without it nothing is checked.
- A location missing from ``findLocationLockdownStates`` has never been
  locked down: it is in standard security.
- A location plan's location is its ``locationUuid``, else its ``scopeUuid``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .act_call import SiteService, act_call
from .exceptions import RhombusError, RhombusProtocolError
from .rest import RhombusRestClient
from .site_parse import enum, flag, integer, text

_BASE: Final = "accesscontrol/lockdownPlan/"
PLANS_PATH: Final = _BASE + "findLockdownPlans"
PLANS_BY_LOCATION_PATH: Final = _BASE + "findLockdownPlansByLocation"
STATES_PATH: Final = _BASE + "findLocationLockdownStates"
ACTIVATE_PATH: Final = _BASE + "activateLockdownForLocation"
DEACTIVATE_PATH: Final = _BASE + "deactivateLockdownForLocation"
_MAX_MS = 2**63 - 1
SUCCESS: Final = "SUCCESS"
OPTIMISTIC_CONCURRENCY: Final = "OPTIMISTIC_CONCURRENCY"


class LockdownState(StrEnum):
    """``LocationLockdownStateEnumType``."""

    STANDARD_SECURITY = "STANDARD_SECURITY"
    LOCKED_DOWN = "LOCKED_DOWN"
    UNKNOWN = "UNKNOWN"


class LockdownScope(StrEnum):
    """``LockdownPlanScopeEnumType``."""

    ORG_LOCKDOWN = "ORG_LOCKDOWN"
    LOCATION_LOCKDOWN = "LOCATION_LOCKDOWN"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class LockdownPlan:
    """A lockdown plan: its scope and, for a location plan, its location."""

    uuid: str
    name: str | None
    scope: LockdownScope | None
    location_uuid: str | None

    @classmethod
    def from_api(cls, data: Any) -> LockdownPlan | None:
        """Read a plan; None without a uuid."""
        if not isinstance(data, Mapping) or (uuid := text(data, "uuid")) is None:
            return None
        scope = enum(data, "type", LockdownScope)
        location = text(data, "locationUuid")
        if location is None and scope is LockdownScope.LOCATION_LOCKDOWN:
            location = text(data, "scopeUuid")
        return cls(uuid, text(data, "name"), scope, location)


@dataclass(frozen=True, slots=True)
class LocationLockdown:
    """A location's lockdown state and the version to send with a change."""

    location_uuid: str
    state: LockdownState | None
    active_plan_uuids: tuple[str, ...] = ()
    # ``updatedAtMillis``: pass it back as ``stateUpdatedAtMillis``.
    updated_at_ms: int | None = None
    state_changed_at_ms: int | None = None
    following_test_plan: bool | None = None

    @property
    def locked_down(self) -> bool | None:
        """True or False, or None when the state is missing or unknown."""
        if self.state is LockdownState.LOCKED_DOWN:
            return True
        if self.state is LockdownState.STANDARD_SECURITY:
            return False
        return None

    @classmethod
    def from_api(
        cls, data: Any, location_uuid: str | None = None
    ) -> LocationLockdown | None:
        """Read a state; None without a location."""
        if not isinstance(data, Mapping):
            return None
        location = text(data, "locationUuid") or location_uuid
        if location is None:
            return None
        plans = data.get("activeLockdownPlans")
        active = (
            tuple(
                uuid
                for plan in plans
                if isinstance(plan, Mapping)
                and (uuid := text(plan, "lockdownPlanUuid")) is not None
            )
            if isinstance(plans, list)
            else ()
        )
        return cls(
            location,
            enum(data, "state", LockdownState),
            active,
            integer(data, "updatedAtMillis", 0, _MAX_MS),
            integer(data, "stateChangedAtMillis", 0, _MAX_MS),
            flag(data, "followingTestPlan"),
        )


class RhombusLockdownError(RhombusError):
    """A lockdown change was not confirmed (``result`` is not ``SUCCESS``)."""

    def __init__(self, location_uuid: str, result: str | None) -> None:
        """Keep the location and Rhombus's ``result`` (None: there was none)."""
        super().__init__(f"lockdown change of {location_uuid} failed: {result}")
        self.location_uuid = location_uuid
        self.result = result


class RhombusLockdownConcurrencyError(RhombusLockdownError):
    """The state changed since it was read: retry once with ``state``."""

    def __init__(self, location_uuid: str, state: LocationLockdown | None) -> None:
        """Keep the fresh state the answer carried (None if it had none)."""
        super().__init__(location_uuid, OPTIMISTIC_CONCURRENCY)
        self.state = state


class RhombusLockdownClient:
    """Lockdown plans and states per location, through a `RhombusRestClient`."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client's session, key and error mapping."""
        self._rest = rest

    async def _read(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await act_call(self._rest, SiteService.LOCKDOWN, path, body, read=True)

    async def get_plans(self, location_uuid: str | None = None) -> list[LockdownPlan]:
        """The plans of one location, or of the whole org."""
        if location_uuid is None:
            path, body = PLANS_PATH, {}
        else:
            path, body = PLANS_BY_LOCATION_PATH, {"locationUuid": location_uuid}
        items = (await self._read(path, body)).get("lockdownPlans")
        if not isinstance(items, list):
            raise RhombusProtocolError(f"{path}: response has no lockdownPlans")
        return [plan for item in items if (plan := LockdownPlan.from_api(item))]

    async def get_states(self) -> dict[str, LocationLockdown]:
        """Every location's lockdown state that Rhombus has, by location uuid."""
        items = (await self._read(STATES_PATH, {})).get("states")
        if not isinstance(items, list):
            raise RhombusProtocolError(f"{STATES_PATH}: response has no states")
        found = (LocationLockdown.from_api(item) for item in items)
        return {state.location_uuid: state for state in found if state is not None}

    async def activate(
        self,
        location_uuid: str,
        plan_uuids: Sequence[str],
        *,
        state_updated_at_ms: int | None = None,
    ) -> LocationLockdown | None:
        """Lock a location down with these plans; return the new state."""
        if not plan_uuids:
            raise ValueError("at least one lockdown plan is needed")
        body: dict[str, Any] = {
            "locationUuid": location_uuid,
            "lockdownPlanUuids": list(dict.fromkeys(plan_uuids)),
        }
        return await self._change(ACTIVATE_PATH, body, state_updated_at_ms)

    async def deactivate(
        self, location_uuid: str, *, state_updated_at_ms: int | None = None
    ) -> LocationLockdown | None:
        """End a location's lockdown; return the new state."""
        body: dict[str, Any] = {"locationUuid": location_uuid}
        return await self._change(DEACTIVATE_PATH, body, state_updated_at_ms)

    async def set_locked_down(
        self,
        location_uuid: str,
        locked: bool,  # noqa: FBT001 - the state wanted
        plan_uuids: Sequence[str] = (),
        *,
        seen: LocationLockdown | None = None,
    ) -> LocationLockdown | None:
        """Lock down (with ``plan_uuids``) or end it, retrying once on a conflict.

        ``seen``: the state last read; its version is sent. On
        ``OPTIMISTIC_CONCURRENCY`` the answer's fresh state (or, without one,
        a fresh read) decides: already as wanted (locked down by every plan
        asked for, or not locked down), it is returned with no second change;
        otherwise the change is sent once more with the fresh version.
        A second conflict raises `RhombusLockdownConcurrencyError`.
        """
        version = seen.updated_at_ms if seen is not None else None
        try:
            return await self._set(location_uuid, locked, plan_uuids, version)
        except RhombusLockdownConcurrencyError as err:
            fresh = err.state
        if fresh is None:
            fresh = (await self.get_states()).get(location_uuid)
        if fresh is not None and _as_wanted(fresh, locked, plan_uuids):
            return fresh
        version = fresh.updated_at_ms if fresh is not None else None
        return await self._set(location_uuid, locked, plan_uuids, version)

    async def _set(
        self,
        location_uuid: str,
        locked: bool,  # noqa: FBT001 - the state wanted
        plan_uuids: Sequence[str],
        version: int | None,
    ) -> LocationLockdown | None:
        if locked:
            return await self.activate(
                location_uuid, plan_uuids, state_updated_at_ms=version
            )
        return await self.deactivate(location_uuid, state_updated_at_ms=version)

    async def _change(
        self, path: str, body: dict[str, Any], version: int | None
    ) -> LocationLockdown | None:
        location = body["locationUuid"]
        if version is not None:
            body["stateUpdatedAtMillis"] = version
        data = await act_call(self._rest, SiteService.LOCKDOWN, path, body, read=False)
        state = LocationLockdown.from_api(data.get("state"), location)
        result = data.get("result")
        if result == SUCCESS:
            return state
        if result == OPTIMISTIC_CONCURRENCY:
            raise RhombusLockdownConcurrencyError(location, state)
        raise RhombusLockdownError(
            location, result[:64] if isinstance(result, str) else None
        )


def _as_wanted(
    state: LocationLockdown,
    locked: bool,  # noqa: FBT001 - the state wanted
    plan_uuids: Sequence[str],
) -> bool:
    """Whether ``state`` is what the change asked for: no need to send it again."""
    if not locked:
        return state.locked_down is False
    return state.locked_down is True and set(plan_uuids) <= set(state.active_plan_uuids)
