"""The official Rhombus API spec subsets, as strict JSON Schemas and one OpenAPI doc.

Four copies under ``tests/fixtures/spec/`` (see docs/development.md):
``spec-subset.json`` holds the endpoints the client calls with every ``$ref``
inlined; ``devices-spec-subset.json`` is a plain OpenAPI 3.0 document whose
``$ref``s resolve inside it; ``recordings-spec-subset.json`` holds the recorded
footage endpoints, inlined too; ``next-spec-subset.json`` the endpoints of the
next capabilities (identity, alarm, lockdown, audio, camera config), inlined.
All become one table keyed by request path, so a new endpoint joins every
check as soon as its path is in any file.

"Strict" is how the tests read a schema: every object forbids properties it
does not declare (the real server may reject or drop them), ``nullable`` means
``null`` is allowed, nothing else. The spec's own ``additionalProperties``
(maps such as ``featureFlags``) are kept as declared.
"""

from __future__ import annotations

from collections.abc import Iterator
import copy
from dataclasses import dataclass
from functools import cache
import json
from pathlib import Path
from typing import Any

SPEC_DIR = Path(__file__).parent.parent / "fixtures" / "spec"
CLIENT_SPEC = SPEC_DIR / "spec-subset.json"
DEVICES_SPEC = SPEC_DIR / "devices-spec-subset.json"
# The recorded-footage endpoints (alert pages, media URIs, clips), from the
# official OpenAPI document with every ``$ref`` inlined.
RECORDINGS_SPEC = SPEC_DIR / "recordings-spec-subset.json"
# The next capabilities (identity, alarm, lockdown, audio, locations, camera
# config, firmware): each endpoint keyed by its path with every ``$ref`` inlined.
NEXT_SPEC = SPEC_DIR / "next-spec-subset.json"

# Values of ActivityEnum (policyAlertTriggers) that only the newer "plugin"
# spec lists; the subset here comes from the older CLI spec, which lacks them,
# yet real cameras send them (see rhombus-api notes in the README).
NEWER_SPEC_ENUM_VALUES = frozenset(
    {
        "LOITER_HUMAN",
        "MOTION_PACKAGE",
        "PACKAGE_ARRIVED",
        "PACKAGE_DEPARTED",
        "INACTIVITY_HUMAN",
        "INACTIVITY_CAR",
        "GROUP_ENTRY",
    }
)

# Keywords that only document; dropped so schemathesis and jsonschema see
# plain JSON Schema.
_DOC_ONLY = frozenset({"x-ref", "example", "description", "discriminator"})


@dataclass(frozen=True, slots=True)
class Operation:
    """One POST endpoint: its request and 200-response schemas (strict)."""

    path: str
    operation_id: str
    request: dict[str, Any]
    response: dict[str, Any]
    raw_request: dict[str, Any]
    raw_response: dict[str, Any]


def strict(  # noqa: PLR0912 - one branch per OpenAPI keyword
    schema: Any, *, extra_enum: frozenset[str] = frozenset()
) -> Any:
    """OpenAPI 3.0 schema → strict JSON Schema (see the module docstring)."""
    if isinstance(schema, list):
        return [strict(item, extra_enum=extra_enum) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "oneOf" in schema and "properties" in schema:
        return _strict_union(schema, extra_enum)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DOC_ONLY or key == "nullable":
            continue
        if key == "properties":
            out[key] = {
                name: strict(sub, extra_enum=extra_enum) for name, sub in value.items()
            }
        elif key in ("items", "additionalProperties", "not") or key in (
            "oneOf",
            "anyOf",
            "allOf",
        ):
            out[key] = strict(value, extra_enum=extra_enum)
        elif key == "enum" and "MOTION" in value:  # ActivityEnum only
            out[key] = [*value, *sorted(extra_enum - set(value))]
        else:
            out[key] = copy.deepcopy(value)
    if out.get("type") == "object" and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if "allOf" in out:
        # Properties are spread over the parts: the closed check goes on the union.
        merged: dict[str, Any] = dict(out.get("properties", {}))
        for part in out["allOf"]:
            merged.update(part.get("properties", {}))
            part.pop("additionalProperties", None)
        out.pop("allOf")
        out["properties"] = merged
    if schema.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        if "oneOf" in out:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


def _strict_union(schema: dict[str, Any], extra_enum: frozenset[str]) -> Any:
    """A base type with subtypes (``discriminator``): base fields plus one subtype's.

    Each subtype becomes its own closed object holding the base's properties
    too, and the value must match one of them (``anyOf``: a bare base-typed
    alert matches several, which the discriminator would settle by ``type``).
    """
    base = {k: v for k, v in schema.items() if k not in ("oneOf", "discriminator")}
    branches = []
    for listed in schema["oneOf"]:
        # A subtype named by $ref (the devices file) is read in full, so its
        # own fields join the base's in one closed object.
        branch = _component(listed["$ref"]) if "$ref" in listed else listed
        merged = {**base, **branch}
        merged["properties"] = {
            **base.get("properties", {}),
            **branch.get("properties", {}),
        }
        merged["type"] = "object"
        merged.pop("oneOf", None)
        branches.append(strict(merged, extra_enum=extra_enum))
    union: dict[str, Any] = {"anyOf": branches}
    if schema.get("nullable"):
        union["anyOf"] = [{"type": "null"}, *branches]
    return union


def _component(ref: str) -> dict[str, Any]:
    name = ref.removeprefix("#/components/schemas/")
    schema: dict[str, Any] = device_components()["schemas"][name]
    return schema


def _client_operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    spec = json.loads(CLIENT_SPEC.read_text(encoding="utf-8"))
    for name, endpoint in spec["specs"]["cli"]["endpoints"].items():
        yield (
            f"/api/{name}",
            endpoint["operationId"],
            endpoint["request"],
            endpoint["response"],
        )


def _recordings_operations() -> Iterator[
    tuple[str, str, dict[str, Any], dict[str, Any]]
]:
    spec = json.loads(RECORDINGS_SPEC.read_text(encoding="utf-8"))
    for name, endpoint in spec["endpoints"].items():
        operation_id = name.replace("/", "_")
        yield f"/api/{name}", operation_id, endpoint["request"], endpoint["response"]


def _next_operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    spec = json.loads(NEXT_SPEC.read_text(encoding="utf-8"))
    for path, endpoint in spec.items():
        if path.startswith("/api/"):
            yield (
                path,
                endpoint["operationId"],
                endpoint["request"],
                endpoint["response"],
            )


@cache
def device_components() -> dict[str, Any]:
    """The devices file's component schemas (some are recursive, so not inlined)."""
    spec = json.loads(DEVICES_SPEC.read_text(encoding="utf-8"))
    return {"schemas": spec["components"]["schemas"]}


def _device_operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    spec = json.loads(DEVICES_SPEC.read_text(encoding="utf-8"))
    for path, item in spec["paths"].items():
        post = item["post"]
        request = post["requestBody"]["content"]["application/json"]["schema"]
        response = post["responses"]["200"]["content"]["application/json"]["schema"]
        yield path, post["operationId"], request, response


def _with_components(schema: dict[str, Any], *, extra_enum: frozenset[str]) -> Any:
    """A strict schema whose ``#/components/schemas/…`` refs resolve inside it."""
    out = strict(schema, extra_enum=extra_enum)
    if "$ref" in json.dumps(schema):
        out["components"] = _strict_components(extra_enum)
    return out


@cache
def _strict_components(extra_enum: frozenset[str]) -> dict[str, Any]:
    components = device_components()["schemas"]
    return {
        "schemas": {
            name: strict(sub, extra_enum=extra_enum) for name, sub in components.items()
        }
    }


@cache
def operations() -> dict[str, Operation]:
    """Every operation of the subsets, by path (the client subset wins a tie)."""
    table: dict[str, Operation] = {}
    sources = (
        _next_operations(),
        _recordings_operations(),
        _device_operations(),
        _client_operations(),
    )
    for source in sources:
        for path, operation_id, request, response in source:
            table[path] = Operation(
                path,
                operation_id,
                _with_components(request, extra_enum=frozenset()),
                _with_components(response, extra_enum=NEWER_SPEC_ENUM_VALUES),
                request,
                response,
            )
    return table


def openapi_document(paths: list[str]) -> dict[str, Any]:
    """An OpenAPI 3.0 document for ``paths``, for schemathesis.

    It carries the spec's schemas as they are (not strict): schemathesis
    generates requests from them and checks responses against them.
    The auth header is a security scheme, as in the spec; the devices file's
    components come along so its ``$ref``s resolve.
    """
    table = operations()
    doc_paths: dict[str, Any] = {}
    for path in paths:
        op = table[path]
        doc_paths[path] = {
            "post": {
                "operationId": op.operation_id,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": op.raw_request}},
                },
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": op.raw_response}},
                    }
                },
            }
        }
    return {
        "openapi": "3.0.1",
        "info": {"title": "Rhombus API subset", "version": "1.0"},
        "paths": doc_paths,
        "components": {
            **device_components(),
            "securitySchemes": {
                "ApiKeyAuth": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "x-auth-apikey",
                }
            },
        },
        "security": [{"ApiKeyAuth": []}],
    }
