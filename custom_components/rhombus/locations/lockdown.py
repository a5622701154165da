"""Lockdown per location: plans and states; activate and deactivate.

Read every five minutes, and at once on the stream's word.

A location has lockdown here when it has plans of its own
(``LOCATION_LOCKDOWN``); org-wide plans lock every location and are not
offered per location. Two reads per refresh: the org's plans, the states.
Every change is logged at WARNING with who made it; only the client's one
retry on ``OPTIMISTIC_CONCURRENCY`` is ever retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from ..actor import async_describe_admin
from ..aiorhombus import (
    LocationLockdown,
    LockdownPlan,
    LockdownScope,
    LockdownState,
    RhombusError,
    RhombusLockdownClient,
    RhombusLockdownError,
    RhombusRefusedError,
    RhombusRestClient,
)
from ..const import CAMERA_REFRESH_INTERVAL, DOMAIN, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate
from .polled import LocationServiceCoordinator

# The stream has no lockdown entity: a location's change says it (inferred).
LOCKDOWN_ENTITY: Final = "LOCATION"
LOCKDOWN_TRIGGER_PREFIX: Final = "AC_LOCKDOWN"


@dataclass(frozen=True, slots=True)
class LocationLockdownInfo:
    """A location's own lockdown plans and its state."""

    plans: tuple[LockdownPlan, ...]
    state: LocationLockdown

    @property
    def locked_down(self) -> bool | None:
        """True, False, or None when Rhombus said something unknown."""
        return self.state.locked_down


class LockdownCoordinator(LocationServiceCoordinator[LocationLockdownInfo]):
    """Each location with lockdown plans: its plans and state, by uuid."""

    service_label = "lockdown"

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        gate: RateLimitGate,
    ) -> None:
        """Read with the camera list's cadence; the stream says the rest."""
        super().__init__(hass, entry, gate, CAMERA_REFRESH_INTERVAL)
        self.client = RhombusLockdownClient(rest)

    async def _fetch(self) -> dict[str, LocationLockdownInfo]:
        plans: dict[str, list[LockdownPlan]] = {}
        for plan in await self.client.get_plans():
            if plan.scope is LockdownScope.LOCATION_LOCKDOWN and plan.location_uuid:
                plans.setdefault(plan.location_uuid, []).append(plan)
        if not plans:
            return {}
        states = await self.client.get_states()
        return {
            uuid: LocationLockdownInfo(
                tuple(own),
                # Never locked down: Rhombus has no state for it yet.
                states.get(uuid)
                or LocationLockdown(uuid, LockdownState.STANDARD_SECURITY),
            )
            for uuid, own in plans.items()
        }

    def _plans_for(
        self, name: str, info: LocationLockdownInfo, plan: str | None
    ) -> list[str]:
        """The plans to activate: the one named (uuid or name), else all."""
        if plan is None:
            return [p.uuid for p in info.plans]
        wanted = plan.strip().casefold()
        found = [
            p.uuid
            for p in info.plans
            if p.uuid == plan or (p.name or "").strip().casefold() == wanted
        ]
        if not found:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="lockdown_unknown_plan",
                translation_placeholders={
                    "location": name,
                    "plan": plan,
                    "choices": ", ".join(p.name or p.uuid for p in info.plans),
                },
            )
        return found

    async def async_set_locked_down(
        self,
        location_uuid: str,
        name: str,
        context: Context | None,
        *,
        locked: bool,
        plan: str | None = None,
    ) -> None:
        """Lock ``location_uuid`` down (its plans, or ``plan``) or end it.

        Raises a translated error, and changes nothing here, unless Rhombus
        answered ``SUCCESS``.
        """
        info = (self.data or {}).get(location_uuid)
        placeholders = {"location": name}
        if info is None or not info.plans:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="lockdown_no_plan",
                translation_placeholders=placeholders,
            )
        plans = self._plans_for(name, info, plan) if locked else []
        what = "lock down" if locked else "end the lockdown of"
        who = await async_describe_admin(self.hass, context, f"{what} {name}")
        LOGGER.warning("%s asks to %s %s", who, what, name)
        try:
            state = await self.client.set_locked_down(
                location_uuid, locked, plans, seen=info.state
            )
        except RhombusRefusedError as err:
            LOGGER.warning("Could not %s %s for %s: %s", what, name, who, err)
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="lockdown_not_authorized",
                translation_placeholders=placeholders,
            ) from err
        except RhombusLockdownError as err:
            LOGGER.warning("Could not %s %s for %s: %s", what, name, who, err)
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="lockdown_failed",
                translation_placeholders={
                    **placeholders,
                    "error": err.result or "no result",
                },
            ) from err
        except RhombusError as err:
            LOGGER.warning("Could not %s %s for %s: %s", what, name, who, err)
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="lockdown_failed",
                translation_placeholders={**placeholders, "error": str(err)},
            ) from err
        LOGGER.warning(
            "%s %s by %s", name, "locked down" if locked else "lockdown ended", who
        )
        if state is None or state.locked_down is None:
            wanted = (
                LockdownState.LOCKED_DOWN if locked else LockdownState.STANDARD_SECURITY
            )
            state = LocationLockdown(location_uuid, wanted, tuple(plans))
        self.async_set_updated_data(
            {
                **(self.data or {}),
                location_uuid: LocationLockdownInfo(info.plans, state),
            }
        )
