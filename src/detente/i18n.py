"""Interface languages: English and Simplified Chinese through gettext PO catalogs.

Each capability keeps its own catalog at ``locale/<locale>/LC_MESSAGES/<capability>.po``;
this module reads them all with Babel and merges them into one catalog per locale. English
text is the message id itself, so English needs no catalog. The language in force is held in
a context variable, set per request by the web app and per command by the CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Protocol

__all__ = [
    "DEFAULT_LANGUAGE",
    "ENGINE_MESSAGES",
    "LANGUAGES",
    "current_language",
    "error_location",
    "error_message",
    "error_text",
    "gettext",
    "has_chinese",
    "negotiate",
    "ngettext",
    "paren",
    "punct",
    "use_language",
]

LOCALE_DIR = Path(__file__).parent / "locale"

#: Interface languages: code -> (catalog folder, name shown in the switch).
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("en", "English"),
    "zh": ("zh_Hans", "中文"),
}
DEFAULT_LANGUAGE = "en"

_language: ContextVar[str] = ContextVar("detente_language", default=DEFAULT_LANGUAGE)


@cache
def _catalog(language: str) -> dict[str, str | tuple[str, ...]]:
    """Every translated message of ``language``, merged from all capabilities' PO files."""
    from babel.messages.pofile import read_po  # only once a translation is asked for

    folder = LOCALE_DIR / LANGUAGES[language][0] / "LC_MESSAGES"
    messages: dict[str, str | tuple[str, ...]] = {}
    for po_file in sorted(folder.glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=LANGUAGES[language][0])
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            string = message.string
            messages[key] = string if isinstance(string, str) else tuple(string)
    return messages


def current_language() -> str:
    """The interface language in force ("en" or "zh")."""
    return _language.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Run a block with ``language`` as the interface language."""
    token = _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def set_language(language: str) -> None:
    """Set the interface language for the rest of the current context (one request)."""
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def gettext(message: str) -> str:
    """``message`` in the current language, or ``message`` itself when untranslated."""
    if _language.get() == DEFAULT_LANGUAGE:
        return message
    translated = _catalog(_language.get()).get(message)
    if isinstance(translated, tuple):
        translated = translated[0]
    return translated or message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for count ``n``."""
    if _language.get() != DEFAULT_LANGUAGE:
        translated = _catalog(_language.get()).get(singular)
        if isinstance(translated, tuple) and translated and translated[0]:
            return translated[0]
        if isinstance(translated, str) and translated:
            return translated
    return singular if n == 1 else plural


def negotiate(accept_language: str | None) -> str:
    """Pick the interface language from an Accept-Language header (q-values respected)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, tag))
    for negative_quality, _index, tag in sorted(ranked):
        if negative_quality >= 0:
            continue
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def pick(english: str | None, local: str | None) -> str | None:
    """The Chinese form of a name or text under the Chinese interface when known, else English."""
    if _language.get() == "zh" and local:
        return local
    return english or local


#: Punctuation by interface language: Chinese text takes full-width marks (，。：；、（）“”).
_PUNCTUATION: dict[str, dict[str, str]] = {
    "en": {"comma": ", ", "enum": ", ", "colon": ": ", "semicolon": "; ", "stop": ".",
           "open": " (", "close": ")", "lquote": "“", "rquote": "”"},
    "zh": {"comma": "，", "enum": "、", "colon": "：", "semicolon": "；", "stop": "。",
           "open": "（", "close": "）", "lquote": "“", "rquote": "”"},
}


def punct(name: str) -> str:
    """A punctuation mark in the interface language: ``comma``, ``enum`` (between list items:
    "、" in Chinese), ``colon``, ``semicolon``, ``stop``, ``open``/``close`` (brackets, with the
    space English puts before one), ``lquote``/``rquote``."""
    return _PUNCTUATION.get(_language.get(), _PUNCTUATION["en"])[name]


def paren(text: object) -> str:
    """``text`` in brackets as the interface language writes them: " (x)" or "（x）" (markup
    stays markup, so that a template does not escape it twice)."""
    if hasattr(text, "__html__"):
        from markupsafe import Markup, escape

        return Markup(escape(punct("open")) + escape(text) + escape(punct("close")))
    return f"{punct('open')}{text}{punct('close')}"


def has_chinese(text: object) -> bool:
    """Whether ``text`` holds any Chinese character (a message left in English does not)."""
    return any("\u3400" <= char <= "\u9fff" for char in str(text or ""))


def _quoted(value: object) -> str:
    return f"{punct('lquote')}{value}{punct('rquote')}"


#: The consensus engine's error codes (``code`` of its :class:`detente.errors.DetenteError`)
#: and their messages, said in the interface language by the CLI and the web app (the engine
#: raises them in English; tests/consensus/test_cli.py checks that every code it raises is
#: here and translated).
ENGINE_MESSAGES: dict[str, str] = {
    "vote-value": "vote %(vote)s is not one of -1, 0, 1",
    "not-utf8-byte": "not UTF-8 text (byte %(byte)s); save the file as UTF-8 and try again",
    "not-utf8": "not UTF-8 text (%(reason)s); save the file as UTF-8 and try again",
    "cannot-open": "cannot open: %(reason)s",
    "not-csv": "not a CSV file: %(reason)s",
    "missing-columns": "missing column(s) %(columns)s in header",
    "row-fields": "row has %(fields)s fields, the header has %(header)s",
    "bad-csv-row": "not a valid CSV row: %(reason)s",
    "empty-column": "empty %(column)s",
    "timestamp-not-number": "timestamp %(value)s is not a number",
    "timestamp-not-finite": "timestamp %(value)s is not finite",
    "moderated-value": "moderated %(value)s is not -1, 0 or 1",
    "unknown-comment-column": "column for comment %(comment)s, which comments.csv does not have",
    "not-a-folder": "not a folder",
    "unknown-comment-vote": "vote on comment %(comment)s, which comments.csv does not have",
    "no-votes-file": "no votes.csv or participants-votes.csv",
    "needs-timestamps": "replaying the update history needs vote timestamps (a timestamp "
                        "column)",
}


def _engine_message(code: str, params: dict[str, object]) -> str | None:
    """The message of the consensus engine's error ``code`` in the interface language, or None
    for a code not known here (its English message stands)."""
    found = ENGINE_MESSAGES.get(code)
    if found is None:
        return None
    values = {name: _quoted(value) if name in ("vote", "value", "comment") else value
              for name, value in params.items()}
    columns = params.get("columns")
    if isinstance(columns, list):
        values["columns"] = punct("enum").join(map(str, columns))
    try:
        return gettext(found) % values
    except (KeyError, TypeError, ValueError):  # params that do not fit: the English stands
        return None



class _Error(Protocol):
    """What :func:`error_text` reads of a :class:`detente.errors.DetenteError`."""

    message: str
    location: str | None
    code: str | None
    params: dict[str, object]


def error_message(exc: _Error) -> str:
    """What an error says, in the interface language: the consensus engine raises its errors
    in English (it knows no interface language), so one with a ``code`` is said from it."""
    if exc.code and _language.get() != DEFAULT_LANGUAGE:
        return _engine_message(exc.code, exc.params) or exc.message
    return exc.message


def error_location(exc: _Error) -> str | None:
    """Where an error is, in the interface language (an engine error's "FILE column N")."""
    location = exc.location
    column = exc.params.get("column")
    if (exc.code and _language.get() != DEFAULT_LANGUAGE and location and column is not None
            and location.endswith(f" column {column}")):
        return gettext("%(where)s column %(column)s") % {
            "where": location[: -len(f" column {column}")], "column": column}
    return location


def error_text(exc: _Error) -> str:
    """An error as a person reads it, in the interface language: where, the colon of the
    language, and what is wrong."""
    location = error_location(exc)
    message = error_message(exc)
    return f"{location}{punct('colon')}{message}" if location else message
