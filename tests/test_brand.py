"""The brand images HACS and Home Assistant (2026.3+) show for the integration."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
import pytest

BRAND = Path(__file__).parents[1] / "custom_components" / "rhombus" / "brand"


@pytest.mark.parametrize(
    ("name", "size"), [("icon.png", (256, 256)), ("icon@2x.png", (512, 512))]
)
def test_icons_are_square_and_transparent(name: str, size: tuple[int, int]) -> None:
    with Image.open(BRAND / name) as image:
        assert image.format == "PNG"
        assert image.size == size
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0  # corners outside the rhombus


@pytest.mark.parametrize(("name", "height"), [("logo.png", 256), ("logo@2x.png", 512)])
def test_logos_are_landscape_at_brand_height(name: str, height: int) -> None:
    with Image.open(BRAND / name) as image:
        assert image.format == "PNG"
        assert image.size[1] == height
        assert image.size[0] > height
        assert image.mode == "RGBA"
