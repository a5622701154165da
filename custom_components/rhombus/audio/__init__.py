"""Talk-down on audio gateways (A100): the org's clips, sirens and play_audio.

``clips`` reads the org's uploaded clips (only while a siren listens, once a
minute like the gateway list) and plays them; ``siren`` is the entity per
gateway; ``service`` is the admin-only ``rhombus.play_audio`` action.
"""

from .clips import AudioClips

__all__ = ["AudioClips"]
