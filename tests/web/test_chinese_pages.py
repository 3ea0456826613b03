"""Every page and report in Chinese: no untranslated English, Chinese punctuation.

The site is crawled in Chinese on the demo data of every capability, as a visitor, as a
participant who has joined the deliberation, and as a logged-in organizer, from the pages
that nothing links to (log-in, errors, forms) through every link they show. After the
participant votes, the live view's updates (what its stream sends next) and the participant's
notices are read too, and so are forms sent back with an error (log-in, statement, seed,
new deliberation, upload, proposal, evidence link, the event form and a session removal
awaiting confirmation). Each page's
visible text (and the text of ``title``, ``alt``, ``placeholder``, ``aria-label`` and button
values) is read, except:

- text inside an element whose ``lang`` is not Chinese: data that exists only in English is
  marked ``lang="en"`` (and, for titles, labelled （无中文文本）), which is the page telling the
  reader so; our own interface text must never be marked that way (checked);
- ``<code>``, ``<kbd>`` and ``<samp>``: identifiers and input formats.

What remains may hold Latin words only where they are names or codes, and the list of those
is built from the data, not from the failures: people and institutions of the forum records,
ISO 3166 codes, UN symbols, units and file formats. The reports (HTML, Markdown and the
PDF's text through pdftotext) are held to the same rule; in the Markdown and PDF, where no
``lang`` can be written, the English allowed is what the HTML report marks as English.

Chinese punctuation: an ASCII comma, colon, semicolon, bracket, question or exclamation mark
next to a Chinese character, a full stop after one, and ``#`` before a number (an id shown
to people) are faults in Chinese text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from tests.conftest import CSRF_PATTERN, ORGANIZER_PASSWORD
from tests.web.conftest import demo_app

EVENT = "ciss-ai-international-security-2026"

#: Pages that no crawled page links to (entry points, errors and forms).
SEEDS = (
    "/", "/login", "/proposals", "/proposals/new", "/deliberations/new",
    "/events/no-such-event", "/deliberations/999", "/states/instruments/no-such-instrument",
    f"/events/{EVENT}/report.html?lang=zh",
)
REPORTS = (f"/events/{EVENT}/report.md?lang=zh", f"/events/{EVENT}/report.pdf?lang=zh")

#: File formats, units and the product's own name: words a Chinese page writes in Latin.
FORMATS_AND_UNITS = {
    "detente", "PDF", "HTML", "CSV", "JSON", "Markdown", "YAML", "Atom", "QR", "PNG", "JPEG",
    "WebP", "GIF", "UTF", "NUL", "ISO", "MB", "KB", "GB", "px", "Polis", "OpenAPI", "API",
    "URL", "ZIP", "SVG", "UTC", "HTTP", "HTTPS",
}

#: Attributes whose text a person reads (or hears).
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
SKIPPED_TAGS = {"script", "style", "code", "kbd", "samp", "template"}

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
URLISH = re.compile(r"(https?://|www\.)\S+|\b[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b(/\S*)?"
                    r"|\S+@\S+|(?<![\w])/[\w./?=&%-]+")
#: A token holding a digit or a slash is a code (A/RES/78/241, G7, CETS-225, 1:10).
CODEISH = re.compile(r"\S*[0-9/]\S*")
PUNCTUATION_FAULTS = (
    (re.compile(rf"[{CJK}]\s*[,;:!?()]|[,;:!?()]\s*[{CJK}]"), "ASCII punctuation in Chinese"),
    (re.compile(rf"[{CJK}]\s*\.(?!\w)"), "English full stop after Chinese"),
    (re.compile(rf"[{CJK}]\s*['\"]|['\"]\s*[{CJK}]"), "ASCII quotes in Chinese"),
    (re.compile(r"(?<![\w-])#\s?\d"), "an id shown as #number"),
)


@dataclass
class Reading:
    """What a Chinese page says in Chinese (``text``) and what it marks as English."""

    text: list[str] = field(default_factory=list)
    marked_english: list[str] = field(default_factory=list)


def _is_chinese(lang: str) -> bool:
    return lang.lower().startswith("zh")


def read_page(html: str) -> Reading:
    """Split a page's readable text into Chinese-context runs and marked-English runs."""
    soup = BeautifulSoup(html, "lxml")
    reading = Reading()
    body = soup.body or soup
    title = soup.title.get_text() if soup.title else ""
    if soup.head:
        soup.head.extract()

    def walk(node: Tag, run: list[str]) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    run.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in SKIPPED_TAGS:
                continue
            lang = child.get("lang")
            if isinstance(lang, str) and not _is_chinese(lang):
                reading.marked_english.append(" ".join(child.get_text(" ").split()))
                run.append(" \ue000 ")
                continue
            for attribute in READ_ATTRIBUTES:
                value = child.get(attribute)
                if isinstance(value, str) and value.strip():
                    reading.text.append(value)
            if child.name == "input" and child.get("type") in {"submit", "button"}:
                reading.text.append(str(child.get("value") or ""))
            if child.name in {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "div", "tr",
                              "section", "dd", "dt", "figcaption", "caption", "label",
                              "option", "button", "title", "text", "legend", "summary"}:
                inner: list[str] = []
                walk(child, inner)
                reading.text.append("".join(inner))
                run.append(" ")
            else:
                walk(child, run)

    top: list[str] = []
    walk(body, top)
    reading.text.append("".join(top))
    if title:
        # A title cannot mark a language: it may repeat what the page marks as English.
        for phrase in sorted(reading.marked_english, key=len, reverse=True):
            if phrase:
                title = title.replace(phrase, " \ue000 ")
        reading.text.append(title)
    return reading


def english_words(text: str, allowed: set[str]) -> list[str]:
    """Latin words in ``text`` that are not names, codes, units or addresses."""
    text = URLISH.sub(" ", text)
    text = CODEISH.sub(" ", text)
    found = []
    for word in LATIN_WORD.findall(text):
        bare = word.strip("'’")
        if len(bare) < 2 or bare in allowed or bare.upper() in allowed:
            continue
        found.append(bare)
    return found


def punctuation_faults(text: str) -> list[str]:
    text = URLISH.sub(" ", text)
    faults = []
    for pattern, what in PUNCTUATION_FAULTS:
        for match in pattern.finditer(text):
            start = max(0, match.start() - 12)
            faults.append(f"{what}: …{' '.join(text[start:match.end() + 12].split())}…")
    return faults


def _snippet(text: str, word: str) -> str:
    index = text.find(word)
    return " ".join(text[max(0, index - 30):index + len(word) + 30].split())


#: Text that exists only in English, followed by the mark that says so (plain text, where no
#: ``lang`` can be written: the reports' source lists, Markdown, PDF).
MARKED_AS_ENGLISH = re.compile(rf"[^{CJK}]+（无中文文本）")


def check_text(texts: list[str], allowed: set[str]) -> list[str]:
    """Every fault in ``texts`` (Chinese-context runs), one line each."""
    faults: list[str] = []
    for text in texts:
        text = MARKED_AS_ENGLISH.sub(" \ue000（无中文文本）", text)
        for word in dict.fromkeys(english_words(text, allowed)):
            faults.append(f"English {word!r}: …{_snippet(text, word)}…")
        faults.extend(punctuation_faults(text))
    return faults


# --- the site, in Chinese, on the demo data ------------------------------------------------


def names_and_codes(engine) -> set[str]:  # type: ignore[no-untyped-def]
    """The Latin words a Chinese page may show: names, codes, units, formats (from data)."""
    from sqlalchemy import select

    from detente.states._countries import countries
    from detente.store import session_scope
    from detente.store.models.auth import User
    from detente.store.models.forum import Institution, Person
    from detente.store.models.states import Instrument, RollCall

    words: set[str] = set(FORMATS_AND_UNITS)
    with session_scope(engine) as db:
        words.update(db.scalars(select(User.username)))
        for person in db.scalars(select(Person)):
            words.update(LATIN_WORD.findall(person.name))
        for institution in db.scalars(select(Institution)):
            words.update(LATIN_WORD.findall(institution.short_name or ""))
            if not institution.name_local:
                words.update(LATIN_WORD.findall(institution.name))
        for symbol in db.scalars(select(Instrument.symbol)):
            words.update(LATIN_WORD.findall(symbol))
        for resolution in db.scalars(select(RollCall.resolution)):
            words.update(LATIN_WORD.findall(resolution or ""))
    for country in countries().values():
        words.add(country.iso3)
        if country.iso2:
            words.add(country.iso2)
    return {w.strip("'’") for w in words}


@dataclass
class Site:
    pages: dict[str, str]
    reports: dict[str, bytes]
    allowed: set[str]


def _login(client) -> None:  # type: ignore[no-untyped-def]
    token = CSRF_PATTERN.search(client.get("/login").text)
    assert token
    response = client.post("/login", data={"username": "organizer",
                                           "password": ORGANIZER_PASSWORD, "next": "/",
                                           "csrf_token": token.group(1)},
                           follow_redirects=False)
    assert response.status_code == 303


def _join(client, deliberation: int = 1) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/deliberations/{deliberation}").text
    token = CSRF_PATTERN.search(page)
    assert token, "the deliberation page has no join form"
    client.post(f"/deliberations/{deliberation}/join",
                data={"csrf_token": token.group(1)}, follow_redirects=False)


def _crawl(client, seeds: tuple[str, ...], pages: dict[str, str],  # type: ignore[no-untyped-def]
           role: str) -> None:
    queue = list(seeds)
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages[f"{url} ({role})"] = response.text
        for link in BeautifulSoup(response.text, "lxml").find_all("a", href=True):
            target = urlsplit(urljoin(url, str(link["href"])))
            if target.netloc and target.netloc != "testserver":
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if "lang=en" in path or path.startswith(("/docs", "/api/", "/openapi")):
                continue
            if path not in seen:
                queue.append(path)


def _csrf(client, path: str) -> str:  # type: ignore[no-untyped-def]
    token = CSRF_PATTERN.search(client.get(path).text)
    assert token, f"{path} has no form"
    return token.group(1)


def _vote_and_read_updates(client, engine, pages: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Vote as the participant, then read what the live view and the participant's page are
    sent next, in Chinese: the projector's counts, board and status after the vote, and the
    notices of new statements and of a closed deliberation (the messages of their streams)."""
    import json

    from bs4 import BeautifulSoup as Soup

    from detente.web.routes import deliberation_live as live

    page = client.get("/deliberations/1").text
    form = Soup(page, "lxml").select_one("form.d-vote")
    assert form is not None, "the participant has nothing to vote on"
    voted = client.post("/deliberations/1/vote", data={
        "csrf_token": _csrf(client, "/deliberations/1"),
        "statement": form.select_one("input[name=statement]")["value"], "vote": "1"},
        follow_redirects=False)
    assert voted.status_code == 303
    messages = live._projector_messages(engine, 1, "zh", {"status", "counts", "board"})
    messages += [live._statements_message(1, 3, False, "zh"),
                 live._statements_message(1, 1, True, "zh"),
                 live._status_message(1, "closed", "zh")]
    for number, text in enumerate(messages):
        data = "\n".join(line[len("data: "):] for line in text.splitlines()
                         if line.startswith("data: "))
        payload = json.loads(data)
        if isinstance(payload, dict) and payload.get("html"):
            kind = text.split("\n", 1)[0].removeprefix("event: ")
            pages[f"live update {number} ({kind}, after a vote)"] = (
                f"<html lang='zh-Hans'><body>{payload['html']}</body></html>")


def _refused_forms(client, pages: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Forms sent back with an error, in Chinese: as a participant, then as an organizer
    (log-in refused, a statement too short, a seed line refused, a proposal and an evidence
    link refused). Each must answer 4xx and name what is wrong in Chinese."""
    refused = {}
    refused["statement"] = client.post("/deliberations/1/statements", data={
        "csrf_token": _csrf(client, "/deliberations/1"), "text": "短"})
    refused["login"] = client.post("/login", data={
        "csrf_token": _csrf(client, "/login"), "username": "organizer", "password": "wrong",
        "next": "/"})
    _login(client)
    refused["seed"] = client.post("/deliberations/1/seed", data={
        "csrf_token": _csrf(client, "/deliberations/1/manage"),
        "statements": "Verification of autonomous weapons needs shared test ranges.\nno"})
    refused["proposal"] = client.post("/proposals/new", data={
        "csrf_token": _csrf(client, "/proposals/new"), "event": EVENT, "title": "x" * 301,
        "text": "正文", "status": "draft"})
    refused["evidence"] = client.post("/proposals/1/evidence", data={
        "csrf_token": _csrf(client, "/proposals/1/edit"), "kind": "url",
        "reference": "ftp://example.org", "note": ""})
    refused["new deliberation"] = client.post("/deliberations/new", data={
        "csrf_token": _csrf(client, "/deliberations/new"), "session": "1:1", "question": "ab",
        "status": "open"})
    refused["upload"] = client.post(f"/events/{EVENT}/media", data={
        "csrf_token": _csrf(client, f"/events/{EVENT}/media")},
        files={"file": ("hall.jpg", b"not an image", "image/jpeg")})
    event_form = _csrf(client, f"/events/{EVENT}/edit")
    page = BeautifulSoup(client.get(f"/events/{EVENT}/edit").text, "lxml")
    rows = {name: [str(f.get("value", "")) for f in page.select(f"[name={name}]")]
            for name in ("session_position", "session_title", "session_title_zh")}
    rows["session_chair"] = ["" for _row in rows["session_position"]]
    refused["event"] = client.post(f"/events/{EVENT}/edit", data={
        "csrf_token": event_form, "title": "", "date": "2026-01-14",
        "attribution_policy": "chatham_house", **rows})
    refused["session removal"] = client.post(f"/events/{EVENT}/edit", data={
        "csrf_token": event_form, "title": "Forum", "date": "2026-01-14",
        "attribution_policy": "chatham_house", "remove": "2", **rows})
    assert "人工智能军事应用的红线应划在哪里" in refused["session removal"].text
    for name, response in refused.items():
        assert 400 <= response.status_code < 500, (name, response.status_code)
        assert 'role="alert"' in response.text, name
        pages[f"refused {name} form (organizer)"] = response.text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo of every capability, crawled in Chinese as visitor, participant, organizer."""
    from fastapi.testclient import TestClient

    app, engine = demo_app(tmp_path_factory.mktemp("zh-site"))
    pages: dict[str, str] = {}
    reports: dict[str, bytes] = {}
    with TestClient(app) as client:
        client.cookies.set("detente_lang", "zh")
        _crawl(client, SEEDS, pages, "visitor")
        _join(client)
        _crawl(client, ("/deliberations/1",), pages, "participant")
        _vote_and_read_updates(client, engine, pages)
        _refused_forms(client, pages)
        _crawl(client, SEEDS, pages, "organizer")
        for report in REPORTS:
            response = client.get(report)
            assert response.status_code == 200, report
            reports[report] = response.content
        allowed = names_and_codes(engine)
    engine.dispose()
    yield Site(pages, reports, allowed)


def _fault_report(faults: dict[str, list[str]]) -> str:
    lines = []
    for url, found in faults.items():
        lines.append(f"{url}: {len(found)}")
        lines.extend(f"    {fault}" for fault in found[:15])
    return "\n".join(lines)


def test_the_crawl_reaches_every_kind_of_page(site: Site) -> None:
    kinds = ("/", "/events/", "/sessions/", "/deliberations/1", "/deliberations/1/results",
             "/deliberations/1/manage", "/deliberations/1/live", "/deliberations/new",
             "/states", "/states/alignment", "/states/ideal-points", "/states/roll-calls/",
             "/states/instruments/", "/kb", "/kb/documents/", "/kb/search", "/kb/compare",
             "/kb/gaps", "/kb/taxonomy", "/news", "/news/", "/edit", "/media", "/proposals",
             "/proposals/new", "/login", "/no-such-event", "report.html",
             "live update", "(board, after a vote)", "(counts, after a vote)",
             "(statements, after a vote)", "refused statement", "refused login",
             "refused seed", "refused proposal", "refused evidence", "refused event",
             "refused session removal", "refused new deliberation", "refused upload",
             "/events/ciss-ai-international-security-2026/edit")
    missing = [kind for kind in kinds if not any(kind in url for url in site.pages)]
    assert missing == []
    assert len(site.pages) > 50


def test_every_chinese_page_is_in_chinese(site: Site) -> None:
    faults = {}
    for url, html in site.pages.items():
        found = check_text(read_page(html).text, site.allowed)
        if found:
            faults[url] = found
    assert not faults, "untranslated text or English punctuation:\n" + _fault_report(faults)


def test_interface_text_is_never_marked_as_english_data(site: Site) -> None:
    """``lang="en"`` is for data that exists only in English, not for our own messages."""
    from detente import i18n

    ours = {message for message in i18n._catalog("zh") if len(message) > 3}
    misused = {}
    for url, html in site.pages.items():
        found = sorted({text for text in read_page(html).marked_english if text in ours})
        if found:
            misused[url] = found
    assert misused == {}


def _marked_english(site: Site) -> list[str]:
    html = site.pages[f"/events/{EVENT}/report.html?lang=zh (organizer)"]
    phrases = {" ".join(p.split()) for p in read_page(html).marked_english}
    return sorted((p for p in phrases if p), key=len, reverse=True)


def _without_marked(text: str, phrases: list[str]) -> str:
    text = " ".join(text.replace("\\", "").split())
    for phrase in phrases:
        text = text.replace(phrase, " \ue000 ")
    return text


def test_the_markdown_report_is_in_chinese(site: Site) -> None:
    markdown = site.reports[REPORTS[0]].decode()
    phrases = _marked_english(site)
    lines = [_without_marked(line, phrases) for line in markdown.splitlines()]
    faults = check_text([line.replace("|", " ") for line in lines], site.allowed)
    assert faults == []


def test_the_pdf_report_is_in_chinese(site: Site, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(site.reports[REPORTS[1]])
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    # Words broken across lines, and table cells wrapped, are read a word at a time.
    text = re.sub(r"[\u2010-]\n", "", text)
    # A line that breaks between two Chinese characters is one run of text ("（无中\n文文本）").
    text = re.sub(rf"(?<=[{CJK}])\n(?=[{CJK}])", "", text)
    text = MARKED_AS_ENGLISH.sub(" \ue000（无中文文本）", " ".join(text.split()))
    allowed = set(site.allowed)
    for phrase in _marked_english(site):
        allowed.update(w.strip("'’") for w in LATIN_WORD.findall(phrase))
    words = sorted(set(english_words(text, allowed)))
    assert words == []



def test_deliberation_says_butongyi_for_disagree(site: Site) -> None:
    """Deliberation writes 不同意 for disagree everywhere (the live view's shares, the command
    line's consensus lines, reports); 反对 is the word of UN votes on the state-position pages,
    not of deliberation. Every message about disagreeing is checked, and the pages shown."""
    from detente import i18n

    messages = {m: str(t) for m, t in i18n._catalog("zh").items() if "disagree" in m.lower()}
    assert len(messages) >= 5
    assert {m: t for m, t in messages.items() if "反对" in t or "不同意" not in t} == {}
    deliberation = {url: html for url, html in site.pages.items()
                    if "/deliberations" in url or url.startswith("live update")}
    assert any("不同意" in html for html in deliberation.values())
    assert [url for url, html in deliberation.items() if "反对" in html] == []
