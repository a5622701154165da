"""schemathesis against the running simulator, for every operation it serves.

The simulator runs on its own event loop in a thread: schemathesis calls it
with blocking requests. Generated valid requests must get spec-valid answers
and never a 5xx.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
import threading

from hypothesis import given, settings
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from simulator import RhombusSimulator

from .schemas import openapi_document, operations

AUTH = {"x-auth-scheme": "api-token", "x-auth-apikey": "sim-api-key"}
VALID_CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
]
# A request the schema forbids never breaks the server. A body that is not an
# object is refused with a 400; undeclared or wrongly typed fields are ignored,
# as a lenient server does (whether Rhombus refuses them is not known), so
# negative_data_rejection is not asked for.
INVALID_CHECKS = [not_a_server_error]


@pytest.fixture
def threaded_sim(socket_enabled: None) -> Generator[RhombusSimulator]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    sim = RhombusSimulator(cameras=2, seed=5, heartbeat_ms=0)
    asyncio.run_coroutine_threadsafe(sim.start(), loop).result(10)
    try:
        yield sim
    finally:
        asyncio.run_coroutine_threadsafe(sim.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


# Operations no answer can satisfy as plain JSON Schema reads them.
UNDECIDABLE = {
    # A oneOf of two open subtypes without a discriminator mapping: SUCCESS
    # and ERROR answers alike match both branches, so oneOf always fails.
    "/api/accesscontrol/unlockAccessControlledDoor",
}


def served(sim: RhombusSimulator) -> list[str]:
    """The simulator's REST paths that the spec subsets describe."""
    rest = sim._rest
    return sorted(
        p
        for p in (*rest.endpoints, *rest.async_endpoints)
        if p in operations() and p not in UNDECIDABLE
    )


# The negative half sends requests the spec forbids on purpose.
@pytest.mark.off_spec_requests
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_schemathesis_over_every_served_operation(
    threaded_sim: RhombusSimulator,
) -> None:
    """Valid requests get spec-valid answers; invalid ones a 4xx, never a 5xx."""
    paths = served(threaded_sim)
    assert "/api/org/getOrgV2" in paths
    schema = schemathesis.openapi.from_dict(openapi_document(paths))
    # Where the checks' reproduction commands point (the schema is no file).
    schema.config.update(base_url=threaded_sim.rest_url)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=10)
        @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
        def valid(case: schemathesis.Case) -> None:
            response = case.call(base_url=threaded_sim.rest_url, headers=AUTH)
            # The spec marks every field optional and documents only 200, so a
            # request it allows may still lack what the call needs (a camera
            # uuid): the simulator answers 400 there, as we infer Rhombus does.
            # What a 200 says must be what the spec declares.
            case.validate_response(response, checks=VALID_CHECKS)

        @settings(max_examples=10)
        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        def invalid(case: schemathesis.Case) -> None:
            response = case.call(base_url=threaded_sim.rest_url, headers=AUTH)
            case.validate_response(response, checks=INVALID_CHECKS)

        valid()
        invalid()
        checked += 1
    assert checked == len(paths)
