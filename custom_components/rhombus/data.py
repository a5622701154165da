"""Runtime data kept on the config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .aiorhombus import (
    RhombusClipsClient,
    RhombusDeviceAdminClient,
    RhombusMediaClient,
    RhombusRecordingsClient,
    RhombusRestClient,
)

if TYPE_CHECKING:
    from .audio import AudioClips
    from .camera_config import CameraControls, FirmwareTracker
    from .coordinator import RhombusCoordinator
    from .hub import RhombusHub
    from .locations import LocationsCoordinator
    from .locations.alarm import AlarmCoordinator
    from .locations.alerts import LocationAlerts
    from .locations.lockdown import LockdownCoordinator
    from .media.access import FederatedTokens
    from .media.footage import EntryFootage
    from .pauses import AlertPauses
    from .site.hub import SiteHub


@dataclass(slots=True)
class RhombusData:
    """What one account's entry needs while it is loaded."""

    rest: RhombusRestClient
    coordinator: RhombusCoordinator
    hub: RhombusHub
    media: RhombusMediaClient
    # One federated token for the account, added server side by the proxy views.
    tokens: FederatedTokens
    recordings: RhombusRecordingsClient
    clips: RhombusClipsClient
    # Recorded and live HLS as the proxy views serve it.
    footage: EntryFootage
    site: SiteHub
    # The org's locations (areas, and a service device each).
    locations: LocationsCoordinator
    # Alarm monitoring per location (empty when the role may not read it).
    alarm: AlarmCoordinator
    # Lockdown per location with plans of its own.
    lockdown: LockdownCoordinator
    # The locations' own alerts (threat cases, monitoring and lockdown news).
    location_alerts: LocationAlerts
    # Camera controls, firmware and reboots (camera_config/).
    controls: CameraControls
    firmware: FirmwareTracker
    admin: RhombusDeviceAdminClient
    # The org's audio clips: sirens and play_audio (audio/).
    audio: AudioClips
    # The org's alert pauses: the Alerts switches and pause_alerts (pauses/).
    pauses: AlertPauses
    # The org's own device, parent of the site devices (set before the platforms).
    org_device_id: str = ""


type RhombusConfigEntry = ConfigEntry[RhombusData]
