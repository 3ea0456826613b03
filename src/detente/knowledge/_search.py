"""Full-text search over provisions, in English and Chinese, on SQLite (FTS5) and PostgreSQL.

Both backends index three fields of each provision, lower-cased with Chinese segmented by jieba:
its own text (``search_text``, title included), its own title (``search_title``) and the titles
of the provisions above it (``search_heading``), so that a point of "Article 73 Reporting of
serious incidents" is found by "serious incident" although its own words never say so. A query
is a set of words (stop words of both languages dropped) and quoted phrases; a provision
matching any of them is a hit, and the backend ranks hits: bm25 with column weights over the
FTS5 table ``kb_provision_fts`` (Porter stemming) on SQLite; on PostgreSQL, over the weighted
``search_vector`` (English stemming plus the plain words), the sum over the query's words and
phrases of each one's ``ts_rank`` with field weights times its bm25 inverse document frequency
(``ts_rank`` alone weighs a common word like a rare one). On top of that ranking, the same on
both backends:

- neighbouring query words found side by side ("command and control") add to a hit's score;
- the taxonomy and its glossary expand the query (:func:`expansions`): the other language's
  words (a Chinese query finds English provisions and the reverse; hits found only that way
  say so), other words for the same thing ("deepfakes" also looks for "deep fake") and, with a
  lower weight, the rule phrases of the taxonomy term the query names ("autonomous weapons"
  also looks for "armed forces", "use of force"). Each group is ranked as one query and added
  with its weight, so a group of many words cannot outweigh the query's own words. A quoted
  phrase is expanded only as a whole;
- a hit tagged with a taxonomy term the query names (a tag not rejected) scores
  ``1 + TAG_BOOST`` times as much.

Each hit carries a snippet around the matched words. Filters narrow by tagged term, issuer (or
jurisdiction), document kind, date range and bindingness.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import json
import math
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    and_,
    column,
    exists,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.knowledge._abbreviations import abbreviations
from detente.knowledge._dictionary import english_for, segment_known
from detente.knowledge._legal import defined_term
from detente.knowledge._phrases import rule_phrases
from detente.knowledge._queries import document_status, documents_with_status, issuer_filter
from detente.knowledge._semantic import similarities
from detente.knowledge._taxonomy import Taxonomy
from detente.knowledge._text import has_cjk, query_tokens
from detente.store.models.knowledge import KbDocument, KbProvision, KbTag

__all__ = [
    "SearchFilters",
    "SearchHit",
    "apply_filters",
    "context_of",
    "make_snippet",
    "parse_query",
    "search",
    "translations",
]


@dataclass(frozen=True)
class SearchFilters:
    """Optional filters; ``issuer`` matches the issuer or jurisdiction (case-insensitive part,
    or the jurisdiction's name in the other language); ``status`` is one of
    :data:`~detente.knowledge._queries.STATUS_FILTERS` (the instrument's status today)."""

    term: str | None = None
    issuer: str | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    binding: bool | None = None
    status: str | None = None
    #: The documents ``status`` stands for (set by :func:`search`).
    documents: frozenset[int] | None = None


@dataclass(frozen=True)
class SearchHit:
    """One matching provision with its document and citation."""

    provision_id: int
    document_id: int
    document: str
    issuer: str
    kind: str
    number: str | None
    path: str
    text: str
    score: float
    tags: tuple[str, ...]
    #: The passage around the matched words: (text, matched) parts in order.
    snippet: tuple[tuple[str, bool], ...] = ()
    #: How the hit was found through the other language ("人工智能 → artificial intelligence").
    translated: tuple[str, ...] = ()
    role: str = "other"
    #: Found by meaning alone: none of the query's words (or their translations) is in it.
    semantic: bool = False
    #: The instrument's status today (:func:`~detente.knowledge._queries.document_status`):
    #: a hit from a revoked order says so.
    document_status: dict[str, Any] = field(default_factory=dict)

    @property
    def snippet_text(self) -> str:
        """The snippet as plain text."""
        return "".join(part for part, _ in self.snippet)

    @property
    def snippet_html(self) -> str:
        """The snippet as HTML: text escaped, matched words in ``<mark>``."""
        from markupsafe import escape

        return "".join(
            f"<mark>{escape(part)}</mark>" if hit else str(escape(part))
            for part, hit in self.snippet
        )

    def to_json(self) -> dict[str, object]:
        """JSON-ready form, with the link to the document page."""
        return {
            "snippet": self.snippet_text,
            "snippet_html": self.snippet_html,
            "highlights": [list(span) for span in _spans(self.snippet)],
            "translated": list(self.translated),
            "role": self.role,
            "semantic": self.semantic,
            "provision_id": self.provision_id,
            "document_id": self.document_id,
            "document": self.document,
            "issuer": self.issuer,
            "kind": self.kind,
            "number": self.number,
            "path": self.path,
            "text": self.text,
            "score": round(self.score, 4),
            "tags": list(self.tags),
            "url": f"/kb/documents/{self.document_id}#p{self.provision_id}",
            "document_status": dict(self.document_status),
        }


def apply_filters(statement: Select, filters: SearchFilters) -> Select:
    """Add the filters to a statement selecting from KbProvision joined to KbDocument."""
    if filters.term:
        statement = statement.where(
            exists().where(
                KbTag.provision_id == KbProvision.id,
                KbTag.term == filters.term,
                KbTag.status != "rejected",
            )
        )
    if filters.issuer:
        statement = statement.where(issuer_filter(filters.issuer))
    if filters.documents is not None:
        statement = statement.where(KbDocument.id.in_(sorted(filters.documents)))
    if filters.kind:
        statement = statement.where(KbDocument.kind == filters.kind)
    if filters.date_from:
        statement = statement.where(KbDocument.date >= filters.date_from)
    if filters.date_to:
        statement = statement.where(KbDocument.date <= filters.date_to)
    if filters.binding is not None:
        statement = statement.where(KbDocument.binding.is_(filters.binding))
    return statement


_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
        "shall",
        "should",
        "may",
        "must",
        "will",
        "not",
        "no",
        "any",
        "all",
        "such",
        "other",
        "than",
        "under",
        "where",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "how",
        "per",
        "via",
        "within",
        "without",
        "those",
        "these",
        "there",
        "been",
        "being",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "also",
        "only",
        "each",
        "every",
        "more",
        "most",
        # words of a question rather than of its subject
        "about",
        "regarding",
        "concerning",
        "say",
        "says",
        "i",
        "me",
        "we",
        "us",
        "our",
        "you",
        "they",
        "them",
        "if",
        "then",
        "so",
        "between",
        "against",
    ]
) | frozenset(
    ["的", "和", "与", "及", "或", "在", "对", "等", "中", "是", "为", "了", "以", "并", "其", "之"]
) | frozenset(["关于", "有关", "什么", "哪些", "如何", "怎样", "怎么", "吗", "呢", "我", "我们"])
_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」')
#: Weight of the matches found through the other language's words.
TRANSLATION_WEIGHT = 0.6
#: Weight of the matches of other words for the same thing in the query's language (glossary).
SYNONYM_WEIGHT = 0.6
#: Weight of the matches of a related taxonomy term's other rule phrases.
RELATED_WEIGHT = 0.5
#: Weight of the matches of two neighbouring query words side by side (added to their own).
PHRASE_WEIGHT = 0.5
#: Weights of a match in the provision's own text (title included), in its own title, and in
#: the titles of the provisions above it (bm25 column weights on SQLite, ts_rank's weights of
#: the B, A and C labels on PostgreSQL).
TEXT_WEIGHT = 1.0
TITLE_WEIGHT = 1.0
HEADING_WEIGHT = 1.0
_CANDIDATES = 300
#: PostgreSQL: each word's or phrase's ts_rank weighted by its bm25 idf (ts_rank has none).
PG_IDF = True
#: ts_rank's length normalisation flags with ``PG_IDF``: 16 divides a provision's rank by 1 +
#: the logarithm of its number of distinct words, so that long recitals repeating a query's
#: words do not outrank the short article about it (round 4; docs/validation.md).
PG_NORM = 16
#: A hit tagged with a taxonomy term the query names scores this much more (a share).
TAG_BOOST = 1.0
#: Quoted phrases are expanded only as a whole.
WHOLE_PHRASES = True
#: Search by meaning (:mod:`detente.knowledge._semantic`, once ``kb embed`` has run): a hit's
#: word score, scaled to the best hit's, plus this times its cosine similarity to the query.
SEMANTIC_WEIGHT = 2.0
#: The provisions nearest in meaning that join the hits without a word of the query.
SEMANTIC_CANDIDATES = 50
#: A query that names an instrument ("the AI Act", "EO 14110", "人工智能法") looks for its other
#: words, and that instrument's provisions score this much more (a share); 0 switches it off.
INSTRUMENT_BOOST = 1.0
#: A question asking what a term means ("what is a general-purpose AI model?", 提供者的定义):
#: a provision that defines that very term scores this much above the best other hit, so the
#: definitions come first; 0 switches it off.
DEFINITION_BOOST = 0.5
#: Weight of the long form of an abbreviation the corpus defines, when the query has the short
#: form ("OMB": "Office of Management and Budget"), and of the short form for the long one
#: (:mod:`detente.knowledge._abbreviations`); 0 switches it off.
ABBREVIATION_WEIGHT = 0.6
#: Weight of the English senses of a Chinese query's words that neither the glossary nor the
#: taxonomy translates (CC-CEDICT, :mod:`detente.knowledge._dictionary`); 0 switches it off.
DICTIONARY_WEIGHT = 0.6


@dataclass(frozen=True)
class ParsedQuery:
    """A query as units to look for: single words and phrases (each a list of tokens, with
    whether its tokens must be adjacent)."""

    units: tuple[tuple[tuple[str, ...], bool], ...]
    highlight: tuple[str, ...]


def parse_query(query: str) -> ParsedQuery:
    """Words (stop words dropped) and quoted phrases of ``query``; Chinese words segmented."""
    units: list[tuple[tuple[str, ...], bool]] = []
    highlight: list[str] = []
    rest = query
    for match in _PHRASE.finditer(query):
        phrase = next(g for g in match.groups() if g)
        words = tuple(query_tokens(phrase))
        if words:
            units.append((words, not has_cjk(phrase)))
            highlight.append(phrase.lower() if not has_cjk(phrase) else phrase)
    rest = _PHRASE.sub(" ", query)
    for word in query_tokens(rest):
        if word in _STOPWORDS or (word, False) in [
            (u[0][0], u[1]) for u in units if len(u[0]) == 1
        ]:
            continue
        units.append(((word,), False))
        highlight.append(word)
    return ParsedQuery(tuple(units), tuple(highlight))


def _unit(words: Sequence[str], adjacent: bool) -> ParsedQuery:
    return ParsedQuery(((tuple(words), adjacent),), ())


@dataclass(frozen=True)
class Expansion:
    """Words a query's word calls up: its equivalents in the other language (``cross``), or
    other words for the same thing in the same language, each group weighted as a whole."""

    source: str
    targets: tuple[str, ...]
    weight: float
    cross: bool
    #: Where the words come from (a feature of the re-ranker, :data:`EXPANSION_KINDS`).
    kind: str = "translation"


def _light_stem(word: str) -> str:
    """Singular of an English word, enough to match "deepfakes" with "deepfake"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _stems(text: str) -> tuple[str, ...]:
    return tuple(_light_stem(w) for w in query_tokens(text))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return bool(size) and any(
        haystack[i : i + size] == needle for i in range(len(haystack) - size + 1)
    )


def _expansions_of(query: str, taxonomy: Taxonomy) -> list[Expansion]:
    """The groups of words a query calls up through the taxonomy and its glossary.

    - a glossary entry whose words occur in the query (English compared in the singular,
      Chinese as written) gives its words in the other language (weight ``TRANSLATION_WEIGHT``)
      and its other words in the query's language (``SYNONYM_WEIGHT``: "deepfakes" also looks
      for "deep fake", "penalties" for "fines");
    - a taxonomy term (risk domain, governance tool or actor) whose lexicon matches the query
      gives its Chinese keywords or English rule phrases as translations (``TRANSLATION_WEIGHT``
      times ``RELATED_WEIGHT`` for English rule phrases, which name related things rather than
      the same one) and, in the query's language, its other rule phrases (``RELATED_WEIGHT``:
      "autonomous weapons" also looks for "armed forces", "military", "use of force").

    Words already in the query are not looked for again; each group keeps at most 8 targets.
    """
    out: list[Expansion] = []
    lowered = query.lower()
    asked = _stems(query)
    seen: set[tuple[str, ...]] = set()
    cjk = has_cjk(query)

    def add(source: str, targets: Sequence[str], weight: float, cross: bool, kind: str) -> None:
        kept: list[str] = []
        for target in targets:
            key = _stems(target)
            if not key or key in seen or _contains(asked, key) or target.lower() in lowered:
                continue
            seen.add(key)
            kept.append(target)
        if kept and weight > 0:
            out.append(Expansion(source, tuple(kept[:8]), weight, cross, kind))

    if cjk:
        keywords = {k for t in taxonomy.terms for k in (*t.zh, t.label_zh) if k and k in query}
        keywords |= {k for _, chinese in taxonomy.glossary for k in chinese if k in query}
        # A word inside a longer matched word (武器 in 核武器) is not looked up on its own.
        keywords = {k for k in keywords if not any(k != o and k in o for o in keywords)}
        for english, chinese in taxonomy.glossary:
            found = [k for k in chinese if k in keywords]
            if found:
                add(found[0], english, TRANSLATION_WEIGHT, True, "translation")
                add(found[0], [c for c in chinese if c not in found], SYNONYM_WEIGHT, False,
                    "synonym")
        for term in taxonomy.terms:
            if term.facet == "theme":
                continue
            found = [k for k in (*term.zh, term.label_zh) if k in keywords]
            if found:
                phrases = [p for rule in term.en for p in rule_phrases(rule, limit=2)]
                add(found[0], phrases, TRANSLATION_WEIGHT * RELATED_WEIGHT, True, "related")
                add(found[0], term.zh, RELATED_WEIGHT, False, "related")
        if DICTIONARY_WEIGHT > 0:
            # The query's other Chinese words, through the general dictionary.
            for word in query_tokens(query):
                if not has_cjk(word) or word in _STOPWORDS or any(word in k for k in keywords):
                    continue
                for part in [word] if english_for(word) else segment_known(word):
                    if part in _STOPWORDS or any(part in k for k in keywords):
                        continue
                    add(part, english_for(part), DICTIONARY_WEIGHT, True, "dictionary")
    else:
        words = _stems(query)
        for english, chinese in taxonomy.glossary:
            # The longest form found names the match ("serious incident", not "incident").
            found = sorted(
                (e for e in english if _contains(words, _stems(e))), key=len, reverse=True
            )
            if found:
                add(found[0], chinese, TRANSLATION_WEIGHT, True, "translation")
                add(found[0], [e for e in english if e not in found], SYNONYM_WEIGHT, False,
                    "synonym")
        for term in taxonomy.terms:
            if term.facet == "theme":
                continue
            hit = next((m.group(0) for p in term.patterns for m in p.finditer(query)), None)
            if hit:
                add(hit, term.zh, TRANSLATION_WEIGHT * RELATED_WEIGHT, True, "related")
                phrases = [p for rule in term.en for p in rule_phrases(rule, limit=2)]
                add(hit, phrases, RELATED_WEIGHT, False, "related")
    return out


def expansions(query: str, taxonomy: Taxonomy) -> list[Expansion]:
    """The groups of words a query calls up through the taxonomy and its glossary (see
    :func:`_expansions_of`). A quoted phrase asks for those words: it is expanded only as a
    whole ("serious incident" → 严重事件), never word by word ("AI Safety Institute" does not
    also look for "artificial intelligence")."""
    phrases = [next(g for g in m.groups() if g) for m in _PHRASE.finditer(query)]
    if not phrases or not WHOLE_PHRASES:
        return _expansions_of(query, taxonomy)
    rest = _PHRASE.sub(" ", query)
    out = _expansions_of(rest, taxonomy) if query_tokens(rest) else []
    for phrase in phrases:
        whole = phrase.strip() if has_cjk(phrase) else _stems(phrase)
        out.extend(
            e for e in _expansions_of(phrase, taxonomy)
            if (e.source.strip() if has_cjk(phrase) else _stems(e.source)) == whole
        )
    return out


def named_terms(query: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """Ids of the taxonomy terms (risk domains, governance tools, actors) the query names: an
    English rule of the term matches the query, or a Chinese keyword of it occurs in it."""
    if has_cjk(query):
        keywords = {k for t in taxonomy.terms for k in (*t.zh, t.label_zh) if k and k in query}
        keywords = {k for k in keywords if not any(k != o and k in o for o in keywords)}
        return tuple(
            t.id for t in taxonomy.terms
            if t.facet != "theme" and any(k in keywords for k in (*t.zh, t.label_zh))
        )
    return tuple(
        t.id for t in taxonomy.terms
        if t.facet != "theme" and any(p.search(query) for p in t.patterns)
    )


def translations(query: str, taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """(source words, other-language words) pairs a query's words call up (see
    :func:`expansions`)."""
    return [(e.source, t) for e in expansions(query, taxonomy) if e.cross for t in e.targets]


#: How Chinese names a kind of instrument (the words of its English short title).
_KIND_ZH = {"act": ("法", "法案"), "regulation": ("条例",), "memorandum": ("备忘录",)}


@lru_cache(maxsize=1024)
def instrument_names(title: str) -> tuple[str, ...]:
    """The ways an analyst names the instrument titled ``title``, from the title alone: its short
    title ("Artificial Intelligence Act"; "Executive Order 14110"; "NSM-25"), that with "AI"
    for "Artificial Intelligence" ("AI Act"), an executive order as "EO 14110" and its number,
    an EU act's number ("2024/1689"), a short title of letters and a number without the number
    ("NSM"), and in Chinese through the glossary's words and the kind of instrument ("人工智能法",
    "第14110号行政令")."""
    from detente.knowledge._legal import short_title

    short = short_title(title)
    names = {short}
    if re.search(r"artificial intelligence", short, re.I):
        names.add(re.sub(r"artificial intelligence", "AI", short, flags=re.I))
        for english in re.findall(r"[A-Za-z]+$", short):
            for chinese in _KIND_ZH.get(english.lower(), ()):
                names.add("人工智能" + chinese)
    order = re.search(r"Executive Order (\d{4,6})", title)
    if order:
        number = order.group(1)
        names |= {f"EO {number}", f"E.O. {number}", number, f"第{number}号行政令",
                  f"{number}号行政令", f"行政令{number}"}
    for number in re.findall(r"\b(?:19|20)\d\d/\d{3,5}\b", title):
        names.add(number)
    lettered = re.fullmatch(r"([A-Z]{3,})[- ](\d+)", short)
    if lettered:
        names |= {f"{lettered.group(1)} {lettered.group(2)}", lettered.group(1)}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    if has_cjk(name):
        return re.compile(re.escape(name))
    return re.compile(r"(?<![\w/.])(?:the\s+)?" + re.escape(name) + r"(?![\w/])", re.I)


def named_instruments(session: Session, query: str) -> tuple[set[int], str]:
    """The documents the query names (:func:`instrument_names`) and the query without the
    names (the query itself when nothing else would be left)."""
    found: set[int] = set()
    rest = query
    for document_id, title in session.execute(select(KbDocument.id, KbDocument.title)):
        for name in instrument_names(title or ""):
            pattern = _name_pattern(name)
            if pattern.search(rest):
                found.add(int(document_id))
                rest = pattern.sub(" ", rest)
    if not found:
        return found, query
    return found, rest if parse_query(rest).units else query


def abbreviation_expansions(
    session: Session, query: str, taken: Set[tuple[str, ...]] = frozenset()
) -> list[Expansion]:
    """The long forms of the abbreviations the query uses, and the short forms of the long
    forms it spells out, as the corpus defines them (``ABBREVIATION_WEIGHT``)."""
    out: list[Expansion] = []
    asked = _stems(query)
    typed = set(re.findall(r"[A-Za-z][A-Za-z0-9&-]*", query))
    seen = set(taken)
    for short, long in abbreviations(session).items():
        if short.lower() in _SKIPPED_ABBREVIATIONS:
            continue
        # The short form as the corpus writes it ("CHIPS", not the word "chips").
        if short in typed:
            target, source = long, short
        elif _contains(asked, _stems(long)):
            target, source = short, long
        else:
            continue
        key = _stems(target)
        if not key or key in seen or _contains(asked, key):
            continue
        seen.add(key)
        out.append(Expansion(source, (target,), ABBREVIATION_WEIGHT, False, "abbreviation"))
    return out


#: Questions about when an instrument applies, and the words its provisions on dates use.
_WHEN_QUESTION = re.compile(
    r"\bwhen\b.*\b(?:appl(?:y|ies|icable)|effect|force|start|begin|enter)|"
    r"(?:何时|什么时候|哪天|何日).*(?:适用|生效|施行|实施)|(?:生效|适用|施行|实施)(?:时间|日期)",
    re.I,
)
_WHEN_WORDS = ("entry into force", "shall apply from", "date of application")


def question_expansions(query: str) -> list[Expansion]:
    """Words for what a question asks that its own words do not say: "when does … apply?"
    looks for the provisions on entry into force and application dates (``SYNONYM_WEIGHT``)."""
    if not _WHEN_QUESTION.search(query):
        return []
    asked = _stems(query)
    targets = tuple(t for t in _WHEN_WORDS if not _contains(asked, _stems(t)))
    return (
        [Expansion(query.strip(), targets, SYNONYM_WEIGHT, has_cjk(query), "question")]
        if targets
        else []
    )


#: Questions asking what a term means; the group ``term`` is the term.
_DEFINITION_QUESTION = (
    re.compile(
        r"^\s*(?:what\s+(?:is|are)|what\s+counts\s+as|who\s+(?:is|are|counts\s+as)|"
        r"define|definitions?\s+of|meaning\s+of|what\s+is\s+meant\s+by)\s+"
        r"(?:an?\s+|the\s+)?[‘'\"“]?(?P<term>[^?？‘'\"“”’]+?)[’'\"”]?\s*[?？]?\s*$",
        re.I,
    ),
    re.compile(
        r"^\s*(?:what\s+does|what\s+do)\s+(?:an?\s+|the\s+)?[‘'\"“]?(?P<term>[^?？‘'\"“”’]+?)"
        r"[’'\"”]?\s+mean\s*[?？]?\s*$",
        re.I,
    ),
    re.compile(r"^\s*(?P<term>[^?？]+?)\s+(?:definition|defined|meaning)\s*[?？]?\s*$", re.I),
    re.compile(r"^\s*(?:什么是|何为|何谓)\s*[“「]?(?P<term>[^？?”」]+?)[”」]?\s*[？?]?\s*$"),
    re.compile(
        r"^\s*[“「]?(?P<term>[^？?”」]+?)[”」]?\s*(?:的定义|的含义|的概念|是什么|指什么|是指什么|"
        r"如何定义|怎么定义|定义)\s*[？?]?\s*$"
    ),
)
_TERM_TAIL = re.compile(
    r"\s+(?:under|in|according\s+to|for\s+the\s+purposes?\s+of|within|of\s+the\s+(?:EU|US))\s+",
    re.I,
)


def definition_question(query: str) -> str | None:
    """The term a question asks the meaning of ("what is a general-purpose AI model?" →
    "general-purpose AI model", 提供者的定义 → 提供者), or None."""
    for pattern in _DEFINITION_QUESTION:
        found = pattern.match(query)
        if found:
            # "… under the AI Act", "… in EO 14110": the term ends before the instrument.
            term = _TERM_TAIL.split(found.group("term"), maxsplit=1)[0].strip()
            if term:
                return term
    return None


def _definitions_of(
    session: Session, term: str, taxonomy: Taxonomy, filters: SearchFilters
) -> set[int]:
    """The provisions (role ``definition``) that define ``term`` or, for a term in the other
    language, its translation by the glossary as a whole (not a part of it: 前沿人工智能模型 is
    no "AI model"): same words, stemmed, in the same order."""
    wanted = {_stems(term)}
    wanted |= {
        _stems(target)
        for group in expansions(term, taxonomy)
        if group.cross and group.weight >= TRANSLATION_WEIGHT and group.source == term
        for target in group.targets
    }
    wanted.discard(())
    rows = session.execute(
        apply_filters(
            select(KbProvision.id, KbProvision.text)
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
            .where(KbProvision.role == "definition"),
            filters,
        )
    ).all()
    found = set()
    for pid, own in rows:
        name = defined_term(own or "")
        if name and _stems(name) in wanted:
            found.add(pid)
    return found


#: Abbreviations the glossary already handles in both languages.
_SKIPPED_ABBREVIATIONS = frozenset({"ai"})


def meaning_text(query: str, translated: Sequence[Expansion] = ()) -> str:
    """What search by meaning embeds for ``query``: an English query as typed (quotes
    dropped); a Chinese one as the English words its words translate to, with any Latin words
    it holds."""
    if not has_cjk(query):
        return " ".join(_PHRASE.sub(lambda m: next(g for g in m.groups() if g), query).split())
    latin = [w for w in query_tokens(query) if not has_cjk(w) and w not in _STOPWORDS]
    english = [t for group in translated for t in group.targets if not has_cjk(t)]
    return " ".join(dict.fromkeys([*latin, *english]))


def proximity_units(query: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Pairs of neighbouring query words as phrases ("nuclear command", "command and
    control"): a provision that has them side by side ranks above one that has them apart."""
    rest = _PHRASE.sub(" | ", query)
    units: list[tuple[tuple[str, ...], bool]] = []
    for chunk in rest.split("|"):
        if has_cjk(chunk):
            continue
        words = query_tokens(chunk)
        content = [i for i, w in enumerate(words) if w not in _STOPWORDS]
        for a, b in itertools.pairwise(content):
            if b - a <= 2:
                units.append((tuple(words[a : b + 1]), True))
    return tuple(units)


def _fts_unit(words: Sequence[str], adjacent: bool) -> str:
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if len(quoted) == 1:
        return quoted[0]
    if adjacent:
        return '"' + " ".join(w.replace('"', '""') for w in words) + '"'
    return "(" + " AND ".join(quoted) + ")"


def _pg_unit(words: Sequence[str], adjacent: bool) -> ColumnElement[Any]:
    """The tsquery of one unit: a phrase, or the words stemmed (English) or as written."""
    english: ColumnElement[Any] = literal_column("'english'::regconfig")
    simple: ColumnElement[Any] = literal_column("'simple'::regconfig")
    joined = " ".join(words)
    if adjacent and len(words) > 1:
        return func.phraseto_tsquery(english, joined)
    return func.plainto_tsquery(english, joined).op("||")(func.plainto_tsquery(simple, joined))


Unit = tuple[tuple[str, ...], bool]


#: Per database: (provision count, highest id, sum of ids) and each unit's document frequency,
#: kept until provisions are added or removed (their text is written only when they are).
_df_cache: dict[str, tuple[tuple[int, int, int], dict[Unit, int]]] = {}


def _pg_idf(session: Session, units: Sequence[Unit]) -> dict[Unit, float]:
    """bm25's inverse document frequency of each unit over all provisions, as FTS5 computes
    it (ln((N - n + 0.5) / (n + 0.5)), at least 1e-6); the units not yet counted are counted
    in one statement over the index."""
    vector: ColumnElement[Any] = literal_column("kb_provisions.search_vector")
    count, top, total = session.execute(
        select(func.count(), func.max(KbProvision.id), func.sum(KbProvision.id))
    ).one()
    stamp = (int(count or 0), int(top or 0), int(total or 0))
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    cached = _df_cache.get(key)
    known = cached[1] if cached and cached[0] == stamp else {}
    missing = [unit for unit in dict.fromkeys(units) if unit not in known]
    if missing:
        queries = [_pg_unit(words, adjacent) for words, adjacent in missing]
        any_unit = queries[0]
        for part in queries[1:]:
            any_unit = any_unit.op("||")(part)
        counts = session.execute(
            select(*(func.count().filter(vector.op("@@")(part)) for part in queries))
            .select_from(KbProvision)
            .where(vector.op("@@")(any_unit))
        ).one()
        known = {**known, **{u: int(c or 0) for u, c in zip(missing, counts, strict=True)}}
        if len(known) > 50_000:
            known = dict(zip(missing, (known[u] for u in missing), strict=True))
        _df_cache[key] = (stamp, known)
    n = stamp[0]
    return {
        unit: max(1e-6, math.log((n - known[unit] + 0.5) / (known[unit] + 0.5)))
        for unit in units
    }

def _ranked(
    session: Session,
    parsed: ParsedQuery,
    filters: SearchFilters,
    idf: dict[Unit, float] | None = None,
) -> list[tuple[int, float]]:
    """Provision ids and scores for any unit of ``parsed``, best first (bm25 / ts_rank)."""
    if not parsed.units:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        fts = (
            text(
                "SELECT rowid AS id, bm25(kb_provision_fts, :w_text, :w_title, :w_heading) "
                "AS rank FROM kb_provision_fts WHERE kb_provision_fts MATCH :q"
            )
            .columns(column("id", Integer), column("rank", Float))
            .subquery("fts")
        )
        score = (-fts.c.rank).label("score")
        statement = (
            select(KbProvision.id, score)
            .join(fts, fts.c.id == KbProvision.id)
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
        )
        params: dict[str, object] = {
            "q": " OR ".join(_fts_unit(w, a) for w, a in parsed.units),
            "w_text": TEXT_WEIGHT,
            "w_title": TITLE_WEIGHT,
            "w_heading": HEADING_WEIGHT,
        }
    else:
        vector: ColumnElement[Any] = literal_column("kb_provisions.search_vector")
        unit_queries = [_pg_unit(words, adjacent) for words, adjacent in parsed.units]
        tsquery: ColumnElement[Any] = unit_queries[0]
        for part in unit_queries[1:]:
            tsquery = tsquery.op("||")(part)
        # ts_rank takes weights in [0, 1] ({D, C, B, A}): the same ratios, scaled.
        top = max(HEADING_WEIGHT, TEXT_WEIGHT, TITLE_WEIGHT)
        weights: ColumnElement[Any] = literal_column(
            f"'{{0.0, {HEADING_WEIGHT / top:.4f}, {TEXT_WEIGHT / top:.4f}, "
            f"{TITLE_WEIGHT / top:.4f}}}'::float4[]"
        )
        matches = apply_filters(
            select(KbProvision.id.label("id"), vector.label("vector"))
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
            .where(vector.op("@@")(tsquery)),
            filters,
        )
        if PG_IDF:
            idf = idf if idf is not None else _pg_idf(session, parsed.units)
            # The vector is read once per hit (``|| ''``, under OFFSET 0, leaves it
            # decompressed), not once per ts_rank call.
            hits = (
                matches.with_only_columns(
                    KbProvision.id.label("id"),
                    vector.op("||")(literal_column("''::tsvector")).label("vector"),
                )
                .offset(0)
                .subquery("hits")
            )
            score = sum(
                (
                    idf[unit] * func.ts_rank(weights, hits.c.vector, part, PG_NORM)
                    for unit, part in zip(parsed.units, unit_queries, strict=True)
                ),
                start=literal_column("0.0"),
            ).label("score")
            ranked = select(hits.c.id, score).order_by(score.desc(), hits.c.id)
        else:
            score = func.ts_rank(weights, vector, tsquery, 1).label("score")
            ranked = matches.with_only_columns(KbProvision.id, score).order_by(
                score.desc(), KbProvision.id
            )
        return [
            (int(pid), float(value or 0.0))
            for pid, value in session.execute(ranked.limit(_CANDIDATES)).all()
        ]
    statement = apply_filters(statement, filters).order_by(score.desc(), KbProvision.id)
    return [
        (int(pid), float(value or 0.0))
        for pid, value in session.execute(statement.limit(_CANDIDATES), params).all()
    ]


@lru_cache(maxsize=1)
def _shipped_taxonomy() -> Taxonomy:
    """The shipped taxonomy, read once (parsing its YAML took longer than the search itself)."""
    from detente.knowledge._taxonomy import load_taxonomy

    return load_taxonomy()


#: Re-rank the first hits with the learned model of ``data/search-ranker.json`` (round 9,
#: docs/validation.md); False keeps round 8's ranking.
RERANK = True
#: Where each expansion group comes from: glossary words in the other language, the glossary's
#: other words in the query's language, a taxonomy term's related words, the Chinese
#: dictionary, an abbreviation the corpus defines, a question's words.
EXPANSION_KINDS = ("translation", "synonym", "related", "dictionary", "abbreviation", "question")
#: The re-ranker's features of a (query, hit) pair, in the model file's order.
FEATURES = (
    "fused",
    "fused_rank",
    "word_score",
    "word_rank",
    "words",
    "near",
    *EXPANSION_KINDS,
    "tagged",
    "via",
    "defining",
    "instrument",
    "similarity",
    "similarity_gap",
    "similarity_rank",
    "semantic_only",
    "coverage",
    "title_coverage",
    "length",
    *(f"role_{r}" for r in ("recital", "definition", "scope", "exclusion", "obligation",
                            "prohibition")),
)


@dataclass(frozen=True)
class Ranker:
    """A linear re-ranker: the first ``candidates`` hits are ordered by ``bias`` + the sum of
    ``weights`` times their :func:`rank_features`."""

    candidates: int
    weights: tuple[float, ...]
    bias: float


RANKER_PATH = Path(__file__).resolve().parents[1] / "data" / "search-ranker.json"


@lru_cache(maxsize=4)
def _ranker(kind: str) -> Ranker | None:
    """The shipped model for ``kind`` ("meaning": words and meaning; "words": words alone), or
    None when the file has none (round 8's ranking stays)."""
    if not RANKER_PATH.is_file():
        return None
    data = json.loads(RANKER_PATH.read_text(encoding="utf-8"))
    model = (data.get("models") or {}).get(kind)
    if not model or list(data.get("features") or []) != list(FEATURES):
        return None
    return Ranker(int(model["candidates"]), tuple(float(w) for w in model["weights"]),
                  float(model["bias"]))


def _covered(words: Sequence[str], haystack: str) -> bool:
    return all(
        (w if has_cjk(w) or len(w) <= 4 else _light_stem(w)[: max(4, len(w) - 2)]) in haystack
        for w in words
    )


def rank_features(
    session: Session, scoring: _Scoring, candidates: int
) -> tuple[list[int], list[list[float]]]:
    """The first ``candidates`` hits of ``scoring`` in round 8's order and the features of
    each (:data:`FEATURES`): scores as shares of the best among them, ranks as log(1 + rank),
    flags as 0 or 1."""
    pids = scoring.order[:candidates]
    if not pids:
        return [], []
    rows = {
        pid: (role, title, heading, body)
        for pid, role, title, heading, body in session.execute(
            select(
                KbProvision.id,
                KbProvision.role,
                KbProvision.search_title,
                KbProvision.search_heading,
                KbProvision.search_text,
            ).where(KbProvision.id.in_(pids))
        )
    }
    parts = scoring.parts
    word_order = sorted(
        (p for p in scoring.scores if "word_score" in parts.get(p, {})),
        key=lambda p: (-parts[p]["word_score"], p),
    )
    word_rank = {p: i for i, p in enumerate(word_order)}
    top_fused = max(abs(scoring.scores[p]) for p in pids) or 1.0
    top_word = max((parts.get(p, {}).get("word_score", 0.0) for p in pids), default=0.0) or 1.0
    meaning = scoring.meaning
    ranked_sims = sorted(meaning.values())
    best_sim = ranked_sims[-1] if ranked_sims else 0.0
    units = [words for words, _ in scoring.parsed.units]
    out = []
    for rank, pid in enumerate(pids):
        got = parts.get(pid, {})
        role, title, heading, body = rows.get(pid, ("other", "", "", ""))
        sim = meaning.get(pid, 0.0)
        above = len(ranked_sims) - bisect.bisect_right(ranked_sims, sim)
        values = {
            "fused": scoring.scores[pid] / top_fused,
            "fused_rank": math.log1p(rank),
            "word_score": got.get("word_score", 0.0) / top_word,
            "word_rank": math.log1p(word_rank.get(pid, len(word_order))),
            "words": got.get("words", 0.0) / top_word,
            "near": got.get("near", 0.0) / top_word,
            **{kind: got.get(kind, 0.0) / top_word for kind in EXPANSION_KINDS},
            "tagged": got.get("tagged", 0.0),
            "via": float(pid in scoring.via),
            "defining": got.get("defining", 0.0),
            "instrument": got.get("instrument", 0.0),
            "similarity": sim,
            "similarity_gap": sim - best_sim if meaning else 0.0,
            "similarity_rank": math.log1p(above) if meaning else 0.0,
            "semantic_only": float(pid in scoring.semantic_only),
            "coverage": (
                sum(_covered(u, body or "") for u in units) / len(units) if units else 0.0
            ),
            "title_coverage": (
                sum(_covered(u, f"{title or ''} {heading or ''}") for u in units) / len(units)
                if units
                else 0.0
            ),
            "length": math.log1p(len((body or "").split())),
            **{f"role_{r}": float(role == r) for r in ("recital", "definition", "scope",
                                                        "exclusion", "obligation",
                                                        "prohibition")},
        }
        out.append([float(values[name]) for name in FEATURES])
    return pids, out


def rerank(session: Session, scoring: _Scoring, model: Ranker) -> list[int]:
    """``scoring``'s order with its first ``model.candidates`` hits ordered by the model."""
    pids, rows = rank_features(session, scoring, model.candidates)
    value = [model.bias + sum(w * x for w, x in zip(model.weights, row, strict=True))
             for row in rows]
    # Ties keep round 8's order.
    head = sorted(range(len(pids)), key=lambda i: (-value[i], i))
    return [pids[i] for i in head] + scoring.order[len(pids):]


@dataclass(frozen=True)
class _Scoring:
    """A query's hits as round 8 ranks them, with what each score is made of."""

    query: str
    parsed: ParsedQuery
    highlight: tuple[str, ...]
    scores: dict[int, float]
    order: list[int]
    #: Per hit: the parts of its word score ("words", "near", each expansion kind's), and
    #: flags ("tagged", "defining", "instrument"); "word_score" is the score before meaning.
    parts: dict[int, dict[str, float]]
    via: dict[int, list[str]]
    semantic_only: set[int]
    #: Similarity by meaning of every embedded provision (empty without meaning).
    meaning: dict[int, float]


def _score(
    session: Session,
    query: str,
    filters: SearchFilters,
    *,
    taxonomy: Taxonomy | None,
    translate: bool,
) -> _Scoring:
    """Round 8's ranking of the hits of ``query`` (:func:`search` without the re-ranker)."""
    asked = query
    instruments: set[int] = set()
    if INSTRUMENT_BOOST > 0:
        instruments, query = named_instruments(session, query)
    parsed = parse_query(query)
    near = proximity_units(query) if PHRASE_WEIGHT > 0 else ()
    groups: list[tuple[Expansion, ParsedQuery]] = []
    extra_highlight: list[str] = []
    if translate:
        called = [*expansions(query, taxonomy or _shipped_taxonomy()), *question_expansions(query)]
        if ABBREVIATION_WEIGHT > 0:
            taken = {_stems(t) for g in called for t in g.targets}
            called += abbreviation_expansions(session, query, taken)
        for group in called:
            units = []
            for target in group.targets:
                words = query_tokens(target)
                if words:
                    units.append((tuple(words), not has_cjk(target)))
                    extra_highlight.append(target.lower())
            if units:
                groups.append((group, ParsedQuery(tuple(units), ())))
    idf = None
    if PG_IDF and session.get_bind().dialect.name == "postgresql":
        every = {*parsed.units, *near, *(u for _, g in groups for u in g.units)}
        idf = _pg_idf(session, sorted(every))
    scores: dict[int, float] = dict(_ranked(session, parsed, filters, idf))
    parts: dict[int, dict[str, float]] = {pid: {"words": v} for pid, v in scores.items()}
    if near:
        for pid, value in _ranked(session, ParsedQuery(near, ()), filters, idf):
            if pid in scores:
                scores[pid] += PHRASE_WEIGHT * value
                parts[pid]["near"] = PHRASE_WEIGHT * value
    via: dict[int, list[str]] = {}
    for group, group_query in groups:
        label = "; ".join(f"{group.source} → {t}" for t in group.targets[:3])
        for pid, value in _ranked(session, group_query, filters, idf):
            if pid not in scores and group.cross:
                via.setdefault(pid, []).append(label)
            scores[pid] = scores.get(pid, 0.0) + group.weight * value
            got = parts.setdefault(pid, {})
            got[group.kind] = got.get(group.kind, 0.0) + group.weight * value
    if translate and TAG_BOOST > 0 and scores:
        terms = named_terms(query, taxonomy or _shipped_taxonomy())
        if terms:
            tagged = set(
                session.scalars(
                    select(KbTag.provision_id).where(
                        KbTag.term.in_(terms), KbTag.status != "rejected"
                    )
                )
            )
            for pid in tagged & scores.keys():
                scores[pid] *= 1 + TAG_BOOST
                parts[pid]["tagged"] = 1.0
    for pid, value in scores.items():
        parts[pid]["word_score"] = value
    semantic_only: set[int] = set()
    near_by_meaning: dict[int, float] = {}
    if SEMANTIC_WEIGHT > 0:
        # The query's translation: the glossary's and the dictionary's words, not the
        # related words of a taxonomy term; an English query as asked, names included.
        meaning = meaning_text(
            asked if not has_cjk(asked) else query,
            [g for g, _ in groups if g.cross and g.weight >= TRANSLATION_WEIGHT],
        )
        near_by_meaning = similarities(session, meaning) if meaning else {}
        if near_by_meaning:
            # Word scores scaled to the best one, plus the cosine similarity times the weight;
            # the provisions nearest in meaning join the hits even without a word in common.
            best = max(scores.values(), default=0.0) or 1.0
            for pid in scores:
                scores[pid] = scores[pid] / best + SEMANTIC_WEIGHT * near_by_meaning.get(pid, 0.0)
            nearest = heapq.nsmallest(
                SEMANTIC_CANDIDATES, near_by_meaning, key=lambda p: (-near_by_meaning[p], p)
            )
            fresh = [p for p in nearest if p not in scores]
            if fresh:
                kept = session.scalars(
                    apply_filters(
                        select(KbProvision.id)
                        .join(KbDocument, KbDocument.id == KbProvision.document_id)
                        .where(KbProvision.id.in_(fresh)),
                        filters,
                    )
                ).all()
                for pid in kept:
                    scores[pid] = SEMANTIC_WEIGHT * near_by_meaning[pid]
                    parts[pid] = {}
                    semantic_only.add(pid)
                    if has_cjk(query):
                        via.setdefault(pid, []).append(f"{query.strip()} → {meaning}")
    asks_for = definition_question(asked) if translate and DEFINITION_BOOST > 0 else None
    defining: set[int] = set()
    if asks_for:
        defining = set(
            _definitions_of(session, asks_for, taxonomy or _shipped_taxonomy(), filters)
        )
        if defining:
            # The definitions of the term asked about come first, found by words or not.
            top = max((v for p, v in scores.items() if p not in defining), default=1.0) or 1.0
            for pid in defining:
                scores[pid] = top * (1 + DEFINITION_BOOST) + scores.get(pid, 0.0) * 1e-3
                parts.setdefault(pid, {})["defining"] = 1.0
    if instruments and scores:
        for pid in session.scalars(
            select(KbProvision.id).where(
                KbProvision.document_id.in_(instruments), KbProvision.id.in_(list(scores))
            )
        ):
            scores[pid] *= 1 + INSTRUMENT_BOOST
            parts[pid]["instrument"] = 1.0
    # Round 8's order: matches in the query's own language first, then those found only
    # through translation (the re-ranker, :func:`rerank`, orders the first hits by its model
    # alone and may put a translated hit first; docs/knowledge.md says so).
    order = sorted(scores, key=lambda pid: (pid in via, -scores[pid], pid))
    return _Scoring(
        query=query,
        parsed=parsed,
        highlight=tuple(extra_highlight),
        scores=scores,
        order=order,
        parts=parts,
        via=via,
        semantic_only=semantic_only,
        meaning=near_by_meaning,
    )


def search(
    session: Session,
    query: str,
    filters: SearchFilters | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    taxonomy: Taxonomy | None = None,
    translate: bool = True,
) -> list[SearchHit]:
    """Provisions matching any word or quoted phrase of ``query``, best first.

    Ranking is bm25-like on both backends (FTS5's bm25 on SQLite; on PostgreSQL each word's
    ``ts_rank`` times its idf) over title, text and the headings above, with words stemmed by
    the index
    (Porter / the English configuration); stop words are dropped, so a provision with more of
    the query's rarer words ranks higher, and neighbouring query words side by side add to the
    score. ``"..."`` asks for a phrase. With ``translate``, the query is also expanded through
    the taxonomy and glossary (:func:`expansions`): a Chinese query finds English provisions
    and the reverse (hits found only that way say so in ``translated``), and other words for
    the same thing and the related words of a named taxonomy term count with lower weights;
    hits tagged with a term the query names rank higher. Abbreviations the corpus defines are
    looked for both ways (:func:`abbreviation_expansions`), and a question about when something
    applies also looks for the provisions on dates of application (:func:`question_expansions`).

    Raises
    ------
    InputError
        When the query holds no searchable word.
    """
    filters = filters or SearchFilters()
    if not parse_query(query).units:
        raise InputError(_("the search query holds no word to look for"))
    if filters.status and filters.documents is None:
        filters = replace(
            filters, documents=frozenset(documents_with_status(session, filters.status))
        )
    scoring = _score(session, query, filters, taxonomy=taxonomy, translate=translate)
    scores, via, parsed = scoring.scores, scoring.via, scoring.parsed
    ranked = scoring.order
    model = _ranker("meaning" if scoring.meaning else "words") if RERANK else None
    if model is not None and offset < model.candidates:
        ranked = rerank(session, scoring, model)
    order = ranked[offset : offset + limit]
    semantic_only = scoring.semantic_only
    extra_highlight = list(scoring.highlight)
    if not order:
        return []
    rows = {
        p.id: (p, d)
        for p, d in session.execute(
            select(KbProvision, KbDocument)
            .join(KbDocument, KbDocument.id == KbProvision.document_id)
            .where(KbProvision.id.in_(order))
        ).all()
    }
    tags: dict[int, list[str]] = {i: [] for i in order}
    for pid, term in session.execute(
        select(KbTag.provision_id, KbTag.term).where(
            and_(KbTag.provision_id.in_(order), KbTag.status != "rejected")
        )
    ):
        tags[pid].append(term)
    words = [*parsed.highlight, *extra_highlight]
    return [
        provision_hit(*rows[pid], score=scores[pid], tags=tags[pid], words=words,
                      translated=tuple(via.get(pid, ())), semantic=pid in semantic_only)
        for pid in order
    ]


def provision_hit(p: KbProvision, d: KbDocument, *, score: float, tags: Sequence[str],
                  words: Sequence[str], translated: tuple[str, ...] = (),
                  semantic: bool = False) -> SearchHit:
    """The hit for provision ``p`` of document ``d``: its title and text, with a snippet around
    ``words`` (search and browse alike)."""
    full = "\n".join(x for x in (p.title, p.text) if x)
    return SearchHit(
        provision_id=p.id,
        document_id=d.id,
        document=d.title,
        issuer=d.issuer,
        kind=p.kind,
        number=p.number,
        path=p.path,
        text=full,
        score=score,
        tags=tuple(sorted(tags)),
        snippet=make_snippet(full, words),
        translated=translated,
        role=p.role,
        semantic=semantic,
        document_status=document_status(d),
    )


def _spans(snippet: Sequence[tuple[str, bool]]) -> list[tuple[int, int]]:
    spans, at = [], 0
    for part, hit in snippet:
        if hit:
            spans.append((at, at + len(part)))
        at += len(part)
    return spans


def _stem(word: str) -> str:
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def make_snippet(text: str, words: Sequence[str], width: int = 280) -> tuple[tuple[str, bool], ...]:
    """The passage of ``text`` (about ``width`` characters) with the most matches of
    ``words`` (English words matched by stem, phrases and Chinese words as written), split
    into (text, matched) parts."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for word in {w for w in words if w}:
        if has_cjk(word) or " " in word:
            needle = word.lower()
            start = lowered.find(needle)
            while start >= 0:
                spans.append((start, start + len(needle)))
                start = lowered.find(needle, start + len(needle))
        else:
            pattern = re.compile(rf"(?<![\w]){re.escape(_stem(word.lower()))}[\w'-]*", re.I)
            spans.extend(m.span() for m in pattern.finditer(text))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    if len(text) <= width:
        begin, finish = 0, len(text)
    elif merged:
        best = max(
            range(len(merged)),
            key=lambda i: sum(1 for s, _ in merged[i:] if s < merged[i][0] + width),
        )
        begin = max(0, merged[best][0] - width // 4)
        finish = min(len(text), begin + width)
        begin = max(0, min(begin, finish - width))
    else:
        begin, finish = 0, width
    if begin > 0:
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 and begin - space < 20 else begin
    if finish < len(text):
        space = text.find(" ", finish)
        finish = space if 0 <= space - finish < 20 else finish
    parts: list[tuple[str, bool]] = [("…", False)] if begin > 0 else []
    at = begin
    for start, end in merged:
        if end <= begin or start >= finish:
            continue
        start, end = max(start, begin), min(end, finish)
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < finish:
        parts.append((text[at:finish], False))
    if finish < len(text):
        parts.append(("…", False))
    return tuple(parts)


def context_of(path: str) -> list[str]:
    """The citation chain of a provision path ("Chapter II › Article 5 › 1(a)") as a list."""
    return path.split(" › ")
