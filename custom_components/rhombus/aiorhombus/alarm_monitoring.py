"""Alarm monitoring per location: which locations have it, armed or not, arm/disarm.

- ``alertmonitoring/orgStatus``: ``locationStatuses`` maps each location that
  has alarm monitoring to its ``MonitoringEnableStatus``;
- ``alertmonitoring/locationStatus``: one location's status. It is read
  instead of ``getAlertMonitoringSettingsForLocation``, which says ``enabled``
  too but also carries the location's real PINs (``pins[]``): a reply this
  client never needs to hold;
- ``alertmonitoring/enableMonitoringForLocation`` /
  ``disableMonitoringForLocation`` with ``{locationUuid, pin}``.

The PIN is a secret: it is sent in the body and nowhere else, and no
exception, repr or log line of this module holds it (a server message that
echoes it is masked).

Inferred, not settled by the spec:

- A location missing from ``locationStatuses`` has no alarm monitoring.
- A wrong PIN: the arm/disarm answers declare only ``error``/``errorMsg``/
  ``warningMsg``, so a refused PIN can only be ``error: true`` with a message.
  A message that names the PIN (``pin``, ``passcode``) is taken as a refused
  PIN (`RhombusInvalidPinError`), even when it also says "unauthorized" (which
  would otherwise read as a bad key); any other in-band error is a
  `RhombusApiError`, and a 403 a `RhombusRefusedError`.
- A ``warningMsg`` on success is returned for the caller to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
import re
from typing import Any, Final

from .act_call import RhombusRefusedError, SiteService, act_call
from .exceptions import (
    RhombusApiError,
    RhombusAuthError,
    RhombusError,
    RhombusProtocolError,
)
from .rest import RhombusRestClient
from .site_parse import epoch_ms, flag, text

ORG_STATUS_PATH: Final = "alertmonitoring/orgStatus"
LOCATION_STATUS_PATH: Final = "alertmonitoring/locationStatus"
ENABLE_PATH: Final = "alertmonitoring/enableMonitoringForLocation"
DISABLE_PATH: Final = "alertmonitoring/disableMonitoringForLocation"

_PIN_WORDS = re.compile(r"\b(pin|pins|passcode|pass code)\b", re.IGNORECASE)
_MASK = "***"


class RhombusInvalidPinError(RhombusApiError):
    """Rhombus refused the PIN (the message never holds the PIN)."""


@dataclass(frozen=True, slots=True)
class MonitoringStatus:
    """One location's ``MonitoringEnableStatus``."""

    location_uuid: str
    # None: the answer did not say (not "disarmed").
    enabled: bool | None
    enabled_on: datetime | None = None
    disabled_on: datetime | None = None
    not_enabled_reason: str | None = None
    # Devices whose siren plays now (the map's keys; its values are unknown).
    active_sirens: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, location_uuid: str, data: Any) -> MonitoringStatus:
        """Read a status object; every field may be null or missing."""
        if not isinstance(data, Mapping):
            return cls(location_uuid, None)
        sirens = data.get("devicesWithActiveSirens")
        return cls(
            location_uuid,
            flag(data, "enabled"),
            epoch_ms(data, "enabledOnMs"),
            epoch_ms(data, "disabledOnMs"),
            text(data, "notEnabledReason"),
            tuple(k for k in sirens if isinstance(k, str) and k)
            if isinstance(sirens, Mapping)
            else (),
        )


def _masked(err: RhombusError, pin: str) -> RhombusError:
    """``err`` with every copy of the PIN in its text masked (in place)."""
    err.args = tuple(
        arg.replace(pin, _MASK) if isinstance(arg, str) else arg for arg in err.args
    )
    return err


def _classify(err: RhombusError) -> RhombusError:
    """A refused PIN, a refused role, or ``err`` itself (see the docstring)."""
    names_pin = _PIN_WORDS.search(str(err)) is not None
    if isinstance(err, RhombusAuthError):
        if err.status is None and names_pin:
            return RhombusInvalidPinError(str(err))
        if err.status == HTTPStatus.UNAUTHORIZED:
            return err
        return RhombusRefusedError(SiteService.ALARM_MONITORING, str(err), err.status)
    if isinstance(err, RhombusApiError) and names_pin:
        return RhombusInvalidPinError(str(err))
    return err


class RhombusAlarmMonitoringClient:
    """Alarm monitoring per location, through a `RhombusRestClient`."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client's session, key and error mapping."""
        self._rest = rest

    async def get_org_status(self) -> dict[str, MonitoringStatus]:
        """The status of every location with alarm monitoring, by location uuid.

        A response without the map is a `RhombusProtocolError`, never "no
        location has monitoring" (that would remove every panel).
        """
        data = await act_call(
            self._rest, SiteService.ALARM_MONITORING, ORG_STATUS_PATH, {}, read=True
        )
        statuses = data.get("locationStatuses")
        if not isinstance(statuses, Mapping):
            raise RhombusProtocolError(f"{ORG_STATUS_PATH}: no locationStatuses")
        return {
            uuid: MonitoringStatus.from_api(uuid, status)
            for uuid, status in statuses.items()
            if isinstance(uuid, str) and uuid
        }

    async def get_location_status(self, location_uuid: str) -> MonitoringStatus:
        """One location's status (`RhombusProtocolError` without ``status``).

        A location without monitoring answers an in-band error (inferred):
        `RhombusApiError`.
        """
        data = await act_call(
            self._rest,
            SiteService.ALARM_MONITORING,
            LOCATION_STATUS_PATH,
            {"locationUuid": location_uuid},
            # About this location (none set up, unknown), not the role: an
            # in-band error stays a RhombusApiError unless it names permission.
            read=False,
        )
        status = data.get("status")
        if not isinstance(status, Mapping):
            raise RhombusProtocolError(f"{LOCATION_STATUS_PATH}: no status")
        return MonitoringStatus.from_api(location_uuid, status)

    async def enable_monitoring(self, location_uuid: str, pin: str) -> str | None:
        """Arm a location; return Rhombus's warning, if any."""
        return await self._set(ENABLE_PATH, location_uuid, pin)

    async def disable_monitoring(self, location_uuid: str, pin: str) -> str | None:
        """Disarm a location; return Rhombus's warning, if any."""
        return await self._set(DISABLE_PATH, location_uuid, pin)

    async def _set(self, path: str, location_uuid: str, pin: str) -> str | None:
        if not isinstance(pin, str) or not pin.strip():
            # Nothing of the value in the message: it may be a near-miss PIN.
            raise ValueError("a PIN is required")
        body = {"locationUuid": location_uuid, "pin": pin}
        failure: RhombusError | None = None
        try:
            data = await self._rest.request(path, body)
        except RhombusError as err:
            failure = _masked(_classify(err), pin)
        if failure is not None:
            # Raised outside the handler: no context chains back to a text
            # that held the PIN.
            raise failure
        warning = text(data, "warningMsg")
        return warning.replace(pin, _MASK) if warning else None
