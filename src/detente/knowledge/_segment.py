"""Split a document's blocks into provisions that keep their numbering and hierarchy.

Structural units have fixed ranks: part and annex (0), chapter (1), section (2: EU "SECTION n",
Chinese 第…节), article-level units (3: Article n, US "Sec. n", Chinese 第…条, recitals, preamble
paragraphs, operative paragraphs of resolutions), US sub-sections "4.2." (3.5) and numbered
paragraphs "1." (4). Parenthesised points ``(a)``, ``(i)``, ``(A)``, ``(1)``, ``（一）`` nest by
the order in which their numbering styles appear under a paragraph, which copes with every
drafting convention we have met (EU: (a) then (i); US orders: (a) then (i) then (A)). Text with
no number of its own (subparagraphs, a Chinese article's further paragraphs) joins the nearest
enclosing unit of paragraph rank or above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from detente.knowledge._parsers import Block

__all__ = ["Segment", "segment_blocks"]

_CN_NUM = "一二三四五六七八九十百零〇两"
_ROMAN = re.compile(r"^[ivxlc]+$")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("cn_part", re.compile(rf"^第([{_CN_NUM}\d]+)编\s*(.*)$")),
    ("cn_chapter", re.compile(rf"^第([{_CN_NUM}\d]+)章\s*(.*)$")),
    ("cn_section", re.compile(rf"^第([{_CN_NUM}\d]+)节\s*(.*)$")),
    ("cn_article", re.compile(rf"^第([{_CN_NUM}\d]+)条\s*(.*)$", re.S)),
    ("part", re.compile(r"^PART\s+([IVXLC]+|\d+)\b\.?\s*(.*)$", re.I)),
    ("chapter", re.compile(r"^CHAPTER\s+([IVXLC]+|\d+)\b\.?\s*[-—:]?\s*(.*)$", re.I)),
    (
        "annex",
        re.compile(r"^ANNEX\s+([IVXLC]+|\d+|[A-Z])?\s*[-—:]?\s*$|^ANNEX\s+([IVXLC]+)\b\s*(.*)$"),
    ),
    ("section", re.compile(r"^SECTION\s+(\d+|[IVXLC]+)\s*$", re.I)),
    ("us_section", re.compile(r"^(?:Section|Sec\.)\s+(\d+)\.\s*(.*)$", re.S)),
    (
        "article",
        re.compile(r"^Article\s+(\d+[a-z]?)\s*$|^Article\s+(\d+[a-z]?)\s*[.:—-]\s*(.*)$", re.S),
    ),
    ("subsection", re.compile(r"^(\d+\.\d+)\.\s+(.*)$", re.S)),
    ("paragraph", re.compile(r"^(\d{1,3})\.\s+(.*)$", re.S)),
    ("point", re.compile(r"^\(([a-z]{1,2}|[ivxlc]+|[A-Z]|\d{1,3})\)\s*(.*)$", re.S)),
    ("cn_point", re.compile(rf"^[（(]([{_CN_NUM}]+)[）)]\s*(.*)$", re.S)),
]
_RANK = {
    "cn_part": 0,
    "part": 0,
    "annex": 0,
    "cn_chapter": 1,
    "chapter": 1,
    "cn_section": 2,
    "section": 2,
    "cn_article": 3,
    "article": 3,
    "us_section": 3,
    "recital": 3,
    "preamble": 3,
    "operative_paragraph": 3,
    "subsection": 3.5,
    "paragraph": 4,
}
_KIND = {
    "cn_part": "part",
    "cn_chapter": "chapter",
    "cn_section": "section",
    "cn_article": "article",
    "us_section": "section",
    "subsection": "section",
    "cn_point": "point",
}


@dataclass
class Segment:
    """One provision before it is stored: numbering, place in the tree and text."""

    index: int
    kind: str
    number: str | None
    label: str
    rank: float
    parent: int | None
    title: str | None = None
    parts: list[str] = field(default_factory=list)
    style: str | None = None
    path: str = ""

    @property
    def text(self) -> str:
        """The provision's own text (its sub-provisions are separate segments)."""
        return "\n\n".join(self.parts)


def _split_title(rest: str) -> tuple[str | None, str]:
    """US style 'Purpose.  Text...' -> ('Purpose', 'Text...') when the head is short."""
    match = re.match(r"^([^.]{2,140}?)\.(?:\s+|(?=[A-Z(“\"]))(.*)$", rest, re.S)
    if match and not re.match(r"^\(", rest):
        return match.group(1).strip(), match.group(2).strip()
    stripped = rest.strip().rstrip(".")
    if stripped and len(stripped) < 140 and not re.search(r"[.;:]", stripped):
        return stripped, ""
    return None, rest.strip()


def _explode(block: Block) -> list[Block]:
    """Split inline markers that open a new unit mid-block: 'Title.  (a)  Within 90 days...'."""
    match = re.match(
        r"^((?:Section|Sec\.)\s+\d+\.|\d+\.\d+\.)\s+([^.(]{2,140}?\.)\s*(\(a\)\s.*)$",
        block.text,
        re.S,
    )
    if match:
        return [Block(f"{match.group(1)} {match.group(2)}", block.heading), Block(match.group(3))]
    return [block]


_CN_UNIT = {"cn_part": "编", "cn_chapter": "章", "cn_section": "节", "cn_article": "条"}


def _label(kind: str, number: str | None, style: str | None) -> str:
    if kind in {"cn_part", "cn_chapter", "cn_section", "cn_article"}:
        return f"第{number}{_CN_UNIT[kind]}"
    if kind == "cn_point":
        return f"（{number}）"
    names = {
        "part": "Part",
        "chapter": "Chapter",
        "annex": "Annex",
        "section": "Section",
        "article": "Article",
        "us_section": "Sec.",
        "recital": "Recital",
        "preamble": "Preamble",
    }
    if kind in names:
        return f"{names[kind]} {number}".strip()
    if kind == "point":
        return f"({number})"
    return str(number)


def _roman_value(numeral: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = values.get(char, 0)
        total += -value if following and values.get(following, 0) > value else value
    return total


class _Builder:
    """Walks the blocks once, keeping a stack of open units."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.stack: list[Segment] = []
        self.in_preamble = True
        self.preamble_count = 0
        self.last_was_structural_heading = False

    def _open(
        self, kind: str, number: str | None, rank: float, style: str | None = None
    ) -> Segment:
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        parent = self.stack[-1].index if self.stack else None
        segment = Segment(
            index=len(self.segments),
            kind=_KIND.get(kind, kind),
            number=number,
            label=_label(kind, number, style),
            rank=rank,
            parent=parent,
            style=style,
        )
        self.segments.append(segment)
        self.stack.append(segment)
        return segment

    def _open_style(self, style: str) -> Segment | None:
        for segment in reversed(self.stack):
            if segment.rank < 5:
                return None
            if segment.style == style:
                return segment
        return None

    def _point_style(self, number: str) -> str:
        if number.isdigit():
            return "digit"
        if re.fullmatch(r"[A-Z]", number):
            return "upper"
        lower, roman = self._open_style("lower"), self._open_style("roman")
        if lower and lower.number and len(number) == 1 and ord(number) == ord(lower.number[-1]) + 1:
            return "lower"
        if (
            roman
            and roman.number
            and _ROMAN.match(number)
            and (_roman_value(number) == _roman_value(roman.number) + 1)
        ):
            return "roman"
        if _ROMAN.match(number) and (number == "i" or len(number) > 1):
            return "roman"
        return "lower"

    def _open_point(self, number: str, style: str) -> Segment:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].rank < 5:
                break
            if self.stack[depth].style == style:
                del self.stack[depth:]
                break
        top = self.stack[-1] if self.stack else None
        rank = (top.rank + 1) if top and top.rank >= 5 else 5
        return self._open("point" if style != "cjk" else "cn_point", number, rank, style)

    def _append(self, text: str) -> None:
        holder = next((s for s in reversed(self.stack) if s.rank <= 4), None)
        if holder is None or self.in_preamble:
            self.preamble_count += 1
            holder = self._open("preamble", str(self.preamble_count), 3)
        holder.parts.append(text)

    def add(self, block: Block) -> None:
        for piece in _explode(block):
            self._add(piece)

    def _add(self, block: Block) -> None:
        text = block.text
        for name, pattern in _PATTERNS:
            match = pattern.match(text)
            if not match:
                continue
            groups = [g for g in match.groups()]
            if name in {"paragraph", "point", "cn_point"} and block.heading and name != "paragraph":
                continue
            if name == "point":
                number, rest = groups[0], groups[1]
                if self.in_preamble and number.isdigit():
                    segment = self._open("recital", number, 3)
                else:
                    segment = self._open_point(number, self._point_style(number))
                segment.parts.append(rest.strip()) if rest.strip() else None
            elif name == "cn_point":
                segment = self._open_point(groups[0], "cjk")
                segment.parts.append(groups[1].strip()) if groups[1].strip() else None
            elif name == "paragraph":
                kind = "operative_paragraph" if self.in_preamble else "paragraph"
                segment = self._open(kind, groups[0], _RANK[kind])
                if block.heading:
                    segment.title = groups[1].strip()
                elif groups[1].strip():
                    segment.parts.append(groups[1].strip())
            elif name == "annex":
                number = groups[0] or groups[1]
                self.in_preamble = False
                segment = self._open(name, number or "", _RANK[name])
                if groups[2]:
                    segment.title = groups[2].strip()
            elif name == "cn_article":
                self.in_preamble = False
                segment = self._open(name, groups[0], _RANK[name])
                if groups[1].strip():
                    segment.parts.append(groups[1].strip())
            elif name == "article":
                self.in_preamble = False
                segment = self._open(name, groups[0] or groups[1], _RANK[name])
                if groups[2]:
                    segment.title = groups[2].strip()
            elif name in {"us_section", "subsection"}:
                self.in_preamble = False
                segment = self._open(name, groups[0], _RANK[name])
                title, rest = _split_title(groups[1])
                segment.title = title
                if rest:
                    segment.parts.append(rest)
            else:  # part, chapter, section and their Chinese forms
                self.in_preamble = False
                segment = self._open(name, groups[0], _RANK[name])
                if len(groups) > 1 and groups[1] and groups[1].strip():
                    segment.title = groups[1].strip()
            self.last_was_structural_heading = (
                segment.kind in {"part", "chapter", "section", "article", "annex"}
                and not segment.parts
            )
            return
        if block.heading or self._is_caps_title(text):
            top = self.stack[-1] if self.stack else None
            if top is not None and self.last_was_structural_heading and not top.title:
                top.title = text
                return
        self.last_was_structural_heading = False
        self._append(text)

    @staticmethod
    def _is_caps_title(text: str) -> bool:
        return len(text) < 120 and text.upper() == text and any(c.isalpha() for c in text)


def segment_blocks(blocks: list[Block]) -> list[Segment]:
    """Segments in document order, each knowing its parent's index and its citation path.

    The path joins the labels of the unit and its ancestors with " › "; paragraph and point
    labels run together as in legal citations ("Chapter II › Article 5 › 1(a)(ii)"). Paths are
    unique within a document (a repeated one gets " #2", " #3").
    """
    builder = _Builder()
    for block in blocks:
        builder.add(block)
    seen: dict[str, int] = {}
    for segment in builder.segments:
        parent = builder.segments[segment.parent] if segment.parent is not None else None
        if parent is None:
            path = segment.label
        elif segment.kind in {"paragraph", "point"} and parent.kind in {"paragraph", "point"}:
            path = parent.path.split(" #")[0] + segment.label
        else:
            path = f"{parent.path.split(' #')[0]} › {segment.label}"
        seen[path] = seen.get(path, 0) + 1
        segment.path = path if seen[path] == 1 else f"{path} #{seen[path]}"
    return builder.segments
