"""Hypothesis strategies for documents the spec subsets allow."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .schemas import operations

_RESPONSES = {path: op.response for path, op in operations().items()}
ALERT_SCHEMA = _RESPONSES["/api/event/getPolicyAlerts"]["properties"]["policyAlerts"][
    "items"
]["anyOf"][0]  # PolicyAlertV2Type, closed
CAMERA_SCHEMA = _RESPONSES["/api/camera/getMinimalCameraStateList"]["properties"][
    "cameraStates"
]["items"]


_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.integers(-(2**63), 2**63),
    "number": st.floats(allow_nan=False),
    "string": st.text(max_size=30),
}


def from_schema(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Documents a (strict) schema allows.

    hypothesis-jsonschema 0.23.1 fails on hypothesis 6.170 ('many' object has
    no attribute 'more'), so this small generator covers the keywords the
    spec uses: type (lists), enum, properties, items, additionalProperties, anyOf.
    """
    if "anyOf" in schema:
        return st.one_of([from_schema(sub, depth) for sub in schema["anyOf"]])
    types = schema.get("type", "object")
    types = types if isinstance(types, list) else [types]
    options: list[st.SearchStrategy[Any]] = []
    for kind in types:
        if "enum" in schema and kind != "null":
            options.append(
                st.sampled_from([v for v in schema["enum"] if v is not None])
            )
        elif kind in _SCALARS:
            options.append(_SCALARS[kind])
        elif depth > 3:
            options.append(st.none() if "null" in types else st.builds(dict))
        elif kind == "array":
            items = from_schema(schema.get("items", {"type": "string"}), depth + 1)
            options.append(st.lists(items, max_size=3))
        elif "properties" in schema:
            props = {
                name: from_schema(sub, depth + 1)
                for name, sub in schema["properties"].items()
            }
            options.append(st.fixed_dictionaries({}, optional=props))
        else:
            extra = schema.get("additionalProperties")
            values = (
                from_schema(extra, depth + 1) if isinstance(extra, dict) else st.none()
            )
            options.append(st.dictionaries(st.text(max_size=8), values, max_size=3))
    return st.one_of(options)
