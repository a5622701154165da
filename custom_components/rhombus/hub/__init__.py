"""The event hub: what an entry runs beside its platforms.

- ``owner``: the event stream of the entry, its catch-up and the bus event;
- ``routing``: the table of consumers (cameras, site ...) a message goes to;
- ``cameras``: the cameras' consumer, which entities hear of an alert;
- ``bus_event``: the ``rhombus_event`` data, its payload capped;
- ``alert_log``: the recent alerts, the one place that drops duplicates;
- ``availability``: whether stream-fed entities count as available;
- ``stream_access``: reauth or a repair issue when the stream refuses the key;
- ``device_index``: camera uuid → device id, kept in step with the cameras.
"""

from .owner import RhombusHub
from .routing import AlertCallback, AlertSource, RhombusAlert

__all__ = ["AlertCallback", "AlertSource", "RhombusAlert", "RhombusHub"]
