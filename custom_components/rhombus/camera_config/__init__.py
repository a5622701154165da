"""Camera controls and housekeeping (not a Home Assistant platform).

- ``descriptions``: each control and the Rhombus field or feature it switches;
- ``manager``: what each camera reports, when it is read, verified writes;
- ``read_queue``: background reads a few a second, quiet while rate limited;
- ``entity``: the base of a control entity (logs who changed what);
- ``firmware``: installed and latest firmware per camera, the install;
- ``restart``: the camera's reboot and its translated refusals.
"""

from .descriptions import (
    SELECTS,
    SWITCHES,
    ControlDescription,
    ControlSelectDescription,
    ControlSwitchDescription,
)
from .entity import RhombusControlEntity
from .firmware import FirmwareTracker
from .manager import CONFIG_ENTITY, CameraControls
from .read_queue import ReadQueue
from .restart import async_restart

__all__ = [
    "CONFIG_ENTITY",
    "SELECTS",
    "SWITCHES",
    "CameraControls",
    "ControlDescription",
    "ControlSelectDescription",
    "ControlSwitchDescription",
    "FirmwareTracker",
    "ReadQueue",
    "RhombusControlEntity",
    "async_restart",
]
