"""The last-alert image entity: unavailable until an alert, then its thumbnail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
import io
import logging
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from simulator import RhombusSimulator
from simulator.events import change_body

from .helpers import (
    entity_id_of,
    snapshot_platform_entities,
    state_of,
    wait_until,
    without_area,
)

THUMBNAILS = "/media/metadata/"
# Alert times: any believable moment (2025-06-15), plus a few ms per alert.
T = 1_750_000_000_000


def image_id(hass: HomeAssistant, camera_uuid: str) -> str:
    return entity_id_of(hass, "image", f"{camera_uuid}_last_alert")


def iso(timestamp_ms: int) -> str:
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC).isoformat()


async def picture(hass_client: ClientSessionGenerator, entity_id: str) -> bytes:
    client = await hass_client()
    resp = await client.get(f"/api/image_proxy/{entity_id}")
    assert resp.status == HTTPStatus.OK, resp.status
    assert resp.content_type == "image/jpeg"
    body: bytes = await resp.read()
    return body


def colour(jpeg: bytes) -> tuple[int, ...]:
    pixel = Image.open(io.BytesIO(jpeg)).getpixel((5, 80))
    assert isinstance(pixel, tuple)
    return pixel


async def test_unavailable_until_the_first_alert_then_each_alert(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    lobby, other, _ = simulator.cameras
    entity_id = image_id(hass, lobby)
    assert without_area(entity_id) == "image.front_entrance_last_alert"
    assert state_of(hass, entity_id) == "unavailable"
    client = await hass_client()
    assert (await client.get(f"/api/image_proxy/{entity_id}")).status != 200

    first = await simulator.emit_alert(lobby, ("MOTION_HUMAN",), timestamp_ms=T + 1_000)
    await wait_until(hass, lambda: state_of(hass, entity_id) == iso(T + 1_000))
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.attributes["alert_uuid"] == first
    one = await picture(hass_client, entity_id)
    assert simulator.media_requests[-1].path == f"{THUMBNAILS}us-west-2/{first}.jpeg"
    assert simulator.media_requests[-1].headers["x-auth-apikey"] == "sim-api-key"
    assert await picture(hass_client, entity_id) == one  # kept, not fetched again
    assert simulator.media_calls(THUMBNAILS) == 1
    assert state_of(hass, image_id(hass, other)) == "unavailable"

    second = await simulator.emit_alert(lobby, ("MOTION_CAR",), timestamp_ms=T + 2_000)
    await wait_until(hass, lambda: state_of(hass, entity_id) == iso(T + 2_000))
    two = await picture(hass_client, entity_id)
    assert colour(one) != colour(two)  # a different alert's picture
    assert simulator.media_requests[-1].path.endswith(f"/{second}.jpeg")

    # An older alert arriving late (catch-up, reordering) is not the latest.
    await simulator.emit_alert(lobby, timestamp_ms=T + 1_500)
    await simulator.emit_alert(other, timestamp_ms=T + 1_600)
    await wait_until(
        hass, lambda: state_of(hass, image_id(hass, other)) == iso(T + 1_600)
    )
    assert state_of(hass, entity_id) == iso(T + 2_000)

    # A dismissed alert keeps its picture; its UPDATE fetches it afresh.
    await simulator.emit_delete(second)
    await simulator.emit_alert(
        lobby,
        ("MOTION_CAR",),
        alert_uuid=second,
        change_type="UPDATE",
        timestamp_ms=T + 2_000,
    )
    await wait_until(hass, lambda: simulator.alerts[second]["finalized"])
    await hass.async_block_till_done()
    calls = simulator.media_calls(THUMBNAILS)
    assert await picture(hass_client, entity_id) == two
    assert simulator.media_calls(THUMBNAILS) == calls + 1
    assert state_of(hass, entity_id) == iso(T + 2_000)


async def test_thumbnail_region_comes_from_the_alert(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    camera = next(iter(simulator.cameras))
    alert = simulator.world.build_alert(
        camera,
        ["MOTION_HUMAN"],
        alert_uuid=None,
        description=None,
        timestamp_ms=None,
        duration_sec=5,
    )
    alert["thumbnailLocation"] = {"region": "eu-west-1"}
    simulator.world.store_alert(alert)
    await simulator.emit_change(
        change_body(alert, shape="nested", change_type="CREATE")
    )
    entity_id = image_id(hass, camera)
    await wait_until(hass, lambda: state_of(hass, entity_id) != "unavailable")
    assert await picture(hass_client, entity_id)
    path = f"{THUMBNAILS}eu-west-1/{alert['uuid']}.jpeg"
    assert simulator.media_requests[-1].path == path


async def test_sparse_alert_uses_the_default_region(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    camera = next(iter(simulator.cameras))
    alert = await simulator.emit_alert(camera, shape="sparse")
    entity_id = image_id(hass, camera)
    await wait_until(hass, lambda: state_of(hass, entity_id) != "unavailable")
    assert await picture(hass_client, entity_id)
    assert simulator.media_requests[-1].path == f"{THUMBNAILS}us-west-2/{alert}.jpeg"


async def test_failing_thumbnail_is_retried_and_logged_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    camera = next(iter(simulator.cameras))
    entity_id = image_id(hass, camera)
    await simulator.emit_alert(camera)
    await wait_until(hass, lambda: state_of(hass, entity_id) != "unavailable")
    simulator.fail_media(THUMBNAILS, status=404, times=0)  # not there yet
    client = await hass_client()
    for _ in range(3):
        resp = await client.get(f"/api/image_proxy/{entity_id}")
        assert resp.status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert simulator.media_calls(THUMBNAILS) == 1  # the failure is kept a while
    freezer.tick(timedelta(seconds=11))
    async_fire_time_changed(hass)
    resp = await client.get(f"/api/image_proxy/{entity_id}")
    assert resp.status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert simulator.media_calls(THUMBNAILS) == 2
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name == "custom_components.rhombus"
    ]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("Alert thumbnail of Front Entrance unavailable: ")
    assert warnings[0].endswith(".jpeg: HTTP 404")
    simulator.clear_faults()
    freezer.tick(timedelta(seconds=11))
    async_fire_time_changed(hass)
    assert await picture(hass_client, entity_id)
    assert "Alert thumbnail of Front Entrance available again" in caplog.text
    assert state_of(hass, entity_id) != "unavailable"


async def test_new_alert_during_a_download(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    camera = next(iter(simulator.cameras))
    entity_id = image_id(hass, camera)
    await simulator.emit_alert(camera, timestamp_ms=T + 1_000)
    await wait_until(hass, lambda: state_of(hass, entity_id) == iso(T + 1_000))
    simulator.fail_media(THUMBNAILS, timeout=True)
    client = await hass_client()
    slow = asyncio.ensure_future(client.get(f"/api/image_proxy/{entity_id}"))
    await wait_until(hass, lambda: simulator.media_calls(THUMBNAILS) == 1)
    newer = await simulator.emit_alert(camera, timestamp_ms=T + 2_000)
    await wait_until(hass, lambda: state_of(hass, entity_id) == iso(T + 2_000))
    simulator.clear_faults()  # the old download ends (503) and is not kept
    assert (await slow).status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert await picture(hass_client, entity_id)
    assert simulator.media_requests[-1].path.endswith(f"/{newer}.jpeg")


async def test_an_alert_dated_2100_does_not_freeze_the_image(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An absurd time is skipped (logged once); later alerts still show."""
    camera = next(iter(simulator.cameras))
    entity_id = image_id(hass, camera)
    now_ms = int(time.time() * 1000)
    await simulator.emit_alert(camera, timestamp_ms=now_ms - 2_000)
    await wait_until(hass, lambda: state_of(hass, entity_id) == iso(now_ms - 2_000))
    year_2100 = 4_102_444_800_000
    for _ in range(2):
        await simulator.emit_alert(camera, timestamp_ms=year_2100)
    await simulator.emit_alert(camera, timestamp_ms=now_ms - 1_000)
    await wait_until(hass, lambda: state_of(hass, entity_id) == iso(now_ms - 1_000))
    warnings = [r for r in caplog.records if "out of range" in r.getMessage()]
    assert [r.levelname for r in warnings] == ["WARNING", "DEBUG"]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant, simulator: RhombusSimulator, snapshot: SnapshotAssertion
) -> None:
    """Every entity of the platform: name, class, category, unit and state."""
    await snapshot_platform_entities(hass, simulator, Platform.IMAGE, snapshot)
