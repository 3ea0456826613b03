"""The capabilities of detente, in one typed list: :data:`CAPABILITIES`.

Each entry says what one capability adds to the shared surfaces: its top-level ``detente``
commands, its web routes, its entries in the site's navigation and its demo loader. The CLI
(:mod:`detente.cli`), the web app (:func:`detente.web.app.create_app`, and the navigation of
:mod:`detente.web.templating`) and ``detente demo`` (:mod:`detente.demo`) read this list and
nothing else, so adding a capability means adding its own modules and one entry here.

Importing this module is cheap: it imports nothing but the standard library. Every reference
to a capability's code sits inside a small loader function that imports it when called, so
``detente --help`` lists the commands without importing numpy, FastAPI or WeasyPrint, and a
command imports only what it runs.

Store models and migrations are not listed here: :mod:`detente.store.models` imports every
model module by name in one place, and Alembic finds each capability's migration branch in
``store/migrations/versions``. Interface catalogs are the PO files in ``locale/``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter, FastAPI
    from sqlalchemy import Engine

__all__ = [
    "CAPABILITIES",
    "Capability",
    "Command",
    "NavItem",
    "Routes",
    "command_help",
    "commands",
    "demo_loaders",
    "navigation",
    "routes",
]

#: Adds one or more commands to the root ``detente`` Typer app.
Register = Callable[["typer.Typer"], None]
#: Loads and runs one capability's demo data into a database; returns what it did.
DemoLoader = Callable[["Engine"], object]


@dataclass(frozen=True)
class Command:
    """A top-level command: its name, one line of help (shown by ``detente --help`` before
    the command's module is imported, and the start of the command's own help: the module
    takes it from here, :func:`command_help`) and the loader of the hook that registers it."""

    name: str
    help: str
    register: Callable[[], Register]


@dataclass(frozen=True)
class Routes:
    """A capability's web routes, and the background work started while the app runs."""

    router: APIRouter
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None


@dataclass(frozen=True)
class NavItem:
    """A link in the site's main navigation; ``label`` is English, translated when shown."""

    path: str
    label: str


@dataclass(frozen=True)
class Capability:
    """What one capability adds to the CLI, the web app, the navigation and the demo."""

    name: str
    commands: tuple[Command, ...] = ()
    routes: Callable[[], Routes] | None = None
    navigation: tuple[NavItem, ...] = ()
    demo: Callable[[], DemoLoader] | None = None


# --- loaders: each imports its capability's module only when called ---------------------------


def _db_cli() -> Register:
    from detente.cli.db import register

    return register


def _server_cli() -> Register:
    from detente.cli.serve import register

    return register


def _user_cli() -> Register:
    from detente.cli.user import register

    return register


def _auth_routes() -> Routes:
    from detente.web.routes.auth import router

    return Routes(router)


def _forum_cli() -> Register:
    from detente.cli.forum import register

    return register


def _forum_routes() -> Routes:
    from detente.web.routes.forum import router

    return Routes(router)


def _forum_demo() -> DemoLoader:
    from detente.forum import load_demo_forum

    return load_demo_forum


def _consensus_cli() -> Register:
    from detente.cli.consensus import register

    return register


def _states_cli() -> Register:
    from detente.cli.states import register

    return register


def _states_routes() -> Routes:
    from detente.web.routes.states import router

    return Routes(router)


def _states_demo() -> DemoLoader:
    from detente.states import load_demo_states

    return load_demo_states


def _deliberation_cli() -> Register:
    from detente.cli.deliberation import register

    return register


def _deliberation_routes() -> Routes:
    from detente.web.routes.deliberation import lifespan, router

    return Routes(router, lifespan)


def _deliberation_demo() -> DemoLoader:
    from detente.deliberation import load_demo_deliberation

    return load_demo_deliberation


def _publications_cli() -> Register:
    from detente.cli.publish import register

    return register


def _publications_routes() -> Routes:
    from detente.web.routes.publications import router

    return Routes(router)


def _publications_demo() -> DemoLoader:
    from detente.reports import load_demo_publications

    return load_demo_publications


def _knowledge_cli() -> Register:
    from detente.cli.kb import register

    return register


def _knowledge_routes() -> Routes:
    from detente.web.routes.knowledge import router

    return Routes(router)


def _knowledge_demo() -> DemoLoader:
    from detente.knowledge import load_demo_knowledge

    return load_demo_knowledge


#: Every capability, in order: the navigation, the demo loaders (a later loader may use an
#: earlier one's data) and the web routes follow this order; ``detente --help`` sorts names.
CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "store",
        commands=(Command("db", "Create or upgrade the database schema.", _db_cli),),
    ),
    Capability(
        "server",
        commands=(
            Command("serve", "Serve the web app on an existing database (upgrading its schema "
                             "first).", _server_cli),
            Command("worker", "Run the recompute jobs queued in the PostgreSQL database (with "
                              "DETENTE_JOB_QUEUE=postgresql); run one or more on any host.",
                    _server_cli),
        ),
    ),
    Capability(
        "accounts",
        commands=(Command("user", "Manage organizer accounts.", _user_cli),),
        routes=_auth_routes,
    ),
    Capability(
        "forum",
        commands=(Command("forum", "Forum records: events, sessions, people, institutions.",
                          _forum_cli),),
        routes=_forum_routes,
        navigation=(NavItem("/", "Events"),),
        demo=_forum_demo,
    ),
    Capability(
        "consensus",
        commands=(Command("consensus", "Find opinion groups, representative, consensus and "
                                       "divisive statements (Polis math).", _consensus_cli),),
    ),
    Capability(
        "states",
        commands=(Command("states", "State positions: UN votes, endorsements, blocs and "
                                    "agreement.", _states_cli),),
        routes=_states_routes,
        navigation=(NavItem("/states", "State positions"),),
        demo=_states_demo,
    ),
    Capability(
        "deliberation",
        commands=(Command("deliberation", "Deliberations: statements, votes, moderation, Polis "
                                          "import and export.", _deliberation_cli),),
        routes=_deliberation_routes,
        navigation=(NavItem("/deliberations", "Deliberations"),),
        demo=_deliberation_demo,
    ),
    Capability(
        "publications",
        commands=(
            Command("report", "Write the full forum report of EVENT as HTML, PDF or Markdown.",
                    _publications_cli),
            Command("proposals", "The register of governance proposals and their evidence.",
                    _publications_cli),
            Command("media", "Photos and documents attached to events and sessions.",
                    _publications_cli),
            Command("news", "News items: the publishable page of an event.",
                    _publications_cli),
        ),
        routes=_publications_routes,
        navigation=(NavItem("/news", "News"), NavItem("/proposals", "Proposals")),
        demo=_publications_demo,
    ),
    Capability(
        "knowledge",
        commands=(Command("kb", "Governance knowledge base: instruments, provisions, taxonomy, "
                                "search, gaps.", _knowledge_cli),),
        routes=_knowledge_routes,
        navigation=(NavItem("/kb", "Knowledge base"),),
        demo=_knowledge_demo,
    ),
)


def commands() -> dict[str, Command]:
    """Every capability's top-level commands by name."""
    return {command.name: command for c in CAPABILITIES for command in c.commands}


def command_help(name: str, more: str = "") -> str:
    """The help of the top-level command ``name``: its line here, then, after a blank line,
    ``more`` (further paragraphs) when given. The command's module passes it to Typer, so that
    the line is written once."""
    line = commands()[name].help
    return f"{line}\n\n{more}" if more else line


def routes() -> list[Routes]:
    """Every capability's web routes, in registry order (imports the route modules)."""
    return [c.routes() for c in CAPABILITIES if c.routes is not None]


def navigation() -> list[NavItem]:
    """The site's main navigation, in registry order."""
    return [item for c in CAPABILITIES for item in c.navigation]


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    """(capability, demo loader) in registry order (imports the capabilities with a demo)."""
    return [(c.name, c.demo()) for c in CAPABILITIES if c.demo is not None]
