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

from simulator import RhombusSimulator

from .schemas import openapi_document, operations

AUTH = {"x-auth-scheme": "api-token", "x-auth-apikey": "sim-api-key"}


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


# hypothesis-jsonschema 0.23.1 (which schemathesis 4.10.2 generates with) calls
# an internal of hypothesis that 6.170 no longer has; strict, so this test
# reports the day the pins agree.
# Its requests come from the spec as published, whose objects are open: extra
# properties are schema-compliant there, so the strict request check is off.
@pytest.mark.off_spec_requests
@pytest.mark.xfail(
    raises=AttributeError,
    strict=True,
    reason="hypothesis-jsonschema 0.23.1 vs hypothesis 6.170: 'many'.more",
)
def test_schemathesis_over_every_served_operation(
    threaded_sim: RhombusSimulator,
) -> None:
    paths = served(threaded_sim)
    assert "/api/org/getOrgV2" in paths
    schema = schemathesis.openapi.from_dict(openapi_document(paths))
    # Where the checks' reproduction commands point (the schema is no file).
    schema.config.update(base_url=threaded_sim.rest_url)
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=10)
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=threaded_sim.rest_url, headers=AUTH)
            assert response.status_code < 500, (case.path, response.status_code)
            case.validate_response(response)

        check()
