"""Who and which car an alert saw, for the bus event and the camera's entities.

An alert whose triggers recognise a face or read a plate (``FACE*``,
``LICENSEPLATE*``) names them in ``alertingEventFaces``/``Vehicles``. Whether
the stream's message carries those lists is not documented, so this is the
one place that handles both: read from the message when it has them,
otherwise from the one ``getPolicyAlertDetails`` call the hub makes (as for
a sparse alert). A details call that fails leaves the alert with no names and
``faces_unknown``; nothing else about it is lost.

Alerts that name nobody cost one look at their triggers, nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..aiorhombus import (
    ChangeEvent,
    ChangeType,
    Identities,
    identities_of,
    names_identity,
)
from ..const import LOGGER


@dataclass(frozen=True, slots=True)
class AlertIdentities:
    """The faces and plates of one alert; ``unknown`` when they could not be read."""

    identities: Identities | None = None
    unknown: bool = False

    def faces(self) -> list[dict[str, Any]]:
        """The bus event's ``faces``."""
        found = self.identities
        return [face.as_event() for face in found.faces] if found else []

    def plates(self) -> list[dict[str, Any]]:
        """The bus event's ``plates``."""
        found = self.identities
        return [plate.as_event() for plate in found.plates] if found else []


NOBODY = AlertIdentities()


def wants_details(event: ChangeEvent, *, named: bool) -> bool:
    """A new identity alert whose message lacks the lists: ask the details once.

    Only a CREATE: it is what fires the entities; an UPDATE's bus event says
    ``faces_unknown`` instead of costing a call. ``named``: the triggers name
    someone (``names_identity``, asked once per alert by the caller).
    """
    return (
        named
        and event.change_type == ChangeType.CREATE
        and event.entity_uuid is not None
        and identities_of(event.payload) is None
    )


class IdentityReader:
    """Reads an alert's identities; says once that unusable names were dropped."""

    def __init__(self) -> None:
        """Nothing dropped yet."""
        self.dropped = 0

    def read(
        self,
        event: ChangeEvent,
        details: Mapping[str, Any] | None = None,
        *,
        named: bool | None = None,
    ) -> AlertIdentities:
        """From the details (when fetched), else the message or listed alert.

        ``named``: whether the triggers name someone, when the caller knows.
        """
        if named is None:
            named = event.is_alert and names_identity(event.triggers)
        if not named:
            return NOBODY
        found = identities_of(details) if details is not None else None
        if found is None:
            found = identities_of(event.payload)
        if found is None:
            return AlertIdentities(None, unknown=True)
        if found.dropped:
            if not self.dropped:
                # Never the value itself: it may be a name.
                LOGGER.warning(
                    "Skipped a face or plate whose name is not usable text "
                    "(empty, too long or not text); said once"
                )
            self.dropped += found.dropped
        return AlertIdentities(found)
