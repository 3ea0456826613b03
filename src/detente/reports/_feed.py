"""The Atom feed of published news items (RFC 4287), with absolute URLs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from detente.store.models.publications import NewsItem

from ._news import NewsView

__all__ = ["ATOM_NS", "atom_feed"]

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _timestamp(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        moment = day if day.tzinfo else day.replace(tzinfo=dt.UTC)
    else:
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def atom_feed(base_url: str, entries: Sequence[tuple[NewsItem, NewsView]], *, title: str,
              language: str) -> bytes:
    """The feed document: one entry per published item, newest first.

    Parameters
    ----------
    base_url : str
        The site's absolute root, e.g. ``https://forum.example.org`` (no trailing slash).
    entries : sequence of (NewsItem, NewsView)
        The published items with their text in ``language``.
    """
    ET.register_namespace("", ATOM_NS)
    root = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {f"{{{XML_NS}}}lang": "zh-Hans" if language == "zh"
                                             else "en"})
    suffix = "?lang=zh" if language == "zh" else ""
    _sub(feed, "id", f"{root}/news/feed.atom{suffix}")
    _sub(feed, "title", title)
    _sub(feed, "link", rel="self", href=f"{root}/news/feed.atom{suffix}",
         type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=f"{root}/news{suffix}", type="text/html")
    updated = max((item.updated_at for item, _ in entries), default=None)
    _sub(feed, "updated", _timestamp(updated or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
    author = _sub(feed, "author")
    _sub(author, "name", "detente")
    _sub(feed, "generator", "detente")
    ordered = sorted(entries, key=lambda pair: (pair[1].date, pair[0].id), reverse=True)
    for item, view in ordered:
        entry = _sub(feed, "entry")
        url = f"{root}/news/{item.slug}{suffix}"
        _sub(entry, "id", f"{root}/news/{item.slug}")
        _sub(entry, "title", view.title)
        _sub(entry, "link", rel="alternate", href=url, type="text/html")
        _sub(entry, "published", _timestamp(view.date))
        _sub(entry, "updated", _timestamp(item.updated_at))
        _sub(entry, "summary", view.lead, type="text")
        content = "\n\n".join([view.lead, *(p.text for p in view.paragraphs)])
        _sub(entry, "content", content, type="text")
        for photo in view.photos[:1]:
            _sub(entry, "link", rel="enclosure", href=f"{root}/media/{photo.token}/page",
                 type="image/jpeg" if photo.variant_format == "jpeg" else "image/png")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
