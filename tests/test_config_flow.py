"""The config flow: user, reauth and reconfigure, against the simulator."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.rhombus.aiorhombus import RhombusConnectionError
from custom_components.rhombus.const import (
    CONF_ADVANCED,
    CONF_MEDIA_URL,
    CONF_REGION,
    CONF_REST_URL,
    CONF_WEBSOCKET_URL,
    DOMAIN,
)
from simulator import RhombusSimulator

from .helpers import entry_for

KEY = "sim-api-key"


def form(sim: RhombusSimulator, key: str = KEY, **advanced: str) -> dict[str, Any]:
    """What a user types: the key, the region and the simulator's endpoints."""
    urls = {
        CONF_REST_URL: sim.rest_url,
        CONF_WEBSOCKET_URL: sim.websocket_url,
        CONF_MEDIA_URL: sim.media_url,
    }
    return {CONF_API_KEY: key, CONF_REGION: "us", CONF_ADVANCED: urls | advanced}


async def start_user_flow(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result["flow_id"]


async def test_user_flow_creates_entry(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    flow_id = await start_user_flow(hass)
    with patch("custom_components.rhombus.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            flow_id, form(simulator, f"  {KEY}  ")
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Acme HQ"
    assert result["result"].unique_id == simulator.org_uuid
    assert result["data"] == {
        CONF_API_KEY: KEY,
        CONF_REGION: "us",
        CONF_REST_URL: simulator.rest_url,
        CONF_WEBSOCKET_URL: simulator.websocket_url,
        CONF_MEDIA_URL: simulator.media_url,
    }
    assert simulator.calls("/api/org/getOrgV2") == 1


async def test_user_flow_without_overrides_uses_region_defaults(
    hass: HomeAssistant,
) -> None:
    """No overrides: the real endpoints, which cannot be reached from tests."""
    flow_id = await start_user_flow(hass)
    with patch(
        "custom_components.rhombus.config_flow.RhombusRestClient.get_org",
        side_effect=RhombusConnectionError("offline"),
    ) as get_org:
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_API_KEY: KEY, CONF_REGION: "eu", CONF_ADVANCED: {}}
        )
    assert result["errors"] == {"base": "cannot_connect"}
    assert get_org.call_count == 1


@pytest.mark.parametrize(
    ("key", "fault", "error"),
    [
        ("wrong-key", None, "invalid_auth"),
        (KEY, {"status": 500}, "cannot_connect"),
        (KEY, {"status": 403}, "invalid_auth"),
        (KEY, {"status": 429, "retry_after": 5}, "cannot_connect"),
        (KEY, {"error_body": "Invalid API Key"}, "invalid_auth"),
        (KEY, {"error_body": "Organization suspended"}, "unknown"),
    ],
)
async def test_user_flow_error_then_recovery(
    hass: HomeAssistant,
    simulator: RhombusSimulator,
    key: str,
    fault: dict[str, Any] | None,
    error: str,
) -> None:
    flow_id = await start_user_flow(hass)
    if fault is not None:
        simulator.fail_rest("/api/org/getOrgV2", **fault)
    result = await hass.config_entries.flow.async_configure(
        flow_id, form(simulator, key)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    with patch("custom_components.rhombus.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], form(simulator)
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unreachable(hass: HomeAssistant, socket_enabled: None) -> None:
    flow_id = await start_user_flow(hass)
    closed = "http://127.0.0.1:9"  # discard port: nothing listens there
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {CONF_API_KEY: KEY, CONF_REGION: "us", CONF_ADVANCED: {CONF_REST_URL: closed}},
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_user_flow_unexpected_error(
    hass: HomeAssistant, simulator: RhombusSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    flow_id = await start_user_flow(hass)
    with patch(
        "custom_components.rhombus.config_flow.RhombusRestClient.get_org",
        side_effect=ValueError("surprise"),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, form(simulator)
        )
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error validating the Rhombus API key" in caplog.text


async def test_user_flow_rejects_bad_urls(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, form(simulator, **{CONF_WEBSOCKET_URL: "http://not-a-socket"})
    )
    assert result["errors"] == {CONF_ADVANCED: "invalid_url"}
    assert simulator.calls("/api/org/getOrgV2") == 0


@pytest.mark.parametrize(
    ("field", "url"),
    [
        (CONF_REST_URL, "http://rhombus-proxy.lan:8080"),
        (CONF_WEBSOCKET_URL, "ws://192.168.1.20/websocket"),
        (CONF_MEDIA_URL, "HTTP://10.0.0.1"),
        (CONF_REST_URL, "http://127.0.0.1.example.com"),
        (CONF_REST_URL, "http://[::1"),
        (CONF_REST_URL, "http://"),
    ],
)
async def test_user_flow_refuses_cleartext_beyond_this_machine(
    hass: HomeAssistant, simulator: RhombusSimulator, field: str, url: str
) -> None:
    """http:// or ws:// elsewhere would send the key in clear: a form error."""
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, form(simulator, **{field: url})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_ADVANCED: "insecure_url"}
    assert simulator.calls("/api/org/getOrgV2") == 0


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.10", "localhost", "LocalHost", "[::1]"]
)
async def test_user_flow_allows_cleartext_to_this_machine(
    hass: HomeAssistant, simulator: RhombusSimulator, host: str
) -> None:
    """Loopback (the simulator, a local proxy) passes the check."""
    port = simulator.rest_url.rsplit(":", 1)[1]
    flow_id = await start_user_flow(hass)
    with patch("custom_components.rhombus.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            flow_id, form(simulator, **{CONF_MEDIA_URL: f"http://{host}:{port}"})
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_MEDIA_URL] == f"http://{host}:{port}"


async def test_user_flow_already_configured(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry_for(simulator).add_to_hass(hass)
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, form(simulator))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth_replaces_key(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    simulator.add_key("new-key")
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["name"] == "Acme HQ"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    with patch("custom_components.rhombus.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "new-key"}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == "new-key"
    assert entry.data[CONF_REST_URL] == simulator.rest_url


async def test_reauth_wrong_account(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = entry_for(simulator, unique_id="another-org")
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: KEY}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == KEY


async def test_reconfigure_changes_key_and_urls(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = entry_for(simulator)
    entry.add_to_hass(hass)
    simulator.add_key("rotated")
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(simulator, "bad")
    )
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(simulator, **{CONF_REST_URL: "ftp://x"})
    )
    assert result["errors"] == {CONF_ADVANCED: "invalid_url"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(simulator, **{CONF_WEBSOCKET_URL: "ws://cloud.lan"})
    )
    assert result["errors"] == {CONF_ADVANCED: "insecure_url"}

    with patch("custom_components.rhombus.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], form(simulator, "rotated", **{CONF_MEDIA_URL: ""})
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_API_KEY] == "rotated"
    assert CONF_MEDIA_URL not in entry.data


async def test_reconfigure_wrong_account(
    hass: HomeAssistant, simulator: RhombusSimulator
) -> None:
    entry = entry_for(simulator, unique_id="another-org")
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], form(simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
