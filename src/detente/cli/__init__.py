"""The ``detente`` command: a thin layer over the services.

Every sub-command turns a :class:`detente.errors.DetenteError` into one line on stderr and
exit status 2; see :class:`RootGroup`. The capabilities' commands come from
:data:`detente.capabilities.CAPABILITIES` and are imported only when run (:class:`RootGroup`),
so ``detente --help`` lists them without importing their modules. A command module imports
the services it calls (SQLAlchemy, numpy, Jinja, WeasyPrint...) inside the command, so that
every ``--help`` stays quick (docs/performance.md, "The command line").
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer.core import TyperGroup
from typer.main import get_command

from detente import i18n
from detente.capabilities import Command, commands
from detente.cli._common import (
    DetenteCommand,
    DetenteGroup,
    DetenteTyper,
    UsageLine,
    database_option,
    error_line,
    lang_option,
    language_error_line,
    language_from_arguments,
    language_from_environment,
    language_from_locale,
    open_engine,
)
from detente.errors import DetenteError, InputError
from detente.i18n import gettext as _

__all__ = ["RootGroup", "app", "main", "walk_commands"]


class RootGroup(DetenteGroup):
    """The root command: capability commands are listed from the registry and built from
    their modules the first time one is looked up to run (never to list them in the help).

    It runs every command in the language of DETENTE_LANG or the locale (``--lang`` changes
    it, except a command's own ``--lang`` for its content: ``detente news edit X --lang zh``),
    and reports a domain error as one line on stderr and exit status 2.
    """

    _listing = False
    # typer's click types live in the private typer._click: contexts are typed Any here.

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *commands()})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        entry = commands().get(cmd_name)
        if found is not None or entry is None:
            return found
        if self._listing:  # the help lists the registry's words; nothing is imported
            return DetenteCommand(name=cmd_name, help=entry.help)
        built = _build(entry)
        self.add_command(built, cmd_name)
        return built

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        words = list(sys.argv[1:] if args is None else args)
        try:  # a bad --lang is reported in the language DETENTE_LANG or the locale asks for
            fallback = language_from_environment()
        except InputError:
            fallback = language_from_locale()
        with i18n.use_language(fallback):
            try:  # --lang wins, read before any option (--help included): before the command,
                # or after one that has no content --lang of its own (detente news edit X --lang)
                language = (language_from_arguments(words, root=self)
                            or language_from_environment())
            except InputError as exc:
                typer.echo(language_error_line(exc), err=True)
                raise SystemExit(2) from exc
        if kwargs.get("prog_name") in (None, "root"):  # "root": the name a test runner gives
            kwargs["prog_name"] = "detente"
        with i18n.use_language(language):
            return super().main(args, *rest, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except click_errors.UsageError as exc:
            if _shown_as_is(exc):
                raise
            raise UsageLine(exc) from exc

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DetenteError as exc:
            typer.echo(error_line(exc), err=True)
            raise typer.Exit(2) from exc
        except click_errors.UsageError as exc:
            if _shown_as_is(exc):
                raise
            raise UsageLine(exc) from exc


def _shown_as_is(exc: Any) -> bool:
    """Whether a usage error is shown as Click shows it: the help that a group given no command
    prints, or one already made a :class:`UsageLine`."""
    return isinstance(exc, (UsageLine, click_errors.NoArgsIsHelpError))


def _build(entry: Command) -> Any:
    """The click command that ``entry``'s capability registers under ``entry.name``."""
    holder = DetenteTyper()
    entry.register()(holder)
    built = get_command(holder)
    if isinstance(built, TyperGroup):
        return built.commands[entry.name]
    return built


app = DetenteTyper(
    cls=RootGroup,
    help="detente: forums, deliberations and state positions on AI and international security.",
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    database: str | None = database_option,
    lang: str | None = lang_option,
) -> None:
    """The root's options (its help is ``app``'s): the database of every command."""
    ctx.obj = {"database": database}


@app.command()
def demo(
    ctx: typer.Context,
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web app afterwards."),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="Address to serve on."),
    port: int = typer.Option(8000, metavar="PORT", help="Port to serve on."),
) -> None:
    """Create or upgrade the database, load the demo forum and serve it."""
    from detente.demo import load_demo

    engine = open_engine(ctx)
    for name, outcome in load_demo(engine):
        typer.echo(_("demo %(name)s: %(outcome)s") % {"name": _demo_name(name), "outcome": outcome},
                   err=True)
    if serve:
        from detente.cli.serve import run_server
        from detente.settings import load_settings

        run_server(load_settings(database_url=ctx.obj.get("database")), host, port)
    else:
        typer.echo(_("Demo data loaded into %(url)s")
                   % {"url": engine.url.render_as_string(hide_password=True)})


def _demo_name(capability: str) -> str:
    """A capability's name in ``detente demo``'s lines: as the registry writes it in English,
    what it holds in Chinese."""
    if i18n.current_language() == i18n.DEFAULT_LANGUAGE:
        return capability
    names = {"forum": _("Forum records"), "states": _("State positions"),
             "deliberation": _("Deliberations"), "publications": _("Publications"),
             "knowledge": _("Knowledge base")}
    return names.get(capability, capability)


def walk_commands() -> list[tuple[list[str], Any]]:
    """Every command and group of ``detente`` (the root first) with the words typed after
    ``detente`` to reach it, in help order; imports every command module (not the services)."""
    root = get_command(app)
    found: list[tuple[list[str], Any]] = [([], root)]

    def walk(group: Any, path: list[str]) -> None:
        ctx = typer.Context(group, info_name=" ".join(["detente", *path]))
        for name in group.list_commands(ctx):
            child = group.get_command(ctx, name)
            if child is None:
                continue
            found.append(([*path, name], child))
            if isinstance(child, TyperGroup):
                walk(child, [*path, name])

    walk(root, [])
    return found


def main() -> None:
    """Entry point of the ``detente`` console script."""
    sys.exit(app())  # pragma: no cover
