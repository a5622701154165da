"""The spec's schemas of the recordings endpoints, applied strictly.

``tests/fixtures/spec-recordings.json`` holds them verbatim (``$ref``s resolved)
from the official OpenAPI document. Strict means: an object may carry only the
properties its schema declares, in requests and in responses alike.
"""

from __future__ import annotations

from functools import cache
import json
from pathlib import Path
from typing import Any

import jsonschema

SPEC = Path(__file__).parent / "fixtures" / "spec-recordings.json"


def _strict(schema: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: ``nullable`` becomes a null type; no extras."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items() if k not in ("nullable", "format")}
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    if "properties" in out:
        out["additionalProperties"] = False
    return out


@cache
def _schemas() -> dict[str, Any]:
    endpoints: dict[str, Any] = json.loads(SPEC.read_text())["endpoints"]
    return endpoints


def check_request(path: str, body: Any) -> None:
    """Fail unless ``body`` matches the endpoint's request schema exactly."""
    schema = _strict(_schemas()[path.removeprefix("/api/")]["request"])
    jsonschema.validate(body, schema)


def check_response(path: str, body: Any) -> None:
    """Fail unless ``body`` has only fields (and types) the spec declares."""
    schema = _strict(_schemas()[path.removeprefix("/api/")]["response"])
    jsonschema.validate(body, schema)


def endpoints() -> set[str]:
    """The endpoints the fixture covers, as ``/api/...`` paths."""
    return {f"/api/{name}" for name in _schemas()}
