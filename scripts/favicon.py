"""Draw the site icon: src/detente/web/static/favicon.svg and favicon.ico, from one geometry.

Two rings that overlap on a blue rounded square: two parties meeting half-way. The SVG is
for browsers that take one (``<link rel=icon type=image/svg+xml>``), the ICO (16, 32 and 48
pixels, drawn with Pillow at 8x and reduced) for /favicon.ico.

    python scripts/favicon.py            # rewrite both files
    python scripts/favicon.py --check    # exit 1 when the SVG differs from this drawing
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "src" / "detente" / "web" / "static"
SIZE = 64
BACKGROUND = "#1f5f8b"
RING = "#ffffff"
CORNER = 12
#: (centre x, centre y, radius) of each ring, and the ring's width; units of a 64-px square.
RINGS = [(24.0, 32.0, 13.0), (40.0, 32.0, 13.0)]
WIDTH = 6.0


def svg() -> str:
    rings = "".join(
        f'<circle cx="{x:g}" cy="{y:g}" r="{r:g}" fill="none" stroke="{RING}" '
        f'stroke-width="{WIDTH:g}"/>' for x, y, r in RINGS
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
        f"<title>detente</title>"
        f'<rect width="{SIZE}" height="{SIZE}" rx="{CORNER}" fill="{BACKGROUND}"/>'
        f"{rings}</svg>\n"
    )


def ico(path: Path) -> None:
    from PIL import Image, ImageDraw

    scale = 8
    big = SIZE * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=CORNER * scale, fill=BACKGROUND)
    for x, y, r in RINGS:
        outer, inner = (r + WIDTH / 2) * scale, (r - WIDTH / 2) * scale
        box = (x * scale - outer, y * scale - outer, x * scale + outer, y * scale + outer)
        draw.ellipse(box, outline=RING, width=round(outer - inner))
    image.resize((48, 48), Image.Resampling.LANCZOS).save(
        path, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    target = STATIC / "favicon.svg"
    if args.check:
        return 0 if target.read_text(encoding="utf-8") == svg() else 1
    target.write_text(svg(), encoding="utf-8")
    ico(STATIC / "favicon.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
