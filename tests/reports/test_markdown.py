"""report.md escapes everything that is not the report's own markup: no evidence URL or record
text can become live HTML or a link to another scheme."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import Engine

from detente.forum import DEMO_EVENT_SLUG, get_event
from detente.reports import add_evidence, build_report, create_proposal, render_report
from detente.reports._markdown import _link, _md
from detente.store import session_scope
from detente.store.models.publications import ProposalEvidence

HOSTILE = ('<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) '
           '![x](javascript:alert(4)) <javascript:alert(5)> &lt;b&gt; *bold* `code` | a | b |')


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def _assert_inert(html: str) -> None:
    assert "<script" not in html and "<img src=\"x\"" not in html
    assert not re.search(r"<img[^>]*onerror", html)
    assert not re.search(r'href="(?!https?://)', html), html
    assert "<strong>" not in html and "<code>" not in html


def test_record_text_is_shown_as_written() -> None:
    html = _html(_md(HOSTILE))
    _assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "*bold*" in html


@pytest.mark.parametrize("text", ["- not a list", "+ not a list", "1. not a list",
                                  "2) not a list", "# not a heading", "> not a quote",
                                  "=== not an underline", "    not code"])
def test_text_that_starts_a_line_makes_no_block(text: str) -> None:
    html = _html(f"Before\n\n{_md(text)}\n")
    assert html.count("<p>") == 2 and "<li>" not in html and "<h" not in html
    assert "<blockquote>" not in html and "<pre>" not in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 "data:text/html,<script>alert(1)</script>",
                                 " javascript:alert(1)", "vbscript:msgbox(1)"])
def test_only_http_urls_become_links(url: str) -> None:
    html = _html(_link(url))
    assert "<a " not in html and "<script" not in html


def test_an_http_url_cannot_leave_its_link() -> None:
    html = _html(_link("https://evil.example/a)b><script>alert(1)</script>\"x"))
    _assert_inert(html)
    assert html.count("<a ") == 1


def test_report_md_with_hostile_evidence_and_text_has_no_live_html(demo_engine: Engine,
                                                                   tmp_path) -> None:
    with session_scope(demo_engine) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        proposal = create_proposal(db, event, title="Limits " + HOSTILE,
                                   text="- first point\n- " + HOSTILE + "\n\n" + HOSTILE,
                                   status="published")
        add_evidence(db, proposal, "url",
                     "https://evil.example/<script>alert(1)</script>?q=<img src=x>")
        # An old record that predates the URL check.
        db.add(ProposalEvidence(proposal_id=proposal.id, kind="url",
                                reference="javascript:alert(document.cookie)",
                                note=HOSTILE))
    with session_scope(demo_engine) as db:
        markdown = render_report(build_report(db, DEMO_EVENT_SLUG, "en"), "md",
                                 tmp_path).decode("utf-8")
    html = _html(markdown)
    _assert_inert_report(html)
    assert "evil.example" in html


def _assert_inert_report(html: str) -> None:
    assert "<script" not in html
    assert not re.search(r"<img[^>]*onerror", html)
    assert not re.search(r'<img src="x"', html)
    for href in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert href.startswith(("https://", "http://", "media/", "charts/")) or \
            "/" not in href.split(".")[0], href
        assert not href.lower().lstrip().startswith(("javascript:", "data:", "vbscript:"))
