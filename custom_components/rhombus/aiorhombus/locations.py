"""The org's locations (``location/getLocations``): names for areas.

The spec subset declares two list calls. ``getLocations`` is in the published
spec (rhombus-cli's openapi.json, answer 200) and in the plugin's; its request
has one field, ``subLocationsIncluded``. ``getLocationsV2`` comes only from an
older, larger spec that also lists internal paths (answer ``default``, paged
by ``lastEvaluatedKey``), so the published ``getLocations`` is used.

Inferred, not settled by the spec: a sub-location is a location of its own
(it carries a uuid and a name like its parent), listed under its parent's
``subLocations``; a location without a name cannot name an area, so it is
skipped (logged once).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .act_call import SiteService, act_call
from .exceptions import RhombusProtocolError
from .rest import RhombusRestClient
from .site_parse import log_once, strings, text

LOCATIONS_PATH: Final = "location/getLocations"
# Deeper nesting than this is a loop or nonsense (the schema is recursive).
MAX_DEPTH: Final = 8


@dataclass(frozen=True, slots=True)
class Location:
    """A location (or a sub-location, with its parent's uuid)."""

    uuid: str
    name: str
    parent_uuid: str | None = None
    time_zone: str | None = None
    labels: tuple[str, ...] = ()


def _walk(
    items: Any, parent: str | None, depth: int, found: dict[str, Location]
) -> None:
    if not isinstance(items, list) or depth > MAX_DEPTH:
        return
    for item in items:
        if not isinstance(item, Mapping):
            continue
        uuid, name = text(item, "uuid"), text(item, "name")
        if uuid is None:
            continue
        if name is None or not name.strip():
            log_once("location", uuid, "Skipping location %s: it has no name", uuid)
        elif uuid not in found or (parent and found[uuid].parent_uuid is None):
            # Listed at the top and under a parent: the parent is kept.
            found[uuid] = Location(
                uuid,
                name.strip(),
                parent,
                text(item, "tz"),
                strings(item.get("labels")),
            )
        _walk(item.get("subLocations"), uuid, depth + 1, found)


class RhombusLocationsClient:
    """The org's locations, read through a `RhombusRestClient`."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client's session, key and error mapping."""
        self._rest = rest

    async def get_locations(self, *, sub_locations: bool = True) -> dict[str, Location]:
        """Every named location (and sub-location), by uuid.

        A response without its list is a `RhombusProtocolError`, never "no
        locations" (that would remove every location's device).
        """
        data = await act_call(
            self._rest,
            SiteService.LOCATIONS,
            LOCATIONS_PATH,
            {"subLocationsIncluded": sub_locations},
            read=True,
        )
        items = data.get("locations")
        if not isinstance(items, list):
            raise RhombusProtocolError(f"{LOCATIONS_PATH}: response has no locations")
        found: dict[str, Location] = {}
        _walk(items, None, 0, found)
        return found
