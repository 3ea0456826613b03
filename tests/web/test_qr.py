"""QR codes: the SVG carries exactly the QR matrix of the URL, scales, and needs no style."""

from __future__ import annotations

import re

import segno

from detente.web.qr import qr_svg


def _matrix_from_svg(svg: str, size: int) -> list[list[int]]:
    """Read the dark modules back from segno's path (relative h/m moves on half-rows)."""
    path = re.search(r'<path stroke="#0+" d="([^"]+)"', svg)
    assert path, svg[:300]
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s+(-?[\d.]+))?", path.group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:  # h: a run of dark modules on row int(y)
            for column in range(int(x), int(x + float(a))):
                grid[int(y)][column] = 1
            x += float(a)
    return grid


def test_the_svg_encodes_the_url_module_for_module() -> None:
    url = "https://forum.example.org/j/42"
    svg = str(qr_svg(url, "QR code of the link"))
    code = segno.make(url, error="m")
    border = 4
    size = code.symbol_size(scale=1, border=border)[0]
    expected = [[0] * size for _ in range(size)]
    for r, row in enumerate(code.matrix):
        for c, dark in enumerate(row):
            expected[r + border][c + border] = 1 if dark else 0
    assert _matrix_from_svg(svg, size) == expected
    assert f'viewBox="0 0 {size} {size}"' in svg


def test_the_svg_is_accessible_scalable_and_has_no_inline_style_or_script() -> None:
    svg = str(qr_svg("https://x.example/j/1", 'Scan "me" <now>'))
    assert svg.startswith('<svg role="img" aria-label="Scan &#34;me&#34; &lt;now&gt;"')
    assert "<title>" in svg and "&lt;now&gt;" in svg
    assert "style" not in svg and "<script" not in svg and "width=" not in svg.split(">")[0]
