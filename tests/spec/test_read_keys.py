"""Every key the client reads from a REST response is one the spec declares.

The reads are recorded, not listed by hand: the JSON the client receives is
wrapped in a dict that notes each key looked up (at its place in the
document), while the client's calls run against the simulator. The hub only
hands alert payloads on (``ChangeEvent.from_alert`` and its ``thumbnail_region``),
so those readers run on the recorded alerts too.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.rhombus.aiorhombus import (
    IR_LEDS_MODE,
    ChangeEvent,
    Endpoints,
    RhombusCommandError,
    RhombusConfigClient,
    RhombusDeviceAdminClient,
    RhombusFeaturesClient,
    RhombusMediaClient,
    RhombusRestClient,
    RhombusSiteClient,
    SiteKind,
)
from custom_components.rhombus.camera_config.descriptions import CONFIG_FIELDS
from simulator import RhombusSimulator
from simulator.site_demo import build_demo_site

from .schemas import device_components, operations

type Read = tuple[str, str, str]  # endpoint path, place in the document, key

# Reads the spec does not back, each for a stated reason:
EXPECTED_UNDECLARED = {
    # The in-band error check runs on every response; this one type alone
    # declares no error fields (its failures are HTTP errors).
    ("/api/org/generateFederatedSessionToken", "", "error"),
    # ChangeEvent.thumbnail_region reads a stream message body (alert under "update")
    # and a REST alert alike; on a REST alert "update" is simply absent.
    ("/api/event/getPolicyAlertDetails", "/policyAlert", "update"),
    ("/api/event/getPolicyAlerts", "/policyAlerts[]", "update"),
}
# The same generic in-band check on the access-control calls, whose answers
# declare no error fields either (they refuse with HTTP 403).
SITE_EXPECTED_UNDECLARED = {
    ("/api/component/findMinimalStateAccessControlledDoors", "", "error"),
    ("/api/component/findAllComponentShadows", "", "error"),
    ("/api/accesscontrol/unlockAccessControlledDoor", "", "error"),
}


class RecordingDict(dict[str, Any]):
    """A JSON object that records which keys are read from it."""

    def __init__(self, data: dict[str, Any], path: str, where: str, log: set[Read]):
        super().__init__(
            {k: wrap(v, path, f"{where}/{k}", log) for k, v in data.items()}
        )
        self._path, self._where, self._log = path, where, log

    def _note(self, key: object) -> None:
        self._log.add((self._path, self._where, str(key)))

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)


def wrap(value: Any, path: str, where: str, log: set[Read]) -> Any:
    if isinstance(value, dict):
        return RecordingDict(value, path, where, log)
    if isinstance(value, list):
        return [wrap(item, path, f"{where}[]", log) for item in value]
    return value


def declared(schema: dict[str, Any], where: str) -> set[str]:
    """Property names the spec declares for the object at ``where``."""
    nodes = [schema]
    for part in [p for p in where.split("/") if p]:
        key, items = part.removesuffix("[]"), part.count("[]")
        nodes = [sub for node in nodes for sub in _member(node, key)]
        for _ in range(items):
            nodes = [_deref(_deref(n).get("items", {})) for n in nodes]
    return {name for node in nodes for name in _props(node)}


def _values(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The value schema of a map (facet settings keyed by facet)."""
    values = node.get("additionalProperties")
    return [values] if isinstance(values, dict) else []


def _props(node: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Properties of an object schema, its subtypes' included (oneOf)."""
    found: dict[str, list[dict[str, Any]]] = {}
    node = _deref(node)
    for name, sub in node.get("properties", {}).items():
        found.setdefault(name, []).append(_deref(sub))
    for part in [*node.get("oneOf", []), *node.get("allOf", [])]:
        for name, subs in _props(part).items():
            found.setdefault(name, []).extend(subs)
    return found


def _member(node: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The schema of ``key`` in an object: a property, or a map's value."""
    if found := _props(node).get(key):
        return found
    extra = _deref(node).get("additionalProperties")
    return [_deref(extra)] if isinstance(extra, dict) else []


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    """The devices subset's ``#/components/schemas/…`` references, followed."""
    while "$ref" in node:
        node = device_components()["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


@pytest.fixture
async def reads(monkeypatch: pytest.MonkeyPatch, socket_enabled: None) -> set[Read]:
    log: set[Read] = set()
    original = aiohttp.ClientResponse.json

    async def recording_json(self: aiohttp.ClientResponse, **kwargs: Any) -> Any:
        return wrap(await original(self, **kwargs), self.url.path, "", log)

    monkeypatch.setattr(aiohttp.ClientResponse, "json", recording_json)
    return log


async def test_every_key_the_client_reads_is_declared(reads: set[Read]) -> None:
    async with (
        RhombusSimulator(cameras=2, seed=9, heartbeat_ms=0) as sim,
        aiohttp.ClientSession() as http,
    ):
        key = next(iter(sim.api_keys))
        rest = RhombusRestClient(http, key, sim.rest_url)
        endpoints = Endpoints(sim.rest_url, sim.websocket_url, sim.media_url)
        media = RhombusMediaClient(rest, http, endpoints)
        camera = next(iter(sim.cameras))
        alert_uuid = await sim.emit_alert(camera, ("MOTION_HUMAN",))
        await rest.get_org()
        await rest.get_cameras()
        alerts = await rest.get_policy_alerts_since(0, page_size=1)
        details = await rest.get_policy_alert_details(alert_uuid)
        assert await rest.get_policy_alert_details("unknown-uuid") is None
        await media.get_frame_uri(camera, 1_700_000_000_000)
        await media.get_live_hls_uri(camera)
        await media.create_federated_token(60)
        await rest.dismiss_policy_alert(alert_uuid)
        assert alerts
        assert details is not None
        for alert in [*alerts, details]:
            # The thumbnail region is read from the event's payload on demand.
            _ = ChangeEvent.from_alert(alert).thumbnail_region

    table = operations()
    by_path = {path for path, _, _ in reads}
    assert by_path >= {
        "/api/org/getOrgV2",
        "/api/camera/getMinimalCameraStateList",
        "/api/event/getPolicyAlerts",
        "/api/event/getPolicyAlertDetails",
        "/api/event/dismissPolicyAlertV2",
        "/api/video/getExactFrameUri",
        "/api/camera/getMediaUris",
        "/api/org/generateFederatedSessionToken",
    }
    undeclared = sorted(
        f"{path} {where or '/'}: {key}"
        for path, where, key in reads - EXPECTED_UNDECLARED
        if key not in declared(table[path].raw_response, where)
    )
    assert undeclared == []
    assert reads >= EXPECTED_UNDECLARED  # still read, or drop the exemption


async def test_every_key_the_site_client_reads_is_declared(reads: set[Read]) -> None:
    """Every kind's list, the door shadows and an unlock: declared keys only.

    A door's model, firmware and serial were read from ``hwVariation``,
    ``firmwareVersion`` and ``serialNumber``, which the door type lacks.
    """
    sim = RhombusSimulator(cameras=0, seed=9, heartbeat_ms=0, site=True)
    build_demo_site(sim)
    sim.unlock_hold_seconds = 0.01
    async with sim, aiohttp.ClientSession() as http:
        key = next(iter(sim.api_keys))
        client = RhombusSiteClient(RhombusRestClient(http, key, sim.rest_url))
        for kind in SiteKind:
            assert await client.get_kind(kind)
        await client.unlock_door(next(iter(sim.site.doors)))

    table = operations()
    assert {path for path, _, _ in reads} >= {p for p, _, _ in SITE_EXPECTED_UNDECLARED}
    undeclared = sorted(
        f"{path} {where or '/'}: {key}"
        for path, where, key in reads - SITE_EXPECTED_UNDECLARED
        if key not in declared(table[path].raw_response, where)
    )
    assert undeclared == []
    assert reads >= SITE_EXPECTED_UNDECLARED


# The controls' reads the spec does not back:
CONTROLS_UNDECLARED = {
    # MCP-update reads updatedSetMethodMap on the read side ("false: this camera
    # cannot set the field"); the spec declares it only in the update schema.
    *(
        ("/api/deviceconfig/getFacetedConfig", where, "updatedSetMethodMap")
        for where in (
            "/config/deviceSettings",
            "/config/deviceVideoSettings",
            "/config/videoFacetSettings/v0",
            "/config/audioFacetSettings/a0",
        )
    ),
    # The in-band error check runs on every response; the reboot answers of the
    # gateways declare no error fields.
    ("/api/climate/reboot", "", "error"),
    ("/api/audiogateway/reboot", "", "error"),
}


async def test_every_key_the_controls_read_is_declared(reads: set[Read]) -> None:
    async with (
        RhombusSimulator(cameras=2, seed=9, heartbeat_ms=0, site=True) as sim,
        aiohttp.ClientSession() as http,
    ):
        rest = RhombusRestClient(http, next(iter(sim.api_keys)), sim.rest_url)
        camera = next(iter(sim.cameras))
        config_client = RhombusConfigClient(rest)
        config = await config_client.get_config(camera, CONFIG_FIELDS)
        await config_client.update_field(config, IR_LEDS_MODE, "ON")
        features = RhombusFeaturesClient(rest)
        await features.get_features([camera])
        await features.update_feature(camera, "FACE_RECOGNITION", on=False)
        admin = RhombusDeviceAdminClient(rest)
        await admin.get_firmware(camera)
        sim.cameras[camera].firmware_version = "v9.18.1"
        await admin.update_firmware(camera)
        await admin.reboot_camera(camera)
        kinds = {device.kind: device.uuid for device in sim.site.devices.values()}
        await admin.reboot_environmental_gateway(kinds["environmental_gateway"])
        with pytest.raises(RhombusCommandError):
            await admin.reboot_audio_gateway("unknown")

    table = operations()
    undeclared = sorted(
        f"{path} {where or '/'}: {key}"
        for path, where, key in reads - CONTROLS_UNDECLARED
        if key not in declared(table[path].raw_response, where)
    )
    assert undeclared == []
    assert {path for path, _, _ in reads} >= {
        path for path, _, _ in CONTROLS_UNDECLARED
    }
