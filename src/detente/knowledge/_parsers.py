"""Turn a file (TXT, Markdown, HTML, PDF, DOCX) into a list of text blocks.

A block is one paragraph or heading of running text, with hard-wrapped lines joined. The
segmenter (:mod:`detente.knowledge._segment`) then reads numbering from the start of each block.
Parsing uses established libraries: BeautifulSoup (lxml) for HTML, pypdf for PDF and
python-docx for DOCX. Markdown front matter (``source_url``, ``title``, ``date``) is returned as
metadata.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from detente.errors import ImportFormatError
from detente.i18n import gettext as _
from detente.knowledge._frontmatter import split_front_matter
from detente.knowledge._text import has_cjk

__all__ = [
    "FORMATS",
    "MAX_FILE_SIZE",
    "MAX_PROVISION_CHARS",
    "Block",
    "ParsedFile",
    "check_readable",
    "decode_text",
    "parse_bytes",
    "parse_file",
]

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_HARD_BREAK = "\u2028"
#: A line opening with one of these starts a new block even without a blank line before it.
_STARTS_UNIT = re.compile(
    r"^((Section|Sec\.)\s+\d+\.\s|\d+\.\d+\.\s|第[一二三四五六七八九十百零〇\d]+[编章节条]"
    r"|[（(][一二三四五六七八九十]+[）)])"
)


@dataclass(frozen=True)
class Block:
    """A paragraph of text; ``heading`` when the source marked it as a heading."""

    text: str
    heading: bool = False


@dataclass
class ParsedFile:
    """The blocks of one file, its format and any metadata the file itself carries."""

    format: str
    blocks: list[Block]
    meta: dict[str, str] = field(default_factory=dict)


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0\u3000]+", " ", text).strip()


def _blocks_from_lines(text: str) -> list[Block]:
    """Paragraphs split at blank lines and hard breaks; Markdown headings kept as headings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[ \t]{2,}\n", _HARD_BREAK + "\n", text)
    blocks: list[Block] = []
    current: list[str] = []

    def flush() -> None:
        joined = _clean(" ".join(current))
        if joined:
            blocks.append(Block(joined))
        current.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if current and _STARTS_UNIT.match(line):
            flush()
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        bold = re.match(r"^\*\*([^*]+)\*\*$", line.rstrip(_HARD_BREAK).strip())
        marked = heading or bold
        if marked:
            flush()
            title = _clean(marked.group(1).replace(_HARD_BREAK, ""))
            if title:
                blocks.append(Block(title, heading=True))
            continue
        if not line.replace(_HARD_BREAK, ""):
            flush()
            continue
        hard = line.endswith(_HARD_BREAK)
        current.append(line.replace(_HARD_BREAK, ""))
        if hard:
            flush()
    flush()
    return blocks


def _strip_inline_html(text: str) -> str:
    if "<" not in text:
        return text
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser").get_text()


#: Bytes of a file read by default; ``--max-size`` (``max_size=``) raises it.
MAX_FILE_SIZE = 100 * 1024 * 1024
#: Characters one provision may hold (one paragraph, article or point with the text joined to
#: it). PostgreSQL's full-text vector of one row is limited to 1 MB; a legal provision is rarely
#: over 20,000 characters.
MAX_PROVISION_CHARS = 200_000
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: C0 control characters other than tab, line feed, form feed and carriage return.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte of ``sample`` is zero (ASCII in UTF-16)."""
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, letters in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and letters.count(0) <= 0.1 * len(letters):
            return encoding
    return None


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read in.

    UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 with a byte-order mark, UTF-16
    without one (every other byte zero), GB 18030 when most bytes are non-ASCII and decode as
    Chinese, and otherwise Windows-1252 / Latin-1, the encoding of most legacy Western text.
    A NUL character means the file is not text.

    Raises
    ------
    ImportFormatError
        For NUL characters, or bytes that no accepted encoding reads.
    """
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        even = len(data) % 2 == 0
        encoding = (_utf16_without_bom(data[:4096]) if even else None) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = ""
        if encoding == "utf-8":
            high = sum(b >= 0x80 for b in data[:65536]) / max(1, min(len(data), 65536))
            candidates = ["gb18030", "cp1252", "latin-1"] if high > 0.3 else ["cp1252", "latin-1"]
            for candidate in candidates:
                try:
                    text = data.decode(candidate)
                except UnicodeDecodeError:
                    continue
                if candidate != "gb18030" or has_cjk(text[:2000]):
                    encoding = candidate
                    break
                text = ""
        if not text:
            raise ImportFormatError(
                _("cannot be read as text in %(encoding)s") % {"encoding": encoding},
                location=name,
            ) from None
    if "\x00" in text:
        raise ImportFormatError(
            _("holds NUL characters: a binary file, not text (encoding read: %(encoding)s)")
            % {"encoding": encoding},
            location=name,
        )
    return _CONTROL.sub("", text.removeprefix("\ufeff")), encoding


def _decode(data: bytes, name: str, meta: dict[str, str]) -> str:
    text, encoding = decode_text(data, name)
    if encoding not in {"utf-8", "utf-8-sig"}:
        meta["encoding"] = encoding
    return text


def _parse_md(data: bytes, name: str) -> ParsedFile:
    found: dict[str, str] = {}
    text = _decode(data, name, found).replace("\r\n", "\n").replace("\r", "\n")
    body, meta = split_front_matter(text, name)
    if "title" in meta:
        meta["title"] = _clean(meta["title"])
    body = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", body)
    return ParsedFile("md", _blocks_from_lines(_strip_inline_html(body)), {**meta, **found})


def _parse_txt(data: bytes, name: str) -> ParsedFile:
    found: dict[str, str] = {}
    return ParsedFile("txt", _blocks_from_lines(_decode(data, name, found)), found)


_HTML_BLOCKS = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "td",
    "dt",
    "dd",
    "pre",
    "blockquote",
)


def _parse_html(data: bytes, name: str) -> ParsedFile:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    if soup.body is None:
        raise ImportFormatError(_("no HTML body found"), location=name)
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    meta = {}
    if soup.title and soup.title.get_text(strip=True):
        meta["title"] = _clean(soup.title.get_text())
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        meta["source_url"] = str(canonical["href"])
    blocks: list[Block] = []
    for element in soup.body.find_all(_HTML_BLOCKS):
        if element.find(_HTML_BLOCKS):
            continue  # a container: its inner blocks are read on their own
        for part in element.get_text("\n").split("\n\n"):
            text = _clean(part.replace("\n", " "))
            if text:
                blocks.append(Block(text, heading=element.name.startswith("h")))
    return ParsedFile("html", blocks, meta)


def _parse_pdf(data: bytes, name: str) -> ParsedFile:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ImportFormatError(_("not a readable PDF: %(reason)s") % {"reason": exc},
                                location=name) from exc
    except Exception as exc:
        raise ImportFormatError(_("not a readable PDF: %(reason)s")
                                % {"reason": type(exc).__name__}, location=name) from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ImportFormatError(_("the PDF holds no extractable text (scanned?)"), location=name)
    # PDF lines rarely carry paragraph breaks: start a block at each line that opens with a
    # structural marker, and join the others to the line before.
    marker = re.compile(
        r"^\s*(第[一二三四五六七八九十百零〇\d]+[编章节条]|(CHAPTER|Chapter|SECTION|Section|"
        r"Sec\.|Article|ANNEX|Annex|PART|Part)\s|\(?[0-9a-zA-Z]{1,4}[.)]\s|（[一二三四五六七八九十]+）)"
    )
    lines = []
    for line in text.split("\n"):
        lines.append(("\n" if marker.match(line) else "") + line)
    return ParsedFile("pdf", _blocks_from_lines("\n".join(lines)))


def _parse_docx(data: bytes, name: str) -> ParsedFile:
    import zipfile

    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFormatError(_("not a readable DOCX file: %(reason)s") % {"reason": exc},
                                location=name) from exc
    except Exception as exc:
        raise ImportFormatError(
            _("not a readable DOCX file: %(reason)s") % {"reason": type(exc).__name__},
            location=name
        ) from exc
    blocks = []
    for paragraph in document.paragraphs:
        text = _clean(paragraph.text)
        if text:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            blocks.append(Block(text, heading=style.lower().startswith(("heading", "title"))))
    meta = {}
    if document.core_properties.title:
        meta["title"] = document.core_properties.title
    return ParsedFile("docx", blocks, meta)


_PARSERS = {
    "txt": _parse_txt,
    "md": _parse_md,
    "html": _parse_html,
    "pdf": _parse_pdf,
    "docx": _parse_docx,
}


def parse_bytes(data: bytes, name: str, fmt: str | None = None) -> ParsedFile:
    """Parse ``data`` (the content of file ``name``) in format ``fmt`` or the one its suffix names.

    Raises
    ------
    ImportFormatError
        For an unknown format, or a file its parser cannot read; the message names the file.
    """
    fmt = fmt or FORMATS.get(Path(name).suffix.lower())
    if fmt not in _PARSERS:
        raise ImportFormatError(
            _("unsupported format (use one of %(formats)s)")
            % {"formats": ", ".join(sorted(set(FORMATS.values())))},
            location=name,
        )
    parsed = _PARSERS[fmt](data, name)
    if not parsed.blocks:
        raise ImportFormatError(_("no text found"), location=name)
    return parsed


def parse_file(path: Path, *, max_size: int = MAX_FILE_SIZE) -> tuple[ParsedFile, bytes]:
    """Read and parse ``path``; return the parsed file and its raw bytes (for the content hash).

    Raises
    ------
    ImportFormatError
        For a file that cannot be read, is larger than ``max_size`` bytes, or cannot be parsed.
    """
    check_readable(path, max_size=max_size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(
            _("cannot read file: %(reason)s") % {"reason": exc.strerror}, location=str(path)
        ) from exc
    return parse_bytes(data, str(path)), data


def check_readable(path: Path, *, max_size: int = MAX_FILE_SIZE) -> int:
    """The size of ``path`` in bytes, after checking that it is a file within ``max_size``.

    Raises
    ------
    ImportFormatError
        For a missing path, a directory or a file over the limit (named, with how to raise it).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFormatError(
            _("cannot read file: %(reason)s") % {"reason": exc.strerror}, location=str(path)
        ) from exc
    if not path.is_file():
        raise ImportFormatError(_("not a file"), location=str(path))
    if size > max_size:
        raise ImportFormatError(
            _(
                "file is %(size)s bytes, over the size limit of %(limit)s bytes "
                "(raise it with --max-size)"
            )
            % {"size": f"{size:,}", "limit": f"{max_size:,}"},
            location=str(path),
        )
    return size
