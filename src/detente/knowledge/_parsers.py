"""Turn a file (TXT, Markdown, HTML, PDF, DOCX) into a list of text blocks.

A block is one paragraph or heading of running text, with hard-wrapped lines joined. The
segmenter (:mod:`detente.knowledge._segment`) then reads numbering from the start of each block.
Parsing uses established libraries: BeautifulSoup (lxml) for HTML, pypdf for PDF and
python-docx for DOCX. Markdown front matter (``source_url``, ``title``, ``date``) is returned as
metadata.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from detente.errors import ImportFormatError

__all__ = ["FORMATS", "Block", "ParsedFile", "parse_bytes", "parse_file"]

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
        if heading or bold:
            flush()
            title = _clean((heading or bold).group(1).replace(_HARD_BREAK, ""))  # type: ignore[union-attr]
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


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not match:
        return text, {}
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return text, {}
    meta = {k: str(v) for k, v in data.items() if k in {"title", "source_url", "date"} and v}
    if "title" in meta:
        meta["title"] = _clean(meta["title"])
    return text[match.end() :], meta


def _strip_inline_html(text: str) -> str:
    if "<" not in text:
        return text
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser").get_text()


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFormatError("not UTF-8 text", location=name)


def _parse_md(data: bytes, name: str) -> ParsedFile:
    body, meta = _front_matter(_decode(data, name).replace("\r\n", "\n"))
    body = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", body)
    return ParsedFile("md", _blocks_from_lines(_strip_inline_html(body)), meta)


def _parse_txt(data: bytes, name: str) -> ParsedFile:
    return ParsedFile("txt", _blocks_from_lines(_decode(data, name)))


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
        raise ImportFormatError("no HTML body found", location=name)
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
        raise ImportFormatError(f"not a readable PDF: {exc}", location=name) from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ImportFormatError("the PDF holds no extractable text (scanned?)", location=name)
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
        raise ImportFormatError(f"not a readable DOCX file: {exc}", location=name) from exc
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
            f"unsupported format (use one of {', '.join(sorted(set(FORMATS.values())))})",
            location=name,
        )
    parsed = _PARSERS[fmt](data, name)
    if not parsed.blocks:
        raise ImportFormatError("no text found", location=name)
    return parsed


def parse_file(path: Path) -> tuple[ParsedFile, bytes]:
    """Read and parse ``path``; return the parsed file and its raw bytes (for the content hash)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"cannot read file: {exc.strerror}", location=str(path)) from exc
    return parse_bytes(data, str(path)), data
