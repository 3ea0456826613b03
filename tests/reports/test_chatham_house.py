"""The Chatham House rule in every public output: news pages, the feed, reports in all formats.

The test forum's closing speaker (Zhang Mingyuan, 张明远) is neither chair nor organizer: under the
rule the name must appear nowhere. In the demo forum the closing speaker also chairs session 1,
so the name appears as chair but never next to the closing remarks. The attributed event is the
control that shows the checks can fail.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from detente.forum import DEMO_EVENT_SLUG
from detente.reports import build_report, create_news, publish_news, render_report
from detente.store import session_scope

NAMES = ("Zhang Mingyuan", "张明远")


def _outputs(engine, tmp_path, slug: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {}
    with session_scope(engine) as db:
        for language in ("en", "zh"):
            data = build_report(db, slug, language)
            for fmt in ("html", "md", "pdf"):
                blob = render_report(data, fmt, tmp_path)
                if fmt == "pdf":
                    pypdf = pytest.importorskip("pypdf")
                    reader = pypdf.PdfReader(io.BytesIO(blob))
                    text = " ".join(p.extract_text() or "" for p in reader.pages)
                    out[f"{language}.pdf"] = re.sub(r"\s+", "", text)
                else:
                    out[f"{language}.{fmt}"] = blob.decode("utf-8")
    return out


def _publish(engine, slug: str) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as db:
        publish_news(db, create_news(db, slug), dt.date(2026, 10, 1))


def test_speaker_appears_nowhere_under_the_rule(other_forums, client, tmp_path) -> None:
    _publish(other_forums, "early-forum")
    outputs = _outputs(other_forums, tmp_path, "early-forum")
    outputs["news en"] = client.get("/news/early-forum?lang=en").text
    outputs["news zh"] = client.get("/news/early-forum?lang=zh").text
    outputs["feed"] = client.get("/news/feed.atom").text
    outputs["feed zh"] = client.get("/news/feed.atom?lang=zh").text
    outputs["event api"] = client.get("/api/events/early-forum").text
    for where, text in outputs.items():
        assert "hotline" in text or "热线" in text, f"{where}: closing remarks missing"
        for name in NAMES:
            assert name.replace(" ", "") not in text.replace(" ", ""), f"{name} leaks in {where}"


def test_control_attributed_event_names_the_speaker(other_forums, client, tmp_path) -> None:
    _publish(other_forums, "open-forum")
    outputs = _outputs(other_forums, tmp_path, "open-forum")
    outputs["news"] = client.get("/news/open-forum").text
    for where, text in outputs.items():
        compact = text.replace(" ", "")
        assert "ZhangMingyuan" in compact or "张明远" in compact, where


def _closing_section(text: str, kind: str) -> str:
    if kind == "html":
        return text.split('id="closing"')[1].split("</section>")[0]
    if kind == "md":
        heading = "## Closing remarks" if "## Closing remarks" in text else "## 闭幕致辞"
        return text.split(heading)[1].split("\n## ")[0]
    start = text.find("Theclosingremarksthanked")
    start = start if start >= 0 else text.find("闭幕致辞感谢")
    assert start >= 0
    return text[start - 200:start + 900]


def test_demo_closing_remarks_carry_no_name(pub_engine, client, tmp_path) -> None:
    outputs = _outputs(pub_engine, tmp_path, DEMO_EVENT_SLUG)
    for where, text in outputs.items():
        section = _closing_section(text, where.split(".")[1])
        assert "thanked" in section or "感谢" in section
        for name in ("Xiao Qian", "XiaoQian", "肖茜"):
            assert name not in section, f"{name} next to the closing remarks in {where}"
        assert ("Xiao Qian" in text or "XiaoQian" in text or "肖茜" in text), where  # as chair
    page = client.get(f"/news/{DEMO_EVENT_SLUG}").text
    closing = page.split("Closing remarks:")[1].split("</p>")[0]
    assert "Xiao Qian" not in closing
