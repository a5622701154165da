"""Runtime data kept on the config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .aiorhombus import RhombusRestClient

if TYPE_CHECKING:
    from .coordinator import RhombusCoordinator
    from .hub import RhombusHub
    from .site.hub import SiteHub


@dataclass(slots=True)
class RhombusData:
    """What one account's entry needs while it is loaded."""

    rest: RhombusRestClient
    coordinator: RhombusCoordinator
    hub: RhombusHub
    site: SiteHub


type RhombusConfigEntry = ConfigEntry[RhombusData]
