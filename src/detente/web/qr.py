"""QR codes as inline SVG (segno): presentation attributes only, so the content security policy
has nothing to object to, and the code scales to any size without blurring."""

from __future__ import annotations

from markupsafe import Markup, escape

__all__ = ["qr_svg"]


def qr_svg(url: str, title: str) -> Markup:
    """The QR code of ``url`` as an ``<svg>`` element with a ``viewBox`` (size it with CSS),
    black on white with the standard quiet zone of four modules; ``title`` is its accessible
    name."""
    import segno

    code = segno.make(url, error="m")
    # segno escapes the title; everything else it writes is numbers.
    svg = code.svg_inline(scale=1, border=4, omitsize=True, title=title, svgclass="qr",
                          lineclass=None, dark="#000000", light="#ffffff")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1))
