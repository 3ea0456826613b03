"""Pure ASGI middleware: trusted proxies, the interface language and security headers.

Pure ASGI (not BaseHTTPMiddleware) keeps the per-request cost low on the vote path.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from detente import i18n

__all__ = ["LANGUAGE_COOKIE", "LanguageMiddleware", "SecurityHeadersMiddleware",
           "trusted_proxy_middleware"]

LANGUAGE_COOKIE = "detente_lang"

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
        b"form-action 'self'",
    ),
]


def trusted_proxy_middleware(app: ASGIApp, networks: list[str]) -> ASGIApp:
    """Believe ``X-Forwarded-For`` / ``X-Forwarded-Proto`` only from these proxies.

    uvicorn's ``ProxyHeadersMiddleware`` does the work: when the peer is one of ``networks``
    (addresses or CIDR networks), the client is the right-most address of X-Forwarded-For that
    is not itself a trusted proxy; from anyone else the headers are ignored, so a client cannot
    choose the address that per-address and log-in limits count. With no networks, the peer
    is always the client.
    """
    if not networks:
        return app
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    # uvicorn types an ASGI app with its own TypedDict scopes and events, Starlette with plain
    # mappings: the same callable under two spellings that mypy cannot match.
    return ProxyHeadersMiddleware(app, trusted_hosts=networks)  # type: ignore[arg-type,return-value]


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {key.lower(): value for key, value in scope.get("headers", [])}


class LanguageMiddleware:
    """Sets the request's interface language: ``?lang=``, then the cookie, then Accept-Language.

    A ``?lang=`` choice is remembered in a cookie so that the visible switch sticks.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        chosen = query.get("lang", [None])[0]
        if chosen not in i18n.LANGUAGES:
            chosen = None
        headers = _headers(scope)
        language = chosen
        if language is None:
            cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
            stored = cookie.get(LANGUAGE_COOKIE)
            if stored is not None and stored.value in i18n.LANGUAGES:
                language = stored.value
        if language is None:
            language = i18n.negotiate(headers.get(b"accept-language", b"").decode("latin-1"))
        i18n.set_language(language)
        scope.setdefault("state", {})["language"] = language

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"content-language", b"zh-Hans" if language == "zh" else b"en")]
                if chosen:
                    extra.append((
                        b"set-cookie",
                        f"{LANGUAGE_COOKIE}={chosen}; Path=/; Max-Age=31536000; "
                        f"SameSite=Lax".encode(),
                    ))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class SecurityHeadersMiddleware:
    """Adds nosniff, frame denial, referrer policy and a same-origin content security policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in SECURITY_HEADERS:
                    if key not in present:
                        headers.append((key, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
