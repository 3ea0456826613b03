"""Reading untrusted input files within limits: size, encoding, NUL bytes, YAML depth and aliases.

Every importer reads its files through these functions, so that a hostile or broken file is
refused with one line naming the file, the line or field and the limit, in time proportional
to its size and without building anything larger than the file describes:

- :func:`check_file` — the path is a regular file (not a folder) of at most ``max_size`` bytes;
- :func:`read_text` — the whole file as UTF-8 text with no NUL character;
- :func:`text_lines` — the same, streamed line by line (for CSV files of any size);
- :func:`load_yaml` — one YAML document built from the parser's event stream with an explicit
  stack: nesting depth and alias expansion are bounded, keys must be text, no custom tags;
  :func:`yaml_line` finds the line of a field for an error message (a second pass, run only
  when there is an error to report).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from detente.errors import ImportFormatError, InputError
from detente.i18n import gettext as _

__all__ = [
    "DEFAULT_MAX_SIZE",
    "MAX_ALIAS_VALUES",
    "MAX_DEPTH",
    "YamlLimits",
    "check_file",
    "check_text_file",
    "describe_size",
    "load_yaml",
    "parse_size",
    "read_text",
    "text_field",
    "text_lines",
    "yaml_line",
]

#: Default largest file an importer reads (raise it with the command's ``--max-size``).
DEFAULT_MAX_SIZE = 64 * 1024 * 1024
#: Deepest nesting of YAML collections accepted.
MAX_DEPTH = 64
#: Most values that aliases (``*name``) may add to a YAML document beyond those written out.
MAX_ALIAS_VALUES = 10_000

def text_field(value: str | None, field: str, *, required: bool = False,
               limit: int | None = None, one_line: bool = False) -> str | None:
    """A form or API text field, stripped (``one_line``: its runs of whitespace made one
    space); None when empty. Raises :class:`InputError` naming ``field`` when a required one is
    empty or it is longer than ``limit`` characters."""
    cleaned = (" ".join(value.split()) if one_line else value.strip()) if value else ""
    if not cleaned:
        if required:
            raise InputError(_("must not be empty"), location=field)
        return None
    if limit is not None and len(cleaned) > limit:
        raise InputError(_("at most %(limit)d characters") % {"limit": limit}, location=field)
    return cleaned


_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2,
          "MIB": 1024**2, "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}


def parse_size(text: str) -> int:
    """``"64MB"``, ``"1.5G"``, ``"5000"`` -> bytes (binary units); an InputError otherwise."""
    raw = text.strip().upper().replace(" ", "")
    number = raw.rstrip("KMGIB")
    unit = raw[len(number):]
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if unit not in _UNITS or not value > 0 or value != value:
        raise ImportFormatError(
            _("not a size: %(text)r (use a number of bytes, or e.g. 64MB, 1GB)") % {"text": text},
            location="--max-size")
    return int(value * _UNITS[unit])


def describe_size(size: int) -> str:
    """A size for people: ``64 MB``, ``1.5 GB``, ``812 bytes``."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def check_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> int:
    """The size of ``path`` after checking it is a readable regular file within ``max_size``.

    Raises
    ------
    ImportFormatError
        Naming the file: missing, a folder, not a regular file, or larger than ``max_size``.
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImportFormatError(_("no such file"), location=str(path)) from None
    except OSError as exc:
        raise ImportFormatError(_("cannot read the file: %(reason)s")
                                % {"reason": exc.strerror}, location=str(path)) from None
    if path.is_dir():
        raise ImportFormatError(_("is a folder, not a file"), location=str(path))
    if not path.is_file():
        raise ImportFormatError(_("is not a regular file"), location=str(path))
    if stat.st_size > max_size:
        raise ImportFormatError(
            _("the file is %(size)s, over the limit of %(limit)s (raise it with --max-size)")
            % {"size": describe_size(stat.st_size), "limit": describe_size(max_size)},
            location=str(path))
    return stat.st_size


def _decode_line(raw: bytes, path: Path, line: int) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            _("not UTF-8 text (byte 0x%(byte)02x at column %(column)d); save the file as UTF-8")
            % {"byte": raw[exc.start], "column": exc.start + 1},
            location=f"{path}:{line}") from None
    if "\x00" in text:
        raise ImportFormatError(_("contains a NUL character, which no text field may hold"),
                                location=f"{path}:{line}")
    return text


def read_text(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> str:
    """The whole of ``path`` as text: UTF-8 (a leading byte-order mark is dropped), no NUL.

    Raises
    ------
    ImportFormatError
        Naming the file and, for bad bytes, the line.
    """
    check_file(path, max_size)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_size + 1)
    except OSError as exc:
        raise ImportFormatError(_("cannot read the file: %(reason)s")
                                % {"reason": exc.strerror}, location=str(path)) from None
    if len(data) > max_size:  # the file grew after check_file
        check_file(path, max_size)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            _("not UTF-8 text (byte 0x%(byte)02x at column %(column)d); save the file as UTF-8")
            % {"byte": data[exc.start], "column": exc.start - start + 1},
            location=f"{path}:{line}") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportFormatError(_("contains a NUL character, which no text field may hold"),
                                location=f"{path}:{text.count(chr(10), 0, nul) + 1}")
    return text


def check_text_file(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> int:
    """Check that ``path`` is a regular file within ``max_size`` holding UTF-8 text without
    NUL bytes, reading it in blocks (C-speed decoding); returns its size.

    Raises
    ------
    ImportFormatError
        Naming the file and, for a bad byte or a NUL, its line.
    """
    size = check_file(path, max_size)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    offset = 0
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                offset += len(block)
                if offset > max_size:  # the file grew after check_file
                    check_file(path, max_size)
                try:
                    text = decoder.decode(block)
                except UnicodeDecodeError:
                    _locate_bad_text(path, max_size)
                if "\x00" in text:
                    _locate_bad_text(path, max_size)
                lines += block.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:  # the file ends inside a character
        raise ImportFormatError(_("not UTF-8 text (it ends inside a character)"),
                                location=f"{path}:{lines + 1}") from None
    except OSError as exc:
        raise ImportFormatError(_("cannot read the file: %(reason)s")
                                % {"reason": exc.strerror}, location=str(path)) from None
    return size


def _locate_bad_text(path: Path, max_size: int) -> None:
    """Find the line of the first bad byte or NUL (slow path, only for a bad file)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            _decode_line(raw, path, number)
    raise ImportFormatError(_("not UTF-8 text"), location=str(path))  # pragma: no cover


def text_lines(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> Iterator[str]:
    """The lines of ``path`` (with their line ends) after :func:`check_text_file`.

    For CSV files: ``csv.reader(text_lines(path))`` reads a file of any size in constant
    memory at the speed of the text layer; a bad byte or a NUL was refused first with the
    file and line.
    """
    check_text_file(path, max_size)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFormatError(_("cannot read the file: %(reason)s")
                                % {"reason": exc.strerror}, location=str(path)) from None
    return _lines(handle)


def _lines(handle: io.TextIOWrapper) -> Iterator[str]:
    with handle:
        yield from handle


# --- YAML -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YamlLimits:
    """Bounds on a YAML document: nesting depth and values added by aliases."""

    max_depth: int = MAX_DEPTH
    max_alias_values: int = MAX_ALIAS_VALUES


_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DEFAULT_TAGS = {None, "!"}
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("anchor", "container", "key", "key_line", "size")

    def __init__(self, container: dict[str, Any] | list[Any], anchor: str | None) -> None:
        self.container = container
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.size = 1


_NO_KEY = object()


def _problem(location: str, mark: Any, message: str) -> ImportFormatError:
    line = f":{mark.line + 1}" if mark is not None else ""
    return ImportFormatError(message, location=f"{location}{line}")


def load_yaml(text: str, *, location: str, limits: YamlLimits | None = None) -> Any:
    """Build the one YAML document in ``text`` with the safe tags only.

    Collections are built from the parser's events with an explicit stack, so nesting costs no
    recursion; the depth is bounded, aliases may add at most ``limits.max_alias_values``
    values (a "billion laughs" file is refused as soon as it passes the bound), mapping keys
    must be text and unique, and merge keys (``<<``) and custom tags are refused.

    Raises
    ------
    ImportFormatError
        Naming ``location`` and the line.
    """
    limits = limits or YamlLimits()
    loader = _LOADER(text)
    try:
        return _build(loader, location, limits)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        raise _problem(location, exc.problem_mark or exc.context_mark,
                       _("invalid YAML: %(problem)s") % {"problem": problem}) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ImportFormatError(_("invalid YAML: %(problem)s") % {"problem": exc.reason},
                                location=f"{location}:{line}") from None
    except yaml.YAMLError as exc:
        raise ImportFormatError(_("invalid YAML: %(problem)s") % {"problem": exc},
                                location=location) from None
    finally:
        loader.dispose()


def _build(loader: Any, location: str, limits: YamlLimits) -> Any:
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    documents = 0
    result: Any = None
    alias_values = 0
    while True:
        event = loader.get_event()
        kind = type(event)
        value: Any
        if kind is yaml.ScalarEvent:
            value = _scalar(loader, event, location)
            size = 1
            anchor = event.anchor
        elif kind is yaml.AliasEvent:
            if event.anchor not in anchors:
                raise _problem(location, event.start_mark,
                               _("alias *%(name)s refers to no anchor defined before it")
                               % {"name": event.anchor})
            value, size = anchors[event.anchor]
            alias_values += size
            if alias_values > limits.max_alias_values:
                raise _problem(location, event.start_mark,
                               _("aliases expand to more than %(limit)d values")
                               % {"limit": limits.max_alias_values})
            anchor = None
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.tag not in _DEFAULT_TAGS and event.tag not in (
                    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                raise _problem(location, event.start_mark,
                               _("the tag %(tag)s is not allowed") % {"tag": event.tag})
            if len(stack) >= limits.max_depth:
                raise _problem(location, event.start_mark,
                               _("nested deeper than %(limit)d levels")
                               % {"limit": limits.max_depth})
            stack.append(_Frame({} if kind is yaml.MappingStartEvent else [], event.anchor))
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            value, size, anchor = frame.container, frame.size, frame.anchor
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _problem(location, event.start_mark,
                               _("holds more than one YAML document"))
            continue
        elif kind is yaml.StreamEndEvent:
            return result
        else:  # stream start, document end
            continue
        if anchor is not None:
            anchors[anchor] = (value, size)
        if not stack:
            result = value
            continue
        parent = stack[-1]
        parent.size += size
        container = parent.container
        if isinstance(container, list):
            container.append(value)
        elif parent.key is _NO_KEY:
            parent.key = _key(value, event, location, container)
        else:
            container[parent.key] = value
            parent.key = _NO_KEY


def _key(value: Any, event: Any, location: str, container: dict[str, Any]) -> str:
    if value is _MERGE_KEY:
        raise _problem(location, event.start_mark, _("merge keys (<<) are not supported"))
    if not isinstance(value, str):
        shown = value if isinstance(value, (int, float, bool)) or value is None else "[…]"
        raise _problem(location, event.start_mark,
                       _("the key %(key)s is not text (put it in quotes)") % {"key": shown})
    if value in container:
        raise _problem(location, event.start_mark,
                       _("duplicate key %(key)r") % {"key": value})
    return value


_MERGE_KEY = object()


def _scalar(loader: Any, event: Any, location: str) -> Any:
    tag = event.tag
    if tag in _DEFAULT_TAGS:
        if event.style:  # quoted or block text (plain is None or ""): always a string
            return event.value
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR:
        return event.value
    if tag == _MERGE:
        return _MERGE_KEY
    constructor = loader.yaml_constructors.get(tag)
    if constructor is None or tag.startswith("tag:yaml.org,2002:python/"):
        raise _problem(location, event.start_mark,
                       _("the tag %(tag)s is not allowed") % {"tag": tag})
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return constructor(loader, node)
    except (ValueError, OverflowError, TypeError) as exc:
        raise _problem(location, event.start_mark,
                       _("invalid value %(value)r: %(reason)s")
                       % {"value": event.value[:40], "reason": exc}) from None


def yaml_line(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at ``loc`` (keys and list indexes), or of the nearest
    enclosing value that exists; None when ``text`` does not parse that far."""
    loader = _LOADER(text)
    target = tuple(loc)
    best: int | None = None
    # Each frame: [is_mapping, path, next index or None, pending key or _NO_KEY]
    stack: list[list[Any]] = []
    try:
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.StreamEndEvent:
                return best
            if kind not in (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent,
                            yaml.SequenceStartEvent, yaml.MappingEndEvent,
                            yaml.SequenceEndEvent):
                continue
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                _advance(stack)
                continue
            line = event.start_mark.line + 1
            if not stack:
                path: tuple[Any, ...] = ()
            else:
                frame = stack[-1]
                if frame[0] and frame[3] is _NO_KEY:  # a key
                    frame[3] = event.value if kind is yaml.ScalarEvent else None
                    key_path = (*frame[1], frame[3])
                    if target[:len(key_path)] == key_path:
                        best = line
                    if kind is not yaml.ScalarEvent:  # a complex key: no field path goes on
                        return best
                    continue
                path = (*frame[1], frame[3] if frame[0] else frame[2])
            if target[:len(path)] == path:
                best = line
                if path == target:
                    return best
            if kind is yaml.MappingStartEvent:
                stack.append([True, path, None, _NO_KEY])
            elif kind is yaml.SequenceStartEvent:
                stack.append([False, path, 0, _NO_KEY])
            else:
                _advance(stack)
    except yaml.YAMLError:
        return best
    finally:
        loader.dispose()


def _advance(stack: list[list[Any]]) -> None:
    """A value of the innermost collection is complete: move to the next key or index."""
    if not stack:
        return
    frame = stack[-1]
    if frame[0]:
        frame[3] = _NO_KEY
    else:
        frame[2] += 1
