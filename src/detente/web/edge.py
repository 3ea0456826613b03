"""The web edge: what every request must satisfy before a handler sees it.

- **Ids**: every integer id in a path, a form or an API body has the one type :data:`Id`
  (:data:`FormId`, :data:`BodyId`): 1 to :data:`MAX_ID`, the largest value of a PostgreSQL
  ``integer`` column (SQLite could hold more, but no record of ours gets there). A larger or
  negative id is refused with 422 before it reaches the database, on both backends. A test
  walks the app's routes and fails for an integer path parameter of any other type.
- **Strict API bodies**: JSON bodies are :class:`StrictModel` s: ``"1"``, ``1.0`` and ``true``
  are not the integer 1, unknown fields are refused.
- **NUL bytes and lengths**: :func:`check_input`, a dependency of every route, refuses (422)
  a NUL character in a path parameter, a query parameter or a form field (names, values and
  upload file names) and any such value longer than :data:`MAX_FIELD_CHARS`
  (:data:`MAX_QUERY_CHARS` in a URL). PostgreSQL cannot store NUL in text, and no field of
  ours has a use for it. API bodies declare the same rules in their types (:data:`NO_NUL`).
- **Body size**: no request body larger than :data:`MAX_BODY_BYTES` is read (413).
- **Download names**: :func:`content_disposition` writes any file name, Chinese included,
  into a ``Content-Disposition`` header as RFC 6266 and RFC 5987 say: an ASCII ``filename``
  for old clients and the exact name as UTF-8 in ``filename*``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Form, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile

from detente.i18n import gettext as _
from detente.reports import MAX_UPLOAD_BYTES

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_FIELD_CHARS",
    "MAX_ID",
    "MAX_QUERY_CHARS",
    "MAX_YEAR",
    "NO_NUL",
    "BodyId",
    "FormId",
    "Id",
    "StrictModel",
    "check_input",
    "content_disposition",
    "validation_messages",
]

#: Largest id: PostgreSQL's ``integer`` (every primary key of detente is one).
MAX_ID = 2**31 - 1
#: Largest year or UN General Assembly session number accepted in a query.
MAX_YEAR = 9999
#: Longest text accepted in one form field (a news body or a proposal fits many times over).
MAX_FIELD_CHARS = 100_000
#: Longest value accepted in a path or query parameter.
MAX_QUERY_CHARS = 2_000
#: Largest request body: an upload of the largest file accepted plus its form fields (413 above).
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
#: Pattern of text without NUL characters (declared in the OpenAPI schema of API bodies).
NO_NUL = r"^[^\x00]*$"

_ID_HELP = f"A record id, 1 to {MAX_ID}."

#: An id in a URL path.
Id = Annotated[int, Path(ge=1, le=MAX_ID, description=_ID_HELP)]
#: An id in a form field.
FormId = Annotated[int, Form(ge=1, le=MAX_ID, description=_ID_HELP)]
#: An id in a JSON body: a JSON integer, never a string, float or boolean.
BodyId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description=_ID_HELP)]


class StrictModel(BaseModel):
    """Base of every JSON body the API accepts: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _problems(location: str, items: Iterable[tuple[str, Any]], limit: int
              ) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for name, value in items:
        texts = [(_("name"), name)]
        if isinstance(value, str):
            texts.append((_("value"), value))
        elif isinstance(value, UploadFile) and value.filename:
            texts.append((_("file name"), value.filename))
        for what, text in texts:
            if "\x00" in text:
                found.append({"type": "string_nul", "loc": (location, name),
                              "msg": _("the %(what)s contains a NUL character") % {
                                  "what": what},
                              "input": text[:80]})
            elif len(text) > limit:
                found.append({"type": "string_too_long", "loc": (location, name),
                              "msg": _("the %(what)s is longer than %(n)s characters") % {
                                  "what": what, "n": f"{limit:,}"},
                              "input": text[:80]})
    return found


async def check_input(request: Request) -> None:
    """Refuse (422) NUL characters and over-long values in the path, query and form fields.

    Runs before every handler (an app-wide dependency). The form is read once: FastAPI and
    :func:`detente.web.security.verify_csrf` get the same parsed form afterwards.
    """
    problems = _problems("path", request.path_params.items(), MAX_QUERY_CHARS)
    problems += _problems("query", request.query_params.multi_items(), MAX_QUERY_CHARS)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        problems += _problems("body", form.multi_items(), MAX_FIELD_CHARS)
    if problems:
        raise RequestValidationError(problems)


def validation_messages(exc: RequestValidationError) -> list[str]:
    """One line per problem of a refused request, naming the field, for people to read."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "-"
        lines.append(f"{where}: {error.get('msg', '')}")
    return lines


def content_disposition(disposition: str, filename: str) -> str:
    """A ``Content-Disposition`` value (``inline`` or ``attachment``) naming ``filename`` (any
    script) per RFC 6266.

    ``filename`` is an ASCII stand-in (accents dropped, other characters, quotes, slashes and
    control characters replaced by ``_``); ``filename*`` carries the exact name in UTF-8,
    percent-encoded (RFC 5987), and is what current browsers use.
    """
    name = "".join(c for c in filename if unicodedata.category(c)[0] != "C")
    name = name.replace("/", "_").replace("\\", "_").strip() or "download"

    def ascii_only(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return "".join(c if c.isalnum() or c in " .-_()[]+,;=@!#$&~" else "_" for c in plain)

    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    fallback_stem = ascii_only(stem)
    if not fallback_stem[:1].isalnum():  # "会场-thumb" -> "download-thumb"
        fallback_stem = "download" + (fallback_stem if fallback_stem.strip("_ .-") else "")
    fallback = fallback_stem + dot + ascii_only(extension)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
