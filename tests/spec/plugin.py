"""Pytest plugin: every simulator REST exchange is checked against the spec.

An aiohttp middleware goes on every simulator app the tests start. For each
``POST`` to a path of the spec subsets it validates the request body against
the request schema and a 200 JSON answer against the response schema, both
strictly (see ``schemas.py``), and records what does not conform. The test
then fails at teardown. A path the simulator serves under ``/api/`` that the
spec does not have is a violation too.

A test that sends off-spec requests on purpose (to see the simulator refuse
them) says so with ``@pytest.mark.off_spec_requests``; responses are still checked.
A test that makes the simulator answer off-spec on purpose (a fault: a device
with every field null, an in-band ``error: true``) says so with
``@pytest.mark.off_spec_responses``; its requests are still checked.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from functools import cache
import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from hypothesis import HealthCheck, settings
import jsonschema
import pytest

from simulator import RhombusSimulator

from .schemas import operations

_MAX_ERRORS = 3

# Property-based tests: the same examples on every run (CI is reproducible) and
# a bounded count, so they stay within the suite's time budget.
settings.register_profile(
    "rhombus",
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("rhombus")


@cache
def _validator(path: str, which: str) -> jsonschema.protocols.Validator:
    operation = operations()[path]
    schema = operation.request if which == "request" else operation.response
    cls = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    return cls(schema)


@cache
def _item_violations(path: str, key: str, item_json: str) -> tuple[str, ...]:
    """One element of a top-level list, checked once per distinct content."""
    validator = _item_validator(path, key)
    return tuple(
        _describe(path, "response", error, prefix=f"{key}/*/")
        for error in _closest(validator.iter_errors(json.loads(item_json)))
    )


@cache
def _item_validator(path: str, key: str) -> jsonschema.protocols.Validator:
    schema = operations()[path].response["properties"][key]["items"]
    cls = jsonschema.validators.validator_for(schema, jsonschema.Draft202012Validator)
    return cls(schema)


def _closest(errors: Any) -> list[Any]:
    ordered = sorted(errors, key=lambda e: list(e.path))
    # For a failed anyOf (polymorphic alerts) the closest branch says why.
    return [
        (jsonschema.exceptions.best_match(e.context) or e) if e.context else e
        for e in ordered
    ]


def _describe(path: str, which: str, error: Any, prefix: str = "") -> str:
    where = "/".join(map(str, error.absolute_path))
    return f"{path} {which} at /{prefix}{where}: {error.message[:200]}"


def violations_of(path: str, which: str, document: Any) -> list[str]:
    """Why ``document`` is not a valid ``which`` ("request"/"response") of ``path``.

    Long alert lists (catch-up pages repeat alerts) are checked per distinct
    element, so a soak test's thousands of pages stay cheap.
    """
    if which == "response" and isinstance(document, dict):
        props = operations()[path].response.get("properties", {})
        found: list[str] = []
        document = dict(document)
        for key, value in list(document.items()):
            items = props.get(key, {}).get("items")
            if isinstance(value, list) and items and "$ref" not in json.dumps(items):
                for item in value:
                    text = json.dumps(item, sort_keys=True)
                    found.extend(_item_violations(path, key, text))
                document[key] = []
        found.extend(_violations(path, which, document))
        return found[:_MAX_ERRORS]
    return _violations(path, which, document)


def _violations(path: str, which: str, document: Any) -> list[str]:
    errors = _closest(_validator(path, which).iter_errors(document))
    return [_describe(path, which, error) for error in errors[:_MAX_ERRORS]]


@dataclass
class SpecRecorder:
    """What one test's simulators received and answered that the spec forbids."""

    check_requests: bool = True
    check_responses: bool = True
    violations: list[str] = field(default_factory=list)
    exchanges: int = 0

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """Check one exchange (see the module docstring)."""
        path = request.path
        known = path in operations()
        if request.method != "POST" or not path.startswith("/api/"):
            return await handler(request)
        self.exchanges += 1
        raw = await request.read()
        if self.check_requests and known:
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError:
                self.violations.append(f"{path} request is not JSON: {raw[:80]!r}")
            else:
                self.violations.extend(violations_of(path, "request", body))
        response = await handler(request)
        if (
            self.check_responses
            and isinstance(response, web.Response)
            and response.status == 200
            and response.content_type == "application/json"
            and response.body is not None
        ):
            if not known:
                self.violations.append(f"{path}: served, but not in the spec subset")
                return response
            assert isinstance(response.body, bytes)
            document = json.loads(response.body)
            self.violations.extend(violations_of(path, "response", document))
        return response


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker."""
    config.addinivalue_line(
        "markers",
        "off_spec_requests: the test sends requests the spec forbids, on purpose",
    )
    config.addinivalue_line(
        "markers",
        "off_spec_responses: the simulator answers off-spec on purpose (a fault)",
    )


@pytest.fixture(autouse=True)
def spec_recorder(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Generator[SpecRecorder]:
    """Check every simulator exchange of the test; fail it at teardown if off-spec."""
    recorder = SpecRecorder(
        check_requests=request.node.get_closest_marker("off_spec_requests") is None,
        check_responses=(request.node.get_closest_marker("off_spec_responses") is None),
    )
    monkeypatch.setattr(RhombusSimulator, "middlewares", (recorder.middleware,))
    yield recorder
    if recorder.violations:
        unique = list(dict.fromkeys(recorder.violations))
        pytest.fail(
            "Simulator traffic outside the Rhombus spec subset:\n  "
            + "\n  ".join(unique[:20]),
            pytrace=False,
        )
