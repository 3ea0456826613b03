"""What every sub-command shares: error rendering, ``--json``, opening the database and the
options of import commands."""

from __future__ import annotations

import inspect
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

# Typer's Click lives in the private typer._click; its exception classes are not re-exported.
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup

from detente import i18n
from detente.errors import DetenteError, InputError
from detente.i18n import ENGINE_MESSAGES
from detente.i18n import gettext as _

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "CONTENT_LANG",
    "ENGINE_MESSAGES",
    "DetenteCommand",
    "DetenteGroup",
    "DetenteTyper",
    "UnknownCommand",
    "UsageLine",
    "aside",
    "bad_language",
    "clip",
    "columns",
    "confirm_deletions",
    "content_lang_option",
    "database_option",
    "dry_run_option",
    "error_line",
    "first_paragraph",
    "has_content_lang",
    "help_key",
    "json_option",
    "lang_option",
    "language_error_line",
    "language_from_arguments",
    "language_from_environment",
    "language_from_locale",
    "max_size_option",
    "open_engine",
    "pad",
    "say_waiting",
    "size_limit",
    "usage_error",
    "wait_option",
    "write_json",
    "yes_option",
]

database_option = typer.Option(
    None,
    "--database",
    metavar="URL",
    envvar="DETENTE_DATABASE_URL",
    help="Database URL (default: sqlite:///detente.db).",
    show_envvar=True,
)
#: Options every import command takes (docs/forum-format.md, "Importing safely").
dry_run_option = typer.Option(
    False, "--dry-run", help="Print what the import would change; write nothing.")
max_size_option = typer.Option(
    "64MB", "--max-size", metavar="SIZE",
    help="Largest input file read, e.g. 64MB or 1GB (refused above it).")
yes_option = typer.Option(False, "--yes", "-y", help="Do not ask before deleting.")
wait_option = typer.Option(
    600.0, "--wait", metavar="SECONDS",
    help="How long to wait for another import of the same database to finish.")


def language_from_environment() -> str:
    """The command line's language: DETENTE_LANG, else ``zh`` when the locale variables ask
    for Chinese (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English.

    Raises
    ------
    InputError
        When DETENTE_LANG is set to something other than en or zh.
    """
    from detente.settings import SETTINGS

    name = SETTINGS["language"].env
    chosen = os.environ.get(name, "").strip().lower()
    if chosen:
        if chosen not in i18n.LANGUAGES:
            raise bad_language(chosen, name)
        return chosen
    return language_from_locale()


def language_from_locale() -> str:
    """``zh`` when the locale variables ask for Chinese (LANGUAGE, LC_ALL, LC_MESSAGES, LANG,
    the first one set), else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def bad_language(value: str, where: str) -> InputError:
    """The error for ``value`` given as a language at ``where`` (``--lang``, DETENTE_LANG):
    it names the value and the two languages there are."""
    quoted = f"{i18n.punct('lquote')}{value}{i18n.punct('rquote')}"
    return InputError(_("%(value)s is not en or zh") % {"value": quoted}, location=where)


def language_error_line(exc: InputError) -> str:
    """A bad language as one line in the current language, as a usage error reads: where,
    what is wrong, and the help that lists ``--lang`` (the root's)."""
    where = f"{exc.location}{i18n.punct('colon')}" if exc.location else ""
    see = _("see %(help)s") % {"help": "detente --help"}
    return _("error: %(message)s") % {
        "message": f"{where}{exc.message}{i18n.punct('semicolon')}{see}"}


def set_cli_language(ctx: typer.Context, param: Any, value: str | None) -> str | None:
    """Callback of ``--lang``: the language of the help, tables and messages from now on."""
    if value is None:
        return value
    if value not in i18n.LANGUAGES:
        raise typer.BadParameter(bad_language(value, "--lang").message)
    i18n.set_language(value)
    return value


lang_option = typer.Option(
    None, "--lang", metavar="LANG", is_eager=True, callback=set_cli_language,
    help="Language of help, tables and messages: en or zh, before the command, or after it "
         "where the command has no --lang of its own (default: DETENTE_LANG, else the locale, "
         "e.g. LANG=zh_CN.UTF-8).")

#: The parameter name of a command's own ``--lang`` that says the language of the content it
#: works on (a report, a news item), not the interface's (:func:`content_lang_option`).
CONTENT_LANG = "content_lang"


def _content_language(value: str | None) -> str | None:
    """Callback of a content ``--lang``: en or zh (a usage error naming the option else)."""
    if value is not None and value not in i18n.LANGUAGES:
        raise typer.BadParameter(bad_language(value, "--lang").message)
    return value


def content_lang_option(default: str | None, help: str) -> Any:
    """A command's own ``--lang``, the language of its content (a report, a news item): give it
    to a parameter named :data:`CONTENT_LANG`. Typed after the command it is that command's
    only; ``detente --lang zh COMMAND`` still sets the interface language
    (:func:`language_from_arguments`)."""
    return typer.Option(default, "--lang", metavar="LANG", callback=_content_language,
                        help=help)


def language_from_arguments(args: list[str], root: Any = None) -> str | None:
    """The language that ``--lang LANG`` or ``--lang=LANG`` asks for on the command line (the
    last one counts; nothing after a lone ``--``), or None without one.

    The root reads it before any option is processed, so that ``detente kb search --help
    --lang zh`` writes its help in Chinese although ``--help`` comes first. Given the ``root``
    group, a ``--lang`` after a command with a content ``--lang`` of its own
    (:func:`content_lang_option`: ``detente news edit X --lang zh``) is that command's and is
    not read here, unless ``--help`` is asked for there too (no content to speak of: the help
    is in that language).

    Raises
    ------
    InputError
        When a value read is not en or zh.
    """
    end = len(args) if root is None else _interface_end(root, args)
    found: str | None = None
    for index, token in enumerate(args[:end]):
        if token == "--":
            break
        if token == "--lang" and index + 1 < len(args):
            found = args[index + 1]
        elif token.startswith("--lang="):
            found = token.partition("=")[2]
    if found is not None and found not in i18n.LANGUAGES:
        raise bad_language(found, "--lang")
    return found


def has_content_lang(command: Any) -> bool:
    """Whether ``command`` has a ``--lang`` of its own for its content's language."""
    return any(getattr(param, "name", None) == CONTENT_LANG for param in command.params)


def _interface_end(root: Any, args: list[str]) -> int:
    """Where the words that may set the interface language end: after the name of a command
    with a content ``--lang`` (its own options follow), unless ``--help`` is among those; else
    at the end. Commands are looked up through the groups as Click would find them."""
    group, index = root, 0
    while index < len(args):
        token = args[index]
        if token == "--":
            break
        if token.startswith("-"):
            takes_value = any(token in getattr(p, "opts", ()) and not getattr(p, "is_flag", False)
                              and p.param_type_name == "option" for p in group.params)
            index += 2 if takes_value else 1
            continue
        command = group.get_command(typer.Context(group, info_name=token), token)
        if command is None:
            break
        if isinstance(command, TyperGroup):
            group, index = command, index + 1
            continue
        rest = args[index + 1:]
        rest = rest[:rest.index("--")] if "--" in rest else rest
        if has_content_lang(command) and "--help" not in rest:
            return index + 1
        break
    return len(args)


@cache
def _unlisted_lang() -> Any:
    """``--lang`` for a command or group that has none of its own: accepted there (the root has
    read it already: :func:`language_from_arguments`) and not listed in its help."""
    from typer.main import get_command

    holder = typer.Typer()

    @holder.command()
    def _holder(lang: str | None = typer.Option(
            None, "--lang", metavar="LANG", hidden=True, expose_value=False)) -> None:
        """Holds the option."""

    return _pass_through(get_command(holder).params[0])

# --- the project's errors: one line in the interface language ---------------------------------


def error_line(exc: DetenteError) -> str:
    """A domain error as the one line on standard error: where (with the colon of the interface
    language) and what is wrong, in the interface language; an error that the consensus engine
    raised in English (it knows no interface language) is said from its ``code``."""
    text = i18n.error_text(exc)
    return _("error: %(message)s") % {"message": " ".join(text.split())}  # always one line


# --- usage errors: one line in the interface language, like the project's own errors ---------


class UnknownCommand(click_errors.UsageError):
    """A command name that the group does not have, with the names that come close to it."""

    def __init__(self, name: str, close: list[str], ctx: Any) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.close = close


class UsageLine(click_errors.UsageError):
    """A usage error (a missing argument, a bad option value, an unknown command or option)
    shown as one line on standard error in the interface language, naming the argument, option
    or command and the help to read, exit status 2: as a :class:`detente.errors.DetenteError`
    is shown."""

    def __init__(self, original: click_errors.UsageError) -> None:
        super().__init__(original.message, original.ctx)
        self.line = _("error: %(message)s") % {"message": usage_error(original)}

    def show(self, file: Any = None) -> None:
        typer.echo(self.line, file=file, err=True)


def usage_error(exc: click_errors.UsageError) -> str:
    """What a usage error says, on one line and in the interface language, with the command
    whose help tells more (the text after "error: ")."""
    text = " ".join(_usage_message(exc).split())
    if exc.ctx is None:
        return text
    see = _("see %(help)s") % {"help": f"{exc.ctx.command_path} --help"}
    return f"{text}{i18n.punct('semicolon')}{see}"


def _option_name(param: Any) -> str:
    """An option's longest name (``--yes`` for ``--yes``/``-y``)."""
    return max(param.opts, key=len)


def _did_you_mean(names: Sequence[str] | None) -> str:
    if not names:
        return ""
    return i18n.paren(_("did you mean %(names)s?")
                      % {"names": i18n.punct("enum").join(sorted(names))})


def _usage_message(exc: click_errors.UsageError) -> str:
    param = getattr(exc, "param", None)
    if isinstance(exc, click_errors.MissingParameter) and param is not None:
        if param.param_type_name == "argument":
            # Named without the brackets of an optional one ([QUERY]): a command may still need
            # it when nothing else is given (kb search with no filter).
            name = _argument_name(param).replace("[", "").replace("]", "")
            return _("missing argument %(name)s") % {"name": name}
        return _("missing option %(name)s") % {"name": _option_name(param)}
    if isinstance(exc, click_errors.BadParameter):
        hint = exc.param_hint
        if not isinstance(hint, str):
            hint = None if param is None else (
                _argument_name(param) if param.param_type_name == "argument"
                else _option_name(param))
        problem = _bad_value(exc)
        return f"{hint}{i18n.punct('colon')}{problem}" if hint else problem
    if isinstance(exc, click_errors.NoSuchOption):
        return (_("no such option %(name)s") % {"name": exc.option_name}
                + _did_you_mean(exc.possibilities))
    if isinstance(exc, UnknownCommand):
        return _("no such command %(name)s") % {"name": exc.name} + _did_you_mean(exc.close)
    if isinstance(exc, click_errors.BadOptionUsage) and "requires an argument" in exc.message:
        found = [p for p in (exc.ctx.command.params if exc.ctx else [])
                 if exc.option_name in getattr(p, "opts", ())]
        metavar = found[0].metavar if found and found[0].metavar else None
        if metavar:
            return _("%(name)s needs a value (%(metavar)s)") % {
                "name": exc.option_name, "metavar": metavar}
        return _("%(name)s needs a value") % {"name": exc.option_name}
    extra = re.match(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", exc.message)
    if extra:
        return _("unexpected argument %(words)s") % {"words": extra.group(1)}
    if exc.message == "Missing command.":
        return _("missing command")
    return _(exc.message)


def _bad_value(exc: click_errors.BadParameter) -> str:
    """What is wrong with an option's or argument's value."""
    # Typer checks a typed value with Pydantic: its ValidationError says what failed.
    found = getattr(exc.__cause__, "errors", None)
    errors = found() if callable(found) else []
    if errors:
        error = errors[0]
        values = {"value": f"{i18n.punct('lquote')}{error.get('input')}{i18n.punct('rquote')}",
                  "limit": next(iter((error.get("ctx") or {}).values()), "")}
        problems = {
            "int_parsing": _("%(value)s is not a whole number"),
            "int_from_float": _("%(value)s is not a whole number"),
            "float_parsing": _("%(value)s is not a number"),
            "greater_than_equal": _("%(value)s is less than %(limit)s"),
            "greater_than": _("%(value)s is not more than %(limit)s"),
            "less_than_equal": _("%(value)s is more than %(limit)s"),
            "less_than": _("%(value)s is not less than %(limit)s"),
        }
        if error.get("type") in problems:
            return problems[error["type"]] % values
    return _(exc.message)


# --- help for people, in their language ---------------------------------------------------------

#: The metavar of an option whose declaration gives none, by the type of its value.
_METAVARS = {str: "TEXT", int: "N", float: "NUMBER", Path: "PATH"}


def _default_metavar(param: Any) -> str | None:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    for kind, metavar in _METAVARS.items():
        # A comparison with a generic alias built at run time, not an annotation.
        if annotation is kind or annotation == list[kind]:  # type: ignore[valid-type]
            return metavar
    return None


def help_key(text: str) -> str:
    """The catalog message of a help text: its paragraphs, each on one line."""
    return "\n\n".join(" ".join(part.split())
                        for part in inspect.cleandoc(text).partition("\f")[0].split("\n\n"))


def _translated(text: str) -> str:
    """A help text in the current language (the original, wrapped as written, in English)."""
    if not text or i18n.current_language() == i18n.DEFAULT_LANGUAGE:
        return text
    key = help_key(text)
    found = _(key)
    return text if found == key else found


def _translated_extra(piece: str) -> str:
    """One part of an option's ``[default: ...; required]`` note in the current language."""
    for english, message in (("default: ", "default: %(value)s"),
                             ("env var: ", "env var: %(value)s")):
        if piece.startswith(english):
            return _(message) % {"value": piece[len(english):]}
    return _(piece) if piece == "required" else piece


def _option_record(param: Any, ctx: Any) -> tuple[str, str] | None:
    """(``--name METAVAR``, help and notes) of an option, translated."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    term, text = record
    own = param.help or ""
    notes = text[len(own):].strip() if text.startswith(own) else ""
    shown = _translated(own)
    if notes.startswith("[") and notes.endswith("]"):
        translated = "; ".join(_translated_extra(p) for p in notes[1:-1].split("; "))
        shown = f"{shown}  [{translated}]" if shown else f"[{translated}]"
    return term, shown


def _argument_name(param: Any) -> str:
    name = param.metavar or param.name.upper()
    return name + ("..." if param.nargs != 1 else "")


def _argument_record(param: Any) -> tuple[str, str]:
    notes = [] if param.required else [_("optional")]
    text = _translated(param.help or "")
    return _argument_name(param), (f"{text}  [{'; '.join(notes)}]" if notes else text)


@contextmanager
def section(formatter: Any, heading: str) -> Iterator[None]:
    """A help section under ``heading`` with the colon of the current language."""
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}"
                    + _("%(heading)s:") % {"heading": heading} + "\n")
    with formatter.indentation():
        yield


class _Help:
    """Help in the current language, with every option's metavar (never a Python type) and
    every line whole: shared by commands and groups."""

    params: list[Any]
    help: str | None
    get_params: Any

    def finish_params(self) -> None:
        """Give each option and argument without a metavar one that says what it takes, and
        take ``--lang`` where the command has no ``--lang`` of its own."""
        if not any("--lang" in getattr(param, "opts", ()) for param in self.params):
            self.params.append(_unlisted_lang())
        for param in self.params:
            if param.metavar is not None or getattr(param, "is_flag", False):
                continue
            if param.param_type_name == "argument":
                param.metavar = param.name.upper()
            else:
                param.metavar = _default_metavar(param)

    def get_help_option(self, ctx: Any) -> Any:
        # A mixin: super() is the Typer command or group it is mixed into.
        return _pass_through(super().get_help_option(ctx))  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            if not ctx.resilient_parsing:
                self._refuse_lang_as_value(ctx, args)
            # A mixin: super() is the Typer command or group it is mixed into.
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except click_errors.UsageError as exc:
            if exc.ctx is None:  # the parser's errors name no command: this one, for its help
                exc.ctx, exc.cmd = ctx, ctx.command
            raise

    def _refuse_lang_as_value(self, ctx: Any, args: list[str]) -> None:
        """Refuse ``--lang`` where it would be taken as the value of an option typed just before
        it without one (``--from --lang zh``): the root has read it as the language already
        (:func:`language_from_arguments`), and the option would get ``--lang`` as its value (a
        file named ``--lang`` for ``--json``). The option is named as missing its value.

        A group's own options come before its command's name, which ends them."""
        takes_value = {name: param for param in self.params
                       if param.param_type_name == "option"
                       and not (getattr(param, "is_flag", False) or getattr(param, "count", False))
                       for name in param.opts}
        index = 0
        while index < len(args):
            token = args[index]
            if token == "--":
                return
            if token in takes_value:
                following = args[index + 1] if index + 1 < len(args) else ""
                if following == "--lang" or following.startswith("--lang="):
                    raise click_errors.BadOptionUsage(
                        token, f"Option {token!r} requires an argument.", ctx)
                index += 2
                continue
            if not token.startswith("-") and not ctx.allow_interspersed_args:
                return  # a group's command: its options are its own
            index += 1

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [_("[OPTIONS]")] if any(
            p.param_type_name == "option" for p in self.get_params(ctx)) else []
        for param in self.params:
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              _("Usage: "))

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        if self.help:
            text = inspect.cleandoc(self.help).partition("\f")[0]
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(_translated(text))

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments = [_argument_record(p) for p in self.params
                     if p.param_type_name == "argument"]
        options = [r for p in self.get_params(ctx)
                   if p.param_type_name == "option"
                   for r in [_option_record(p, ctx)] if r is not None]
        if arguments:
            with section(formatter, _("Arguments")):
                formatter.write_dl(arguments)
        if options:
            with section(formatter, _("Options")):
                formatter.write_dl(options)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Groups list their commands; a command has none."""


class DetenteCommand(_Help, TyperCommand):
    """A command whose help is complete and in the current language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.finish_params()


def first_paragraph(text: str | None) -> str:
    """The first paragraph of a help text, on one line."""
    return " ".join(inspect.cleandoc(text or "").split("\n\n")[0].split())


def _pass_through(param: Any) -> Any:
    """Let a text option or a flag reach its callback as given; returns ``param``.

    Typer checks each value with a Pydantic adapter that it builds, importing Pydantic, when
    the option is processed; a group's options (its ``--help`` too) are processed before
    ``--help`` of any command below it, so every ``detente ... --help`` would pay for that
    import (about 0.1 s) to check that a string is a string. Versions of Typer without the
    adapter layer need nothing.
    """
    if param is None or getattr(param, "_runtime_param", False) is not None:
        return param
    if getattr(param.type_descriptor, "annotation", None) not in (str, bool):
        return param
    try:
        from typer._coercion import PassThroughRuntimeParam
    except ImportError:  # pragma: no cover - another Typer: nothing to skip
        return param
    param._runtime_param = PassThroughRuntimeParam(
        annotation=param.type_descriptor.annotation,
        parameter_info=param.type_descriptor.parameter_info)
    return param


class DetenteGroup(_Help, TyperGroup):
    """A command group whose help lists each command with the whole first paragraph of its
    help, in the current language (never cut off with an ellipsis)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.finish_params()
        for param in self.params:
            _pass_through(param)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [*super().collect_usage_pieces(ctx), _("COMMAND [ARGS]...")]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command named first in ``args``; an :class:`UnknownCommand` (with the names
        that come close) for a name this group does not have."""
        name = args[0] if args else ""
        if (name and not name.startswith("-") and not ctx.resilient_parsing
                and self.get_command(ctx, name) is None):
            from difflib import get_close_matches

            raise UnknownCommand(name, get_close_matches(name, self.list_commands(ctx)), ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            text = command.short_help or first_paragraph(command.help)
            rows.append((name, _translated(first_paragraph(text))))
        if rows:
            with section(formatter, _("Commands")):
                formatter.write_dl(rows)


class DetenteTyper(typer.Typer):
    """A Typer app whose commands and groups use :class:`DetenteCommand` and
    :class:`DetenteGroup`: plain help (no Rich), complete and translated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", DetenteGroup)
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("add_completion", False)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", DetenteCommand)
        return super().command(name, **kwargs)


#: ``--json FILE|-``, the same on every command with JSON output (tests/cli walks them): the
#: JSON goes to FILE, or to standard output with ``-``; without it people get a table.
json_option = typer.Option(
    None,
    "--json",
    metavar="FILE|-",
    help="Write the result as JSON to FILE, or to standard output with -.",
)


def columns(text: str) -> int:
    """Terminal columns ``text`` takes (a Chinese character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def aside(text: object) -> str:
    """``text`` in brackets, set apart from what comes before it on the line: "  (x)" in
    English, "（x）" in Chinese (its full-width brackets need no space)."""
    bracketed = i18n.paren(text)
    return f" {bracketed}" if bracketed.startswith(" ") else bracketed


def clip(text: str, width: int) -> str:
    """The start of ``text`` that fits in ``width`` terminal columns (``text[:width]`` for
    text without Chinese characters)."""
    used = 0
    for index, char in enumerate(text):
        used += columns(char)
        if used > width:
            return text[:index]
    return text


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns, on the left with ``right``."""
    fill = " " * max(0, width - columns(text))
    return fill + text if right else text + fill


def write_json(data: Any, target: str) -> None:
    """Write ``data`` as UTF-8 JSON to the file ``target``, or to standard output for ``-``.

    Raises
    ------
    InputError
        When the file cannot be written (naming it).
    """
    text = json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(_("cannot write: %(reason)s") % {"reason": exc.strerror},
                         location=target) from None


def open_engine(ctx: typer.Context) -> Engine:
    """The engine for this invocation, with the schema created or upgraded."""
    from detente.settings import load_settings
    from detente.store import create_db_engine, upgrade

    root = ctx.find_root()
    url = (root.obj or {}).get("database") or load_settings().database_url
    engine = create_db_engine(url)
    upgrade(engine)
    return engine


def size_limit(text: str) -> int:
    """The bytes of a ``--max-size`` value (an InputError naming the option when invalid)."""
    from detente.inputs import parse_size

    return parse_size(text)


def say_waiting(line: str) -> None:
    """Tell the user, on stderr, that the import waits for another one."""
    typer.echo(line, err=True)


def confirm_deletions(lines: list[str], yes: bool) -> bool:
    """List what an import deletes (stderr) and ask; True with ``--yes``.

    Without a terminal to ask on and without ``--yes`` the answer is no.
    """
    typer.echo(_("This import deletes or removes:"), err=True)
    for line in lines:
        typer.echo(f"  - {line}", err=True)
    if yes:
        return True
    try:
        return typer.confirm(_("Delete these records?"), default=False, err=True)
    except typer.Abort:  # end of input: nobody to ask
        typer.echo(_("No answer: give --yes to delete without asking."), err=True)
        return False
