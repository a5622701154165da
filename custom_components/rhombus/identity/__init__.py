"""Who and which car: recognised faces and read plates as Home Assistant sees them.

``kinds`` maps an alert's triggers and identities to event types; ``event``
holds the per-camera ``face`` and ``license_plate`` event entities.
"""
