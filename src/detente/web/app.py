"""The FastAPI application factory.

The routes of every capability in :data:`detente.capabilities.CAPABILITIES` are included; a
capability's ``lifespan(app)`` (an async context manager) is entered while the app runs, which
is how background workers start and stop.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import HTTPException as FastAPIHTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from detente import __version__, capabilities, i18n
from detente.errors import DetenteError
from detente.runtime import connect, watch_parent
from detente.settings import Settings, load_settings
from detente.store import create_db_engine
from detente.web.edge import MAX_BODY_BYTES, check_input, validation_messages
from detente.web.middleware import (
    LanguageMiddleware,
    SecurityHeadersMiddleware,
    trusted_proxy_middleware,
)
from detente.web.navigation import NAV_ITEMS
from detente.web.security import LoginRequired
from detente.web.templating import render

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app over the database that ``settings`` names."""
    settings = settings or load_settings()
    routes = capabilities.routes()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if multiprocessing.parent_process() is not None:
                # A worker that uvicorn started: exit if uvicorn is killed, never linger.
                watch_parent(os.getppid())
            await app.state.shared.start()
            stack.push_async_callback(app.state.shared.stop)
            for capability in routes:
                if capability.lifespan is not None:
                    await stack.enter_async_context(capability.lifespan(app))
            yield

    app = FastAPI(
        title="detente",
        version=__version__,
        description=(
            "Forum records, deliberations, state positions and the governance knowledge base "
            "of detente. Participants authenticate with `Authorization: Bearer TOKEN`."
        ),
        lifespan=lifespan,
        docs_url=None,
        openapi_url="/openapi.json",
        redoc_url=None,
        # Every route: NUL characters and over-long values refused at the edge (422).
        dependencies=[Depends(check_input)],
        max_body_size=MAX_BODY_BYTES,
    )
    app.state.settings = settings
    app.state.engine = create_db_engine(settings.database_url)
    # Rate limits and notifications: Redis when DETENTE_REDIS_URL is set, else this process.
    app.state.shared = connect(settings)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="detente_session",
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=14 * 24 * 3600,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    # Outermost: every layer below sees the client address a trusted proxy reported.
    app.add_middleware(trusted_proxy_middleware, networks=settings.proxy_networks)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_api_docs(app)
    _add_favicon(app)
    for capability in routes:
        app.include_router(capability.router)
    _add_error_handlers(app)
    return app


def _add_api_docs(app: FastAPI) -> None:
    """The API reference at /docs: Swagger UI 5 (reads OpenAPI 3.1) from the installed
    fastapi-swagger package, served from this origin under the same content security policy
    as every page (its start-up script is /static/docs.js, never inline), never a CDN."""
    from importlib.resources import files

    assets = Path(str(files("fastapi_swagger") / "resources"))
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def _docs(request: Request) -> Response:
        return render(request, "docs.html", {"openapi_url": app.openapi_url,
                                             "description": app.description})


def _add_favicon(app: FastAPI) -> None:
    """/favicon.ico, which browsers ask for whatever the page links (drawn by
    scripts/favicon.py)."""

    @app.get("/favicon.ico", include_in_schema=False)
    async def _favicon() -> Response:
        return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon",
                            headers={"Cache-Control": "public, max-age=86400"})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _section_of(path: str) -> tuple[str, str] | None:
    """The section of the site's navigation that ``path`` belongs to (its path and English
    label), or None for the events (``/``) and paths outside every section."""
    found = [(p, label) for p, label in NAV_ITEMS
             if p != "/" and (path == p or path.startswith(p.rstrip("/") + "/"))]
    return max(found, key=lambda item: len(item[0]), default=None)


def _error_page(request: Request, status: int, message: str) -> Response:
    """The error page, with a way back to the section the failed page belongs to (a missing
    instrument under /states leads back to /states) as well as to the events."""
    return render(request, "error.html",
                  {"status": status, "message": message, "section": _section_of(request.url.path)},
                  status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DetenteError)
    async def _domain_error(request: Request, exc: DetenteError) -> Response:
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        # in the interface language (the consensus engine's errors are said from their code)
        if _wants_json(request):
            return JSONResponse({"detail": i18n.error_text(exc)}, status_code=exc.status_code,
                                headers=headers)
        response = _error_page(request, exc.status_code, i18n.error_text(exc))
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request) or exc.status_code < 400:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        message = i18n.gettext("Page not found") if exc.status_code == 404 else str(exc.detail)
        return _error_page(request, exc.status_code, message)

    app.exception_handler(FastAPIHTTPException)(_http_error)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        message = "; ".join(validation_messages(exc))
        return _error_page(request, 422, message)
