"""Paused alerts: a switch "Alerts" per camera, site device and location.

``coordinator`` reads every pause in one call (once a minute, at once after a
change, and at the end of each pause, which the stream does not announce);
``switch`` holds the entities; ``service`` the admin-only
``rhombus.pause_alerts`` action.
"""

from .coordinator import PAUSE_ENTITY, AlertPauses

__all__ = ["PAUSE_ENTITY", "AlertPauses"]
