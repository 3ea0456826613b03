"""/docs: the OpenAPI 3.1 reference renders in a browser from this origin alone, under the
site's content security policy; /favicon.ico is served."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def test_docs_page_keeps_the_content_security_policy(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # started from /static/docs.js, never inline
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


def test_favicon_is_an_icon_of_our_own(client) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # ICO header
    page = client.get("/login").text
    assert 'rel="icon" href="/favicon.ico"' in page
    assert client.get("/static/favicon.svg").headers["content-type"].startswith("image/svg")


def test_favicon_svg_matches_its_drawing() -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "favicon.py"
    checked = subprocess.run([sys.executable, str(script), "--check"], check=False)
    assert checked.returncode == 0, "the SVG differs from scripts/favicon.py: run it"


@pytest.mark.browser
def test_docs_render_every_operation_offline(page, live_server) -> None:
    schema = page.request.get(f"{live_server.url}/openapi.json").json()
    operations = sum(1 for item in schema["paths"].values() for method in item
                     if method in HTTP_METHODS)
    outside: list[str] = []

    def only_our_origin(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.route("**/*", only_our_origin)
    page.goto(f"{live_server.url}/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == operations
    assert page.locator(".opblock-summary-path", has_text="/api/events").count() >= 1
    assert page.locator("h1:visible").count() == 1  # Swagger UI's own title block is not shown
    assert not outside, outside
    assert not errors, errors  # a CSP refusal would show here
