"""Fixtures for publication tests: images made with Pillow, the demo with its deliberation and
publications, an organizer client, and a second forum under each attribution policy."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import Engine

#: A forum whose closing speaker is neither chair nor organizer: under the Chatham House rule
#: the name must appear nowhere in public output.
OTHER_FORUMS = """\
format: detente-forum/1
institutions:
  - {id: inst, name: Institute for Testing, short_name: IFT, name_local: 测试研究院}
people:
  - {id: chair-one, name: Chair Person, name_local: 主持人, title: Fellow, affiliation: inst}
  - {id: secret-speaker, name: Zhang Mingyuan, name_local: 张明远, title: Ambassador}
themes:
  - {id: theme-a, name: Theme Alpha, name_local: 议题甲}
events:
  - id: early-forum
    title: Early Forum
    title_local: 早期论坛
    host: inst
    date: 2025-06-01
    languages: [en, zh]
    attribution: chatham_house
    institutions: [inst]
    sessions:
      - {title: Opening session, title_local: 开幕单元, chair: chair-one, themes: [theme-a],
         speakers: [secret-speaker]}
    closing_remarks:
      speaker: secret-speaker
      text: The closing remarks called for a hotline between militaries.
      text_local: 闭幕致辞呼吁建立军队间热线。
  - id: open-forum
    title: Open Forum
    host: inst
    date: 2026-09-01
    languages: [en]
    attribution: attributed
    institutions: [inst]
    sessions:
      - {title: Open session, chair: chair-one, themes: [theme-a], speakers: [secret-speaker]}
    closing_remarks:
      speaker: secret-speaker
      text: The closing remarks called for transparency.
"""


def make_image(fmt: str = "JPEG", size: tuple[int, int] = (1600, 1000), *,
               orientation: int | None = None, alpha: bool = False) -> bytes:
    """An image drawn with Pillow (stripes and a box), optionally with EXIF orientation."""
    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, size, (40, 90, 140, 128) if alpha else (40, 90, 140))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], max(1, size[0] // 12)):
        draw.rectangle([x, 0, x + size[0] // 24, size[1]], fill=(200, 120, 60))
    draw.rectangle([0, 0, size[0] // 4, size[1] // 4], fill=(250, 250, 250))
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    exif = Image.Exif()
    exif[0x010F] = "Detente Test Camera"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 59.0, 58.0)}  # GPS IFD: must never reach the pages
    if orientation is not None:
        exif[0x0112] = orientation
    if fmt in ("JPEG", "PNG", "WEBP"):
        options["exif"] = exif
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.fixture
def image_bytes() -> Callable[..., bytes]:
    return make_image


@pytest.fixture
def pub_engine(demo_engine: Engine) -> Engine:
    """The demo forum with its simulated deliberation and the demo publications."""
    from detente.deliberation import load_demo_deliberation
    from detente.reports import load_demo_publications

    load_demo_deliberation(demo_engine)
    load_demo_publications(demo_engine)
    return demo_engine


@pytest.fixture
def other_forums(demo_engine: Engine, tmp_path: Path) -> Engine:
    """Two more events (one under each policy) beside the demo forum."""
    from detente.forum import import_forum_file

    path = tmp_path / "other.yaml"
    path.write_text(OTHER_FORUMS, encoding="utf-8")
    import_forum_file(demo_engine, path)
    return demo_engine

