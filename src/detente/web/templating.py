"""Jinja2 templates with the gettext catalogs, escaping and the helpers pages share."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from detente import charts, i18n
from detente.web.navigation import NAV_ITEMS
from detente.web.security import csrf_field, csrf_token

__all__ = ["render", "render_fragment", "templates"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
#: Macros shared with the printed report (``{% from "macros.html" import ... %}``).
SHARED_TEMPLATES_DIR = Path(__file__).parents[1] / "templates"

templates = Jinja2Templates(directory=[TEMPLATES_DIR, SHARED_TEMPLATES_DIR])
_env = templates.env
_env.autoescape = True
_env.add_extension("jinja2.ext.i18n")
# The i18n extension adds install_gettext_callables to the environment when it is added.
_env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
_env.globals.update(
    charts=charts,
    pick=i18n.pick,
    punct=i18n.punct,
    paren=i18n.paren,
    has_chinese=i18n.has_chinese,
    current_language=i18n.current_language,
    languages=i18n.LANGUAGES,
    nav_items=NAV_ITEMS,
)


def _format_date(value: Any) -> str:
    if value is None:
        return ""
    if i18n.current_language() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%B')} {value.year}"


_env.filters["date"] = _format_date

#: A quoted run holding Latin letters: a record's identifier or a value as typed.
_QUOTED_LATIN = re.compile(r"“([^“”]*[A-Za-z][^“”]*)”")


def _mark_quoted_latin(message: Any) -> Markup:
    """``message`` escaped, each quoted identifier or value in Latin letters marked as English
    (a Chinese sentence names the record it could not find by its Latin id)."""
    escaped = str(escape(message))
    return Markup(_QUOTED_LATIN.sub(r'“<span lang="en">\1</span>”', escaped))


_env.filters["mark_quoted_latin"] = _mark_quoted_latin


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Render template ``name`` for ``request`` in the request's language."""
    values = {
        "request": request,
        "csrf_field": lambda: csrf_field(request),
        "csrf_token": lambda: csrf_token(request),
        "user": getattr(request.state, "user", None),
        "lang": i18n.current_language(),
    }
    values.update(context or {})
    return templates.TemplateResponse(request, name, values, status_code=status_code)


def render_fragment(name: str, context: dict[str, Any] | None = None) -> str:
    """Render template ``name`` (a fragment, no request) in the current language, e.g. for a
    server-sent event that replaces part of a page."""
    values: dict[str, Any] = {"lang": i18n.current_language()}
    values.update(context or {})
    return _env.get_template(name).render(values)
