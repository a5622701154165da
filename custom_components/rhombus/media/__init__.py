"""Media plumbing beside the platforms ``camera``, ``image`` and ``media_source``.

- ``ids``: the media source's identifiers and its browse cache;
- ``items``: the media browser's tiles (folders, alerts, saved clips);
- ``links``: the ``media-source://`` id of an alert (the bus event links it);
- ``access``: the account's federated token and the shared still cache;
- ``views``: thumbnails served by Home Assistant;
- ``playlists``/``proxy``: recorded and live HLS served by Home Assistant, the token
  added server side;
- ``clip_service``: the ``rhombus.save_clip`` action.

Nothing here is imported by this file, so a module that needs one piece (the hub
needs ``links``) loads only that piece.
"""
