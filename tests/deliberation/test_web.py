"""Deliberation pages: the no-JavaScript participant flow, results, organizer tools, security."""

from __future__ import annotations

import io
import re
import time
import zipfile

from sqlalchemy import Engine, select

from detente.store import session_scope
from detente.store.models.auth import AuditEntry
from detente.store.models.deliberation import DeliberationStatement, DeliberationVote

from .conftest import CSRF, join_web, make_client, make_deliberation

STATEMENT = re.compile(r'name="statement" value="(\d+)"')


def test_participant_joins_votes_through_plain_forms_and_cookie_is_httponly(
        fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    page = fast_client.get(f"/deliberations/{d}")
    token = CSRF.search(page.text).group(1)
    response = fast_client.post(f"/deliberations/{d}/join", data={"csrf_token": token},
                                follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and f"Path=/deliberations/{d}" in cookie
    assert response.headers["location"] == f"/deliberations/{d}"  # no token in the URL
    seen = []
    for _ in range(6):
        page = fast_client.get(f"/deliberations/{d}")
        statement = STATEMENT.search(page.text).group(1)
        assert statement not in seen
        seen.append(statement)
        response = fast_client.post(f"/deliberations/{d}/vote", follow_redirects=False,
                                    data={"csrf_token": token, "statement": statement,
                                          "vote": "1"})
        assert response.status_code == 303
    assert "voted on every statement" in fast_client.get(f"/deliberations/{d}").text
    with session_scope(demo_engine) as db:
        assert len(list(db.scalars(select(DeliberationVote)))) == 6


def test_vote_form_without_csrf_token_is_refused(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    join_web(fast_client, d)
    response = fast_client.post(f"/deliberations/{d}/vote",
                                data={"csrf_token": "forged", "statement": "1", "vote": "1"})
    assert response.status_code == 403


def test_statement_with_markup_is_shown_escaped(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine, seeds=["<script>alert('x')</script> is a statement"])
    join_web(fast_client, d)
    page = fast_client.get(f"/deliberations/{d}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_duplicate_statement_is_refused_saying_which(fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    token = join_web(fast_client, d)
    response = fast_client.post(f"/deliberations/{d}/statements", data={
        "csrf_token": token, "text": "LETHAL autonomous weapons should be banned by treaty!"})
    assert response.status_code == 409
    assert "repeats a statement already made" in response.text
    assert "Lethal autonomous weapons should be banned by treaty." in response.text


def test_results_page_says_not_enough_votes_before_any_result(
        fast_client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    page = fast_client.get(f"/deliberations/{d}/results")
    assert page.status_code == 200 and "Not enough votes yet" in page.text
    assert "<svg" not in page.text


def test_results_recompute_in_background_and_show_groups_and_my_group(
        fast_client, demo_engine: Engine) -> None:
    from .test_results import two_camps

    d = make_deliberation(demo_engine)
    two_camps(demo_engine, d, 16)
    token = join_web(fast_client, d)
    for _ in range(6):
        statement = STATEMENT.search(fast_client.get(f"/deliberations/{d}").text).group(1)
        fast_client.post(f"/deliberations/{d}/vote", data={
            "csrf_token": token, "statement": statement, "vote": "1"})
    deadline = time.monotonic() + 10
    page = ""
    while time.monotonic() < deadline:
        page = fast_client.get(f"/deliberations/{d}/results").text
        if "<svg" in page and "You are in Opinion group" in page:
            break
        time.sleep(0.1)
    assert "<circle" in page and "Opinion group A" in page and "Opinion group B" in page
    assert "You are in Opinion group" in page
    assert "Computed" in page
    chinese = fast_client.get(f"/deliberations/{d}/results?lang=zh").text
    assert "<circle" in chinese and "观点群组A" in chinese and "观点分布图" in chinese


def test_organizer_pages_redirect_to_login_when_logged_out(client, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    for path in (f"/deliberations/{d}/manage", "/deliberations/new",
                 f"/deliberations/{d}/export.zip"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_organizer_creates_seeds_moderates_and_closes_with_audit(
        organizer, demo_engine: Engine) -> None:
    client = organizer
    token = CSRF.search(client.get("/deliberations/new").text).group(1)
    response = client.post("/deliberations/new", follow_redirects=False, data={
        "csrf_token": token, "session": "1:2", "question": "Is verification possible?",
        "question_local": "核查可行吗？", "allow_statements": "true", "status": "open"})
    assert response.status_code == 303
    d = int(response.headers["location"].split("/")[2])
    client.post(f"/deliberations/{d}/seed", data={
        "csrf_token": token, "statements": "First seeded statement here\nSecond seeded one here"})
    with session_scope(demo_engine) as db:
        first = db.scalar(select(DeliberationStatement.id)
                          .where(DeliberationStatement.deliberation_id == d))
    client.post(f"/deliberations/{d}/moderate/{first}",
                data={"csrf_token": token, "decision": "rejected"})
    client.post(f"/deliberations/{d}/status", data={"csrf_token": token, "status": "closed"})
    page = client.get(f"/deliberations/{d}/manage").text
    assert "Rejected the statement" in page and "Closed the deliberation" in page
    with session_scope(demo_engine) as db:
        actions = set(db.scalars(select(AuditEntry.action)))
    assert {"deliberation.create", "deliberation.seed", "statement.rejected",
            "deliberation.close"} <= actions


def test_organizer_moderation_form_without_csrf_is_refused(organizer, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    response = organizer.post(f"/deliberations/{d}/status", data={"status": "closed"})
    assert response.status_code == 403


def test_invitation_link_is_exchanged_for_a_cookie_once(organizer, demo_engine: Engine) -> None:
    client = organizer
    d = make_deliberation(demo_engine, invite_only=True)
    token = CSRF.search(client.get(f"/deliberations/{d}/manage").text).group(1)
    page = client.post(f"/deliberations/{d}/invites",
                       data={"csrf_token": token, "count": "2"}).text
    links = re.findall(r"<code>(http[^<]+)</code>", page)
    assert len(links) == 2
    path = links[0].split("testserver", 1)[1]
    assert "Accept the invitation" in client.get(path).text
    response = client.post(path, data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/deliberations/{d}"
    assert "HttpOnly" in response.headers["set-cookie"]
    again = client.post(path, data={"csrf_token": token})
    assert again.status_code == 410 and "already been used" in again.text
    assert "Accept the invitation" not in again.text
    client.cookies.delete(f"detente_p{d}", path=f"/deliberations/{d}")
    used = client.get(path)
    assert used.status_code == 410 and "already been used" in used.text
    assert "Accept the invitation" not in used.text


def test_export_download_is_a_polis_zip(organizer, demo_engine: Engine) -> None:
    from .test_results import two_camps

    d = make_deliberation(demo_engine)
    two_camps(demo_engine, d, 6)
    response = organizer.get(f"/deliberations/{d}/export.zip")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(n.split("/")[1] for n in names) == [
        "comments.csv", "participants-votes.csv", "votes.csv"]


def test_web_votes_over_the_rate_limit_get_429(settings, demo_engine: Engine) -> None:
    d = make_deliberation(demo_engine)
    with make_client(settings, vote_rate_limit="2/60") as client:
        token = join_web(client, d)
        codes = []
        for _ in range(3):
            statement = STATEMENT.search(client.get(f"/deliberations/{d}").text).group(1)
            codes.append(client.post(f"/deliberations/{d}/vote", follow_redirects=False, data={
                "csrf_token": token, "statement": statement, "vote": "0"}).status_code)
    assert codes == [303, 303, 429]


def test_pages_fit_a_phone_and_list_shows_simulated_label(client, demo_engine: Engine) -> None:
    from detente.deliberation import load_demo_deliberation

    load_demo_deliberation(demo_engine)
    page = client.get("/deliberations").text
    assert "Simulated data" in page
    css = client.get("/static/deliberation.css").text
    assert "@media (max-width" in css


def test_every_deliberation_interface_text_has_a_chinese_translation() -> None:
    from pathlib import Path

    from detente import i18n

    root = Path(i18n.__file__).parent / "web"
    sources = [*sorted((root / "templates" / "deliberation").glob("*.html")),
               root / "routes" / "deliberation.py"]
    pattern = re.compile(r"""\b_\(\s*'((?:[^'\\]|\\.)*)'|\b_\(\s*"([^"]*)"\s*\)""")
    missing = []
    with i18n.use_language("zh"):
        for path in sources:
            for single, double in pattern.findall(path.read_text(encoding="utf-8")):
                message = (single or double).replace("\\'", "'")
                if message and i18n.gettext(message) == message:
                    missing.append(f"{path.name}: {message}")
    assert missing == []
