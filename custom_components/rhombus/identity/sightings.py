"""``FACE_EVENT`` and ``VEHICLE_EVENT`` changes: shape unknown, logged once at debug.

The stream's entity list names them, but no source shows one. The alerts
already carry who and which car, so these are only logged (at debug: the
body may hold a name), once per entity type, until their shape is known.
"""

from __future__ import annotations

from homeassistant.core import CALLBACK_TYPE, callback

from ..aiorhombus import ChangeEvent
from ..const import LOGGER
from ..hub import RhombusHub

SIGHTING_ENTITIES = frozenset({"FACE_EVENT", "VEHICLE_EVENT"})


@callback
def async_log_sightings(hub: RhombusHub) -> CALLBACK_TYPE:
    """Log the first change of each sighting type; nothing else is done."""
    logged: set[str] = set()

    @callback
    def on_change(event: ChangeEvent) -> None:
        if event.entity_type in logged:
            return
        logged.add(event.entity_type)
        LOGGER.debug(
            "First %s change (its shape is not documented): %s",
            event.entity_type,
            event.payload,
        )

    return hub.async_register_consumer(
        entity_types=SIGHTING_ENTITIES, on_change=on_change
    )
