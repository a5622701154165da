"""The org's locations against the simulator, and odd answers."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from custom_components.rhombus.aiorhombus import (
    Location,
    RhombusLocationsClient,
    RhombusProtocolError,
    RhombusRateLimitError,
    RhombusRefusedError,
    RhombusRestClient,
    SiteService,
)
from simulator import RhombusSimulator

from .act_helpers import answer_with
from .helpers import KEY, ScriptedCloud


@pytest.fixture
def locations(
    sim: RhombusSimulator, http: aiohttp.ClientSession
) -> RhombusLocationsClient:
    return RhombusLocationsClient(RhombusRestClient(http, KEY, sim.rest_url))


def _scripted(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> RhombusLocationsClient:
    return RhombusLocationsClient(RhombusRestClient(http, KEY, cloud.url))


async def test_locations_and_sub_locations(
    sim: RhombusSimulator, locations: RhombusLocationsClient
) -> None:
    """The cameras' location, another one, and a floor of it with its parent."""
    home = next(iter(sim.locations.locations))
    shop = sim.add_location("Shop")
    floor = sim.add_location("Shop floor 2", parent_uuid=shop)
    found = await locations.get_locations()
    assert sim.requests[-1].body == {"subLocationsIncluded": True}
    assert found == {
        home: Location(home, "Main Office", None, "America/Los_Angeles"),
        shop: Location(shop, "Shop", None, "America/Los_Angeles"),
        floor: Location(floor, "Shop floor 2", shop, "America/Los_Angeles"),
    }
    assert all(camera.location_uuid == home for camera in sim.cameras.values())


async def test_without_sub_locations_they_are_flat(
    sim: RhombusSimulator, locations: RhombusLocationsClient
) -> None:
    shop = sim.add_location("Shop")
    floor = sim.add_location("Floor", parent_uuid=shop)
    found = await locations.get_locations(sub_locations=False)
    assert found[floor].parent_uuid is None


@pytest.mark.parametrize("in_band", [False, True])
async def test_a_role_that_cannot_read_locations_is_refused(
    sim: RhombusSimulator,
    locations: RhombusLocationsClient,
    in_band: bool,
) -> None:
    sim.refuse_service("locations", in_band=in_band)
    with pytest.raises(RhombusRefusedError) as caught:
        await locations.get_locations()
    assert caught.value.service is SiteService.LOCATIONS


async def test_a_rate_limit_stays_a_rate_limit(
    sim: RhombusSimulator, locations: RhombusLocationsClient
) -> None:
    sim.fail_rest("/api/location/getLocations", status=429, retry_after=3)
    with pytest.raises(RhombusRateLimitError) as caught:
        await locations.get_locations()
    assert caught.value.retry_after == 3


@pytest.mark.parametrize(
    "body", [{"error": None, "errorMsg": None, "locations": None}, {}, {"locations": 1}]
)
async def test_an_answer_without_the_list_is_a_protocol_error(
    cloud: ScriptedCloud, http: aiohttp.ClientSession, body: dict[str, Any]
) -> None:
    """Never "no locations": that would remove every location's device."""
    answer_with(cloud, body)
    with pytest.raises(RhombusProtocolError):
        await _scripted(cloud, http).get_locations()


async def test_null_and_odd_locations(
    cloud: ScriptedCloud, http: aiohttp.ClientSession
) -> None:
    """Null fields, no name, a blank name, nesting past the bound, junk items."""
    null_location = dict.fromkeys(("uuid", "name", "tz", "labels", "subLocations"))
    deep: dict[str, Any] = {"uuid": "loop", "name": "Loop", "subLocations": None}
    for _ in range(9):
        deep = {"uuid": "loop", "name": "Loop", "subLocations": [deep]}
    answer_with(
        cloud,
        {
            "locations": [
                null_location,
                {
                    "uuid": "a",
                    "name": None,
                    "subLocations": [{"uuid": "b", "name": "B"}],
                },
                {"uuid": "c", "name": "   "},
                {"uuid": "d", "name": " Shop ", "labels": ["x", None, 3], "tz": 5},
                deep,
                "junk",
            ]
        },
    )
    found = await _scripted(cloud, http).get_locations()
    assert found == {
        "b": Location("b", "B", "a"),
        "d": Location("d", "Shop", labels=("x",)),
        "loop": Location("loop", "Loop", "loop"),
    }
