"""Per-device features (``feature/*``): face recognition, licence plates, ….

A feature is offered for a device when its ``featureMap`` names it (true or
false); a feature the hardware or the licence lacks is absent from the map
[inferred: the spec says only "map of device features to their status"].
Device uuids may come back with a facet (``<uuid>.v0``): the facet is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .rest import RhombusRestClient

FACE_RECOGNITION: Final = "FACE_RECOGNITION"
LICENSE_PLATE_RECOGNITION: Final = "LICENSE_PLATE_RECOGNITION"
LIST_PATH: Final = "feature/getDeviceFeaturesList"
UPDATE_PATH: Final = "feature/updateDeviceFeatures"


class RhombusFeaturesClient:
    """Read many devices' features at once; switch one feature of one device."""

    def __init__(self, rest: RhombusRestClient) -> None:
        """Share the REST client."""
        self._rest = rest

    async def get_features(
        self, device_uuids: Iterable[str]
    ) -> dict[str, Mapping[str, bool]]:
        """One ``getDeviceFeaturesList`` call: features by device uuid."""
        data = await self._rest.request(LIST_PATH, {"deviceUuids": list(device_uuids)})
        found: dict[str, Mapping[str, bool]] = {}
        items = data.get("featureList")
        for item in items if isinstance(items, list) else ():
            if not isinstance(item, Mapping):
                continue
            uuid, features = item.get("deviceUuid"), item.get("featureMap")
            if not isinstance(uuid, str) or not isinstance(features, Mapping):
                continue
            found[uuid.split(".", 1)[0]] = {
                str(name): on for name, on in features.items() if isinstance(on, bool)
            }
        return found

    async def update_feature(self, device_uuid: str, feature: str, *, on: bool) -> None:
        """One ``updateDeviceFeatures`` call naming this feature alone."""
        await self._rest.request(
            UPDATE_PATH, {"deviceUuid": device_uuid, "featureMap": {feature: on}}
        )
