"""The README and docs/: every link between them resolves, anchors included.

The README is what HACS shows, so it links to docs/ by absolute GitHub URL
(HACS resolves relative links against Home Assistant's own address); those
URLs are checked against the files here. Links the integration hands to users
(repairs' "learn more") are checked the same way.
"""

from __future__ import annotations

from pathlib import Path
import re

import pytest
import yaml

from custom_components.rhombus.hub.stream_access import (
    LEARN_MORE_URL as STREAM_LEARN_MORE,
)
from custom_components.rhombus.site.deprecation import (
    LEARN_MORE_URL as DOORS_LEARN_MORE,
)

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
REPO_URL = "https://github.com/rhombus-ha/rhombus"
BLOB = f"{REPO_URL}/blob/main/"
# Pages other engineers write on their own branches: linked before they merge.
PENDING = {"docs/alarm-and-lockdown.md", "docs/audio-and-pauses.md"}

_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.MULTILINE)


def _prose(text: str) -> str:
    return _FENCE.sub("", text)


def anchors(path: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    ids: set[str] = set()
    counts: dict[str, int] = {}
    for heading in _HEADING.findall(_prose(path.read_text())):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = counts.get(slug, 0)
        counts[slug] = count + 1
        ids.add(slug if count == 0 else f"{slug}-{count}")
    return ids


def resolve(page: Path, target: str) -> tuple[Path, str] | None:
    """The local file and anchor a link names; None for other sites."""
    if target.startswith(REPO_URL):
        if target.startswith(BLOB):
            target = target.removeprefix(BLOB)
            base = ROOT
        elif target == REPO_URL or target.startswith(f"{REPO_URL}#"):
            return README, target.partition("#")[2]
        else:
            return None  # issues, releases: not files
    elif re.match(r"^[a-z]+:", target):
        return None
    else:
        base = page.parent
    path, _, anchor = target.partition("#")
    return ((base / path).resolve() if path else page), anchor


def links() -> list[tuple[str, str]]:
    return [
        (str(page.relative_to(ROOT)), target)
        for page in PAGES
        for target in _LINK.findall(_prose(page.read_text()))
    ]


@pytest.mark.parametrize(("page", "target"), links())
def test_every_link_resolves(page: str, target: str) -> None:
    found = resolve(ROOT / page, target)
    if found is None:
        return
    path, anchor = found
    name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    if not path.exists() and name in PENDING:
        return
    assert path.exists(), f"{page}: {target} names no file"
    if anchor:
        assert anchor in anchors(path), f"{page}: {target} names no heading"


def test_the_readme_links_docs_by_absolute_url() -> None:
    """HACS renders the README inside Home Assistant: relative links break there."""
    relative = [
        target
        for target in _LINK.findall(_prose(README.read_text()))
        if not re.match(r"^([a-z]+:|#)", target)
    ]
    assert relative == []


@pytest.mark.parametrize("url", [STREAM_LEARN_MORE, DOORS_LEARN_MORE])
def test_learn_more_links_resolve(url: str) -> None:
    found = resolve(README, url)
    assert found is not None
    path, anchor = found
    assert path.exists()
    assert anchor in anchors(path)


def test_the_readme_stays_a_first_read() -> None:
    """The two commands CI and developers run; the reference lives in docs/."""
    text = README.read_text()
    assert len(text.splitlines()) < 300
    commands = re.search(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert commands is not None
    assert [line.split()[0] for line in commands[1].splitlines()] == [
        "scripts/develop",
        "scripts/test",
    ]
    assert (ROOT / "scripts" / "test").exists()
    assert (ROOT / "scripts" / "develop").exists()


class _Loader(yaml.SafeLoader):
    """Home Assistant's own tags (``!secret``, ``!include``) read as plain text."""


_Loader.add_multi_constructor(
    "!", lambda loader, _tag, node: loader.construct_scalar(node)
)


def yaml_blocks() -> list[tuple[str, str]]:
    return [
        (str(page.relative_to(ROOT)), block)
        for page in PAGES
        for block in re.findall(
            r"^```yaml\n(.*?)^```", page.read_text(), re.MULTILINE | re.DOTALL
        )
    ]


@pytest.mark.parametrize(("page", "block"), yaml_blocks())
def test_every_yaml_example_parses(page: str, block: str) -> None:
    assert yaml.load(block, Loader=_Loader) is not None, page  # noqa: S506
