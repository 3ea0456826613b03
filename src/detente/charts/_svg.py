"""A small SVG writer: escaped elements, the chart's root, text widths.

Charts are drawn with presentation attributes only (``fill``, ``stroke``, ``font-size``): no
``style`` attribute, no ``<style>`` and no script, so that they render unchanged under the web
app's content security policy, in WeasyPrint's PDF and as standalone ``.svg`` files.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from ._palette import BACKGROUND, INK

__all__ = ["FONT_FAMILY", "element", "number", "root", "text_width"]

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif"
_VOID = object()


def number(value: float) -> str:
    """A coordinate as SVG writes it: at most one decimal, no trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attribute(value: object) -> str:
    if isinstance(value, float):
        return number(value)
    return str(escape(value))


def element(tag: str, attributes: dict[str, object] | None = None,
            content: str | Iterable[str] | None = None) -> str:
    """``<tag a="...">content</tag>``; attribute values and string content are escaped.

    ``content`` is text (escaped), an iterable of already written elements (kept as they are),
    or None for an empty element. Attributes whose value is None are left out; underscores in
    names become hyphens (``font_size`` -> ``font-size``).
    """
    attrs = "".join(f' {name.rstrip("_").replace("_", "-")}="{_attribute(value)}"'
                    for name, value in (attributes or {}).items() if value is not None)
    if content is None:
        return f"<{tag}{attrs}/>"
    inner = str(escape(content)) if isinstance(content, str) else "".join(content)
    return f"<{tag}{attrs}>{inner}</{tag}>"


def root(kind: str, width: float, height: float, title: str, body: Iterable[str],
         description: str | None = None) -> Markup:
    """The ``<svg>`` element of one chart: accessible title, white background, ``body``."""
    parts = [element("title", {}, title)]
    if description:
        parts.append(element("desc", {}, description))
    parts.append(element("rect", {"x": 0, "y": 0, "width": number(width),
                                  "height": number(height), "fill": BACKGROUND}))
    parts.extend(body)
    return Markup(element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "class": f"chart {kind}", "role": "img",
        "viewBox": f"0 0 {number(width)} {number(height)}", "width": number(width),
        "height": number(height), "font_family": FONT_FAMILY, "fill": INK,
        "aria_label": title,
    }, parts))


def text_width(text: str, size: float) -> float:
    """Approximate width of ``text`` at font ``size``: CJK characters are one em, others 0.6."""
    return sum(size if "\u2e80" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" else size * 0.6
               for c in text)
