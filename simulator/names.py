"""Realistic generated data: RUUIDs, camera names, models, serials, alert text.

Everything draws from one `random.Random`, so a seeded simulator is reproducible.
"""

from __future__ import annotations

import base64
import random
import string

CAMERA_NAMES = (
    "Front Entrance",
    "Lobby",
    "Loading Dock",
    "Parking Lot North",
    "Parking Lot South",
    "Warehouse Aisle 3",
    "Reception",
    "Back Door",
    "Server Room",
    "Break Room",
    "Shipping Office",
    "Side Gate",
    "Main Hallway",
    "Stairwell East",
    "Stairwell West",
    "Conference Room A",
    "Conference Room B",
    "Cafeteria",
    "Storage Room",
    "Rooftop Access",
    "Garage Entrance",
    "Emergency Exit",
    "Receiving Bay",
    "Production Floor",
    "Warehouse Aisle 7",
    "Front Desk",
    "Mail Room",
    "Elevator Lobby",
    "Playground",
    "Bike Racks",
)

# (hwVariation, relative weight): the R-series models a typical org runs.
CAMERA_MODELS = (
    ("CAMERA_R200", 30),
    ("CAMERA_R510", 14),
    ("CAMERA_R520", 12),
    ("CAMERA_R600", 10),
    ("CAMERA_R120", 10),
    ("CAMERA_R230", 9),
    ("CAMERA_R170", 5),
    ("CAMERA_R540", 4),
    ("CAMERA_R220", 3),
    ("CAMERA_R100", 3),
    ("CAMERA_R410", 3),
)

FIRMWARE_VERSIONS = (
    ("v10.4.2", 40),
    ("v10.3.9", 30),
    ("v10.2.14", 20),
    ("v9.18.1", 10),
)

# (trigger, relative weight) for the random scenario; POSE_FALL is a real ActivityEnum
# value the integration has no special handling for.
TRIGGER_WEIGHTS = (
    ("MOTION_HUMAN", 40),
    ("MOTION_CAR", 18),
    ("MOTION", 10),
    ("LOITER_HUMAN", 6),
    ("HUMAN_ENTER", 5),
    ("HUMAN_EXIT", 5),
    ("CAR_ENTER", 4),
    ("MOTION_ANIMAL", 4),
    ("PACKAGE_ARRIVED", 3),
    ("POSE_FALL", 1),
)

_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "MOTION_HUMAN": (
        "A person walks up to the {place} door.",
        "Two people walk past the {place}.",
        "A person in a dark jacket crosses the {place}.",
        "A person carrying a box walks through the {place}.",
    ),
    "MOTION_CAR": (
        "A white sedan drives through the {place}.",
        "A pickup truck pulls into the {place}.",
        "A delivery van stops near the {place}.",
    ),
    "MOTION": (
        "Movement detected at the {place}.",
        "Tree branches sway in front of the {place} camera.",
    ),
    "LOITER_HUMAN": (
        "A person lingers near the {place} for several minutes.",
        "Someone stands by the {place} looking at their phone.",
    ),
    "HUMAN_ENTER": ("A person enters through the {place}.",),
    "HUMAN_EXIT": ("A person leaves through the {place}.",),
    "CAR_ENTER": ("A car enters the {place}.",),
    "MOTION_ANIMAL": (
        "A cat walks along the wall of the {place}.",
        "A dog runs across the {place}.",
    ),
    "PACKAGE_ARRIVED": ("A courier leaves a package at the {place}.",),
    "POSE_FALL": ("A person appears to fall near the {place}.",),
}
_DESCRIPTION_FALLBACK = ("Activity detected at the {place}.",)

_SERIAL_ALPHABET = string.ascii_uppercase + string.digits


class NameGenerator:
    """Deterministic (given a seed) source of every generated value."""

    def __init__(self, seed: int | None = None) -> None:
        """Create a generator; the same seed yields the same sequence."""
        self.rng = random.Random(seed)
        self._cameras_named = 0

    def ruuid(self) -> str:
        """Return a 22-character base64url RUUID, like Rhombus IDs."""
        return base64.urlsafe_b64encode(self.rng.randbytes(16)).decode()[:22]

    def camera_name(self) -> str:
        """Return the next camera name; numbered once the list is used up."""
        index = self._cameras_named
        self._cameras_named += 1
        base = CAMERA_NAMES[index % len(CAMERA_NAMES)]
        cycle = index // len(CAMERA_NAMES)
        return base if cycle == 0 else f"{base} {cycle + 1}"

    def hw_variation(self) -> str:
        """Return a weighted-random camera hwVariation."""
        return self._weighted(CAMERA_MODELS)

    def firmware_version(self) -> str:
        """Return a weighted-random firmware string."""
        return self._weighted(FIRMWARE_VERSIONS)

    def serial_number(self, hw_variation: str) -> str:
        """Return a serial such as ``RCAM-R200-7K3QZ2XA``."""
        model = hw_variation.removeprefix("CAMERA_")
        tail = "".join(self.rng.choices(_SERIAL_ALPHABET, k=8))
        return f"RCAM-{model}-{tail}"

    def mac_address(self) -> str:
        """Return a locally administered MAC address."""
        octets = [0x02, *self.rng.randbytes(5)]
        return ":".join(f"{octet:02x}" for octet in octets)

    def triggers(self) -> tuple[str, ...]:
        """Return realistic alert triggers; now and then an enter/exit companion."""
        first = self._weighted(TRIGGER_WEIGHTS)
        if first == "MOTION_HUMAN" and self.rng.random() < 0.2:
            return (first, self.rng.choice(("HUMAN_ENTER", "HUMAN_EXIT")))
        return (first,)

    def description(self, trigger: str, camera_name: str) -> str:
        """Return a textDescription in the style of Rhombus' AI summaries."""
        templates = _DESCRIPTIONS.get(trigger, _DESCRIPTION_FALLBACK)
        return self.rng.choice(templates).format(place=camera_name.lower())

    def _weighted(self, table: tuple[tuple[str, int], ...]) -> str:
        values = [value for value, _ in table]
        weights = [weight for _, weight in table]
        return self.rng.choices(values, weights)[0]
