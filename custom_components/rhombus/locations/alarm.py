"""Alarm monitoring per location: its state every minute, arm and disarm.

``alertmonitoring/orgStatus`` lists the locations with alarm monitoring (one
call a minute, and one at the stream's word). Arming and disarming send the
PIN the user typed and keep it nowhere: not in a log line, an exception, an
event or the state. Every attempt is logged at WARNING with who made it.
Wrong PINs are counted per location (each has its own PINs): after a few,
that panel refuses for a while (``CodeGuard``), since any user may open a
panel and type. A location's PINs are tried one at a time, so attempts sent
together cannot all pass the count before the first is answered.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from typing import Final

from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from ..actor import async_describe_actor
from ..aiorhombus import (
    Location,
    MonitoringStatus,
    RhombusAlarmMonitoringClient,
    RhombusError,
    RhombusInvalidPinError,
    RhombusRefusedError,
    RhombusRestClient,
)
from ..code_guard import CodeGuard
from ..const import DOMAIN, EVENT_ALARM_BAD_CODE, LOGGER
from ..data import RhombusConfigEntry
from ..rate_limit import RateLimitGate
from .polled import LocationServiceCoordinator

ALARM_INTERVAL: Final = timedelta(seconds=60)
# The stream's state message for a location's monitoring (shape inferred).
ALARM_SETTINGS_ENTITY: Final = "ALARM_MONITORING_LOCATION_SETTINGS"
# Alerts that say monitoring was switched at a location.
ALARM_SWITCH_TRIGGERS: Final = frozenset(
    {"ALM_MONITORING_ENABLED", "ALM_MONITORING_DISABLED"}
)


class AlarmCoordinator(LocationServiceCoordinator[MonitoringStatus]):
    """Each monitored location's status, by location uuid."""

    service_label = "alarm monitoring"

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RhombusConfigEntry,
        rest: RhombusRestClient,
        gate: RateLimitGate,
    ) -> None:
        """Read once a minute while quiet."""
        super().__init__(hass, entry, gate, ALARM_INTERVAL)
        self.client = RhombusAlarmMonitoringClient(rest)
        self._guards: defaultdict[str, CodeGuard] = defaultdict(CodeGuard)
        self._trying: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def _fetch(self) -> dict[str, MonitoringStatus]:
        return await self.client.get_org_status()

    async def async_set_armed(
        self,
        location: Location,
        armed: bool,  # noqa: FBT001 - the state wanted
        pin: str | None,
        context: Context | None,
    ) -> None:
        """Arm or disarm ``location`` with ``pin``; raise a translated error.

        No state changes on failure. A refused PIN fires
        ``rhombus_alarm_bad_code`` (where and who, never the PIN).
        """
        who = await async_describe_actor(self.hass, context)
        action = "arm" if armed else "disarm"
        placeholders = {"location": location.name}
        if not pin or not pin.strip():
            # Blank counts as none: the client would refuse it with a bare error.
            LOGGER.warning(
                "Refused to %s alarm monitoring at %s for %s: no PIN",
                action,
                location.name,
                who,
            )
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="pin_required",
                translation_placeholders=placeholders,
            )
        guard = self._guards[location.uuid]
        async with self._trying[location.uuid]:
            if wait := guard.wait():
                LOGGER.warning(
                    "Refused to %s alarm monitoring at %s for %s: too many wrong PINs",
                    action,
                    location.name,
                    who,
                )
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="alarm_pin_locked_out",
                    translation_placeholders={
                        **placeholders,
                        "seconds": str(round(wait)),
                    },
                )
            LOGGER.warning(
                "%s asks to %s alarm monitoring at %s", who, action, location.name
            )
            change = (
                self.client.enable_monitoring
                if armed
                else self.client.disable_monitoring
            )
            failure: HomeAssistantError | None = None
            try:
                warning = await change(location.uuid, pin)
            except RhombusInvalidPinError:
                guard.wrong()
                LOGGER.warning(
                    "Rhombus refused the PIN to %s alarm monitoring at %s (%s)",
                    action,
                    location.name,
                    who,
                )
                self.hass.bus.async_fire(
                    EVENT_ALARM_BAD_CODE,
                    {
                        "config_entry_id": self.config_entry.entry_id,
                        "location_uuid": location.uuid,
                        "location": location.name,
                        "action": action,
                        "who": who,
                    },
                    context=context,
                )
                failure = ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="invalid_pin",
                    translation_placeholders=placeholders,
                )
            except RhombusRefusedError:
                failure = HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="alarm_not_authorized",
                    translation_placeholders=placeholders,
                )
            except RhombusError as err:
                # The client masks the PIN in every error it raises.
                LOGGER.warning(
                    "Could not %s alarm monitoring at %s: %s",
                    action,
                    location.name,
                    err,
                )
                failure = HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="alarm_failed",
                    translation_placeholders={**placeholders, "error": str(err)},
                )
            if failure is not None:
                # Raised outside the handler: no chained exception holds the call.
                raise failure
            guard.right()
        LOGGER.warning(
            "Alarm monitoring at %s %s by %s%s",
            location.name,
            "armed" if armed else "disarmed",
            who,
            f" (Rhombus says: {warning})" if warning else "",
        )
        status = (self.data or {}).get(location.uuid) or MonitoringStatus(
            location.uuid, None
        )
        self.async_set_updated_data(
            {**(self.data or {}), location.uuid: replace(status, enabled=armed)}
        )
