"""scripts/develop --check: the site hardware beside the cameras.

The simulator serves its demo site by default (door sensors, an E2, an E50,
an M15, a button, an audio gateway, two access-controlled doors); each is a
device under the org's service device, with its readings as entities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from scripts.hass.websocket import HassWebSocket


async def check_site(ws: HassWebSocket, step: Callable[[str], None]) -> list[str]:
    """Report the non-camera devices and their entities; return the failures."""
    devices = await ws.command("config/device_registry/list")
    site = [
        device
        for device in devices
        if device.get("via_device_id")
        and any(domain == "rhombus" for domain, _ in device.get("identifiers", []))
    ]
    if not site:
        return ["no site devices (door, climate, occupancy, button, doors)"]
    models = Counter(device.get("model") or "access-controlled door" for device in site)
    step(
        f"{len(site)} site devices: "
        + ", ".join(f"{count} {model}" for model, count in sorted(models.items()))
    )
    ids = {device["id"] for device in site}
    registry: list[dict[str, Any]] = await ws.command("config/entity_registry/list")
    domains = Counter(
        entity["entity_id"].split(".")[0]
        for entity in registry
        if entity.get("device_id") in ids
    )
    step(
        "site entities: "
        + ", ".join(f"{count} {domain}" for domain, count in sorted(domains.items()))
    )
    return [
        f"no site {domain} entities"
        for domain in ("sensor", "binary_sensor", "event", "button")
        if not domains[domain]
    ]
