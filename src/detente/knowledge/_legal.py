"""Legal effect: the role of a provision and the status of an instrument on a date.

A provision's **role** says what it does in law, read from its own wording (with a point that
has no wording of its own taking the role of the paragraph that introduces it, as the items of
"The following AI practices shall be prohibited:" do):

- ``recital`` — recitals and preambles: context, never coverage;
- ``definition`` — "'AI system' means ...", "For the purposes of this Regulation ...";
- ``exclusion`` — "This Regulation does not apply to ...", 不适用, when excluding is what the
  provision does first; one that opens with a duty and only then carves something out of it is
  that duty, an ``obligation`` or a ``prohibition`` (EO 14110 Sec. 7.2(a): "agencies shall use
  ... This directive does not apply to agencies' civil or criminal enforcement authorities");
- ``scope`` — "This Regulation applies to ...", an article titled Scope;
- ``exemption`` — "shall not apply to", "shall not be considered", "by derogation from", 豁免,
  and the items of a list of exceptions ("unless ... for one of the following objectives:"):
  relief from a rule, never coverage;
- ``prohibition`` — "shall be prohibited", "shall not", "must not", 禁止, 不得;
- ``obligation`` — "shall", "must", "should", "is required to", a resolution's "Calls upon",
  "Requests", "Urges"; 应当, 必须;
- ``other`` — everything else: purposes and policy statements (a section titled Purpose or
  Policy, and the points under it), headings, savings clauses ("Paragraphs 1 to 4 shall not
  affect"), amending text ("In Article 8 of Directive 2014/90/EU, the following paragraph is
  added: ..."), and the items of a list of criteria or risks ("the Commission shall take into
  account the following criteria:") or of a list that nothing introduces (footnotes and cited
  acts that follow a complete sentence).

What a provision does is read from its lead sentence first (up to the first full stop, colon or
semicolon): "Providers shall ensure ... This obligation shall not apply to ..." is an obligation
with an exemption, not an exemption, and "By derogation from paragraph 2, an AI system ... shall
not be considered to be high-risk" is an exemption. Only when the lead sentence has no such
wording does a point take its introducing paragraph's role, and only then the rest of the text
decides. A point inherits only from a parent whose text introduces a list (a block ending with a
colon or a dash): a list under a complete sentence is not that sentence's content.

An instrument's **status over time** comes from the manifest (``status``, ``status_date``,
``status_by``): in force from ``status_date`` (or from its date), revoked or superseded on
``status_date`` by ``status_by``, a draft (never in force) or not established. An instrument
with no status is presumed in force from its date (an instrument stays in force until something
ends it); one with neither a status nor a date is not: nothing says it was ever adopted, so its
status is not established. One whose source says its status is *not established* (NSM-25 in the
shared corpus) is not counted as in force either: coverage lists it apart, so that no finding
rests on it. An **illustrative** document (``extra.illustrative``: the demo's fictional sample)
is not an instrument at all and never counts.

An **exclusion of a domain** is read from what an instrument-wide exclusion excludes
(:func:`excluded_subjects`): "This Regulation does not apply to AI systems ... used exclusively
for military, defence or national security purposes" excludes military AI, while "This
Regulation applies neither to public authorities in a third country ..., provided that [they
provide] adequate safeguards with respect to the protection of fundamental rights" excludes
no domain (the proviso is not what is excluded), and "The obligation set out in this Article
shall not apply to ..." exempts from one article, not from the instrument.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = [
    "OPERATIVE_ROLES",
    "ROLES",
    "ROLE_RULES_REVISION",
    "defined_term",
    "display_label",
    "excluded_subjects",
    "in_force_on",
    "is_illustrative",
    "provision_role",
    "role_rules",
    "short_citation",
    "short_title",
    "status_on",
]

ROLES = (
    "recital",
    "definition",
    "scope",
    "exclusion",
    "exemption",
    "obligation",
    "prohibition",
    "other",
)
#: Roles that bind whoever the instrument addresses: what coverage counts by default.
OPERATIVE_ROLES = ("obligation", "prohibition")
_INHERITED = ("obligation", "prohibition", "definition", "exclusion", "exemption", "scope")
_INSTRUMENT = r"(?:regulation|directive|order|act|convention|memorandum|law|decision|resolution)"

_EXCLUSION = re.compile(
    r"\b(?:this|the) (?:" + _INSTRUMENT[3:-1] + r"|articles?|chapters?|sections?|titles?)\b"
    r"[^.;]{0,80}?\b(?:shall|does|do|will|should) not apply\b"
    r"|\b(?:this|the) " + _INSTRUMENT + r" (?:shall )?appl(?:y|ies) neither to\b"
    r"|\bexcluded from (?:the |its )?scope\b|\bfalls? outside (?:the |its )?scope\b"
    r"|不适用",
    re.I,
)
#: Savings clauses ("shall not affect", "is without prejudice to", "Paragraphs 1 to 4 shall not
#: affect", "Paragraph 1 shall not be interpreted as exempting"): not a prohibition.
_SAVINGS = re.compile(
    r"^\s*(?:this|the|paragraphs?|articles?|points?|subparagraphs?|sections?) [^.;]{0,80}?"
    r"\b(?:shall|does|do|will) not(?:,[^,]{0,40},)? "
    r"(?:affect|prejudice|preclude|impair|limit|alter|cover|include"
    r"|be (?:interpreted|construed|read) as)\b"
    r"|^\s*nothing in this\b",
    re.I,
)
#: Relief from a rule: "The obligations set out in paragraph 1 shall not apply to", "By
#: derogation from paragraph 2, an AI system ... shall not be considered to be high-risk".
_EXEMPTION = re.compile(
    r"\b(?:shall|does|do|will|should) not (?:be )?appl(?:y|ied|icable)\b"
    r"|\bshall not be (?:considered|deemed|regarded)\b"
    r"|\bby (?:way of )?derogation\b|\bderogat(?:e|ing) from\b"
    r"|\b(?:is|are|shall be) (?:hereby )?exempt(?:ed)? from\b|豁免",
    re.I,
)
#: Text that amends another act ("the following paragraph is added: '...'"): what it quotes
#: binds under that act, not this one.
_AMENDING = re.compile(
    r"\bthe following (?:paragraphs?|subparagraphs?|points?|articles?|sentences?|text|indents?)"
    r" (?:is|are|shall be) (?:added|inserted)\b|\b(?:is|are) (?:hereby )?amended as follows\b"
    r"|\b(?:is|are) replaced by the following\b",
    re.I,
)
_AMENDING_TITLE = re.compile(r"^\s*amendments? (?:to|of)\b|^\s*修改", re.I)
#: Sections that state a purpose or a policy: statements, not duties, and so are their points.
_POLICY_TITLE = re.compile(
    r"^\s*(?:purposes?|policy|policies|policy and principles|findings|background|objectives?)"
    r"\.?\s*$|^\s*(?:目的|立法目的)\s*$",
    re.I,
)
#: A lead-in that introduces a list of exceptions ("unless and in so far as such use is strictly
#: necessary for one of the following objectives:"): its items are exemptions.
_EXCEPTIONS_LEAD = re.compile(
    r"\b(?:unless|except)\b[^:：.;]{0,200}\bfollowing\b[^:：.;]{0,60}[:：—]\s*$"
    r"|\b(?:shall|does|do) not (?:be )?apply\b[^:：.;]{0,200}[:：—]\s*$",
    re.I,
)
#: A lead-in that introduces criteria or risks to weigh ("the Commission shall take into account
#: the following criteria:", "These risks from the use of AI include the following:"): its
#: items describe, they do not bind.
_DESCRIPTIVE_LEAD = re.compile(
    r"\bfollowing (?:criteria|risks|factors|considerations|objectives)\b[^:：.;]{0,40}[:：—]\s*$"
    r"|\b(?:criteria|risks|factors|considerations)\b[^:：.;]{0,80}\binclude\b"
    r"[^:：.;]{0,30}[:：—]\s*$",
    re.I,
)
#: The end of a provision's lead sentence: a full stop (not of "No.", "Art.", "e.g."), a colon or
#: a semicolon followed by a space, or the end of a line.
_LEAD_END = re.compile(
    r"(?<!\bNo)(?<!\bArt)(?<!\bSec)(?<!\bArts)(?<!e\.g)(?<!i\.e)(?<!\bp)(?<!\bpp)"
    r"[.;:](?=\s)|[。；：]|\n"
)
_DEFINITION = re.compile(
    r"^\s*(?:\(\w+\)\s*)?[‘'\"“][^’'\"”]{1,120}[’'\"”]\s+(?:means|shall mean|refers to|includes)\b"
    r"|\bthe (?:term|terms|expression) [‘'\"“][^’'\"”]{1,120}[’'\"”] (?:means|has the meaning)\b"
    r"|\bthe following definitions (?:shall )?apply\b|\bfor the purposes of this "
    + _INSTRUMENT
    + r"[^.]{0,40}:\s*$|是指|本(?:办法|规定|法|条例|决定)所称",
    re.I,
)
#: The term a provision defines: "'provider' means …", "The term "AI model" means …",
#: "(3) ‘provider’ means …", "“人工智能”是指……".
_DEFINED_TERM = re.compile(
    r"^\s*(?:\(\w+\)\s*)?(?:the\s+(?:term|terms|expression)\s+)?[‘'\"“](?P<en>[^’'\"”]{1,120})[’'\"”]"
    r"\s*(?:,\s*)?(?:means|shall\s+mean|refers\s+to|has\s+the\s+meaning|includes)\b"
    r"|^\s*(?:\(\w+\)\s*|（\w+）\s*)?[“「]?(?P<zh>[^“”「」，。；]{1,30})[”」]?，?是指",
    re.I,
)


def defined_term(text: str) -> str | None:
    """The term a provision defines, from its own text, or None."""
    found = _DEFINED_TERM.match(text)
    if not found:
        return None
    return (found.group("en") or found.group("zh") or "").strip() or None


_DEFINITION_TITLE = re.compile(r"^\s*(?:definitions?|用语含义|定义|术语)\b", re.I)
_SCOPE = re.compile(
    r"^\s*this " + _INSTRUMENT + r" (?:shall )?appl(?:y|ies) to\b|\bshall apply to\b"
    r"|适用于|适用本(?:办法|规定|法|条例)",
    re.I,
)
_SCOPE_TITLE = re.compile(r"^\s*(?:scope|适用范围)", re.I)
_PROHIBITION = re.compile(
    r"\bshall be prohibited\b|\b(?:is|are) (?:hereby )?prohibited\b|\bshall not\b|\bmust not\b"
    r"|\bmay not be (?:used|deployed|placed|developed|put)\b|\bshall refrain from\b"
    r"|\b(?:is|are) not permitted\b"
    r"|\bno (?:person|provider|deployer|one|state|party|ai system) (?:shall|may)\b"
    r"|禁止|不得|严禁",
    re.I,
)
_OBLIGATION = re.compile(
    r"\bshall\b|\bmust\b|\bshould\b|\b(?:is|are) required to\b|\b(?:is|are) (?:hereby )?directed"
    r" to\b|\bundertakes? to\b|\bcommits? to\b"
    r"|^\s*(?:\d+\.\s*)?(?:calls upon|calls on|urges|requests|decides|encourages|recommends"
    r"|invites|demands)\b|应当|必须|(?<![反响回效供])应(?![用对急答])",
    re.I,
)


def _lead_in(text: str | None) -> str | None:
    """The block of a parent's text that introduces a list (ends with a colon or a dash), or
    None when no block does."""
    blocks = [b.strip() for b in (text or "").split("\n") if b.strip()]
    found = [b for b in blocks if b.endswith((":", "：", "—", " -"))]
    return found[-1] if found else None


def _lead_sentence(text: str) -> str:
    """A provision's text up to the end of its first sentence or clause."""
    end = _LEAD_END.search(text)
    return text[: end.end()] if end else text


#: A modal inside a relative clause ("activities ... that shall be prohibited") qualifies a noun;
#: it is not what the provision itself does.
_RELATIVE_MODAL = re.compile(r"\b(?:that|which|who)\s+(?:shall|must|should)\b[^,;.:]*", re.I)


def _wording_role(text: str) -> str | None:
    """The role that ``text``'s own wording gives, or None (no such wording). Savings clauses
    ("This Regulation shall not affect ...") and modals of relative clauses say nothing."""
    text = " ".join(s for s in _SENTENCE.split(text) if not _SAVINGS.search(s))
    text = _RELATIVE_MODAL.sub("", text)
    if _EXEMPTION.search(text):
        return "exemption"
    if _PROHIBITION.search(text):
        return "prohibition"
    if _OBLIGATION.search(text):
        return "obligation"
    return None


#: Bumped by hand whenever how :func:`provision_role` reads a provision changes in code; the
#: module's patterns enter :func:`role_rules` by themselves.
ROLE_RULES_REVISION = "2026-12-02 exemptions, and what a point inherits"


def role_rules() -> dict[str, object]:
    """What :func:`provision_role` reads a provision by: every pattern of this module and
    :data:`ROLE_RULES_REVISION`. Part of the tagging digest
    (:func:`~detente.knowledge._tagger.rules_digest`), since detente kb retag reads every
    provision's role again: a database whose roles were read by other rules says so."""
    patterns = {
        name: [value.pattern, value.flags]
        for name, value in sorted(globals().items())
        if isinstance(value, re.Pattern)
    }
    return {"patterns": patterns, "revision": ROLE_RULES_REVISION, "roles": list(ROLES),
            "inherited": list(_INHERITED)}


def provision_role(
    kind: str,
    title: str | None,
    text: str,
    parent_role: str | None,
    *,
    parent_text: str | None = None,
    parent_title: str | None = None,
) -> str:
    """The role of a provision from its kind, its own title and text, and its parent's role
    (and, when given, the parent's text and title: a point inherits only from a parent that
    introduces a list, and the list's lead-in can make its items exemptions or descriptions)."""
    if kind in {"recital", "preamble"}:
        return "recital"
    own = text.strip()
    heading = (title or "").strip()
    if not own:
        if _DEFINITION_TITLE.match(heading):
            return "definition"
        return "other"
    if _POLICY_TITLE.match(heading) or (
        parent_role == "other" and _POLICY_TITLE.match((parent_title or "").strip())
    ):
        return "other"
    if _AMENDING_TITLE.match(heading) or _AMENDING.search(_lead_sentence(own)):
        return "other"
    lead_in = _lead_in(parent_text) if parent_text is not None else None
    introduced = parent_text is None or lead_in is not None
    if kind == "point" and lead_in is not None:
        last = _SENTENCE.split(lead_in)[-1]
        if _EXCEPTIONS_LEAD.search(last):
            return "exemption"
        if _DESCRIPTIVE_LEAD.search(last):
            return "other"
    if _EXCLUSION.search(own):
        # The first sentence that excludes or binds decides: a provision that opens by excluding
        # is an exclusion (what follows qualifies it: AI Act Art. 2(8)); one that opens with a
        # duty and then carves something out of it is that duty ("agencies shall use their civil
        # rights offices ... This directive does not apply to agencies' civil or criminal
        # enforcement authorities", EO 14110 Sec. 7.2(a)).
        for sentence in _SENTENCE.split(own):
            if _EXCLUSION.search(sentence):
                return "exclusion"
            role = provision_role(kind, None, sentence, parent_role) if sentence.strip() else ""
            if role in OPERATIVE_ROLES:
                return role
        return "exclusion"
    if _DEFINITION.search(own) or (_DEFINITION_TITLE.match(heading) and "mean" in own.lower()):
        return "definition"
    if _SCOPE.search(own) or (_SCOPE_TITLE.match(heading) and parent_role != "exclusion"):
        return "scope"
    if _SAVINGS.search(own):
        return "other"
    found = _wording_role(_lead_sentence(own))
    if found:
        return found
    if kind == "point" and introduced and parent_role in _INHERITED:
        return parent_role
    found = _wording_role(own)
    if found:
        return found
    if _DEFINITION_TITLE.match(heading):
        return "definition"
    return "other"


def status_on(
    status: str | None, status_date: date | None, issued: date | None, on: date
) -> str:
    """The instrument's status on ``on``: 'in_force', 'not_yet_in_force', 'revoked',
    'superseded', 'draft' or 'unknown' (its status is not established).

    An instrument with no status is presumed in force from its date; one with neither a status
    nor a date has no established status."""
    if status is None and issued is None:
        return "unknown"
    if status == "draft":
        return "draft"
    if status in {"revoked", "superseded"}:
        if status_date is None or on >= status_date:
            return status
        return "in_force" if issued is None or on >= issued else "not_yet_in_force"
    start = status_date if status == "in_force" and status_date else issued
    if start is not None and on < start:
        return "not_yet_in_force"
    return "unknown" if status == "unknown" else "in_force"


def in_force_on(
    status: str | None,
    status_date: date | None,
    issued: date | None,
    on: date | None,
    *,
    count_unknown: bool = False,
) -> bool:
    """Whether an instrument counts as in force on ``on`` (always, when ``on`` is None); one
    whose status is not established counts only with ``count_unknown``."""
    if on is None:
        return True
    now = status_on(status, status_date, issued, on)
    return now == "in_force" or (count_unknown and now == "unknown")


def is_illustrative(extra: dict[str, object] | None) -> bool:
    """Whether a document's metadata flags it as an illustrative sample, not a real instrument
    (``illustrative: true`` / ``yes`` / ``1``)."""
    value = (extra or {}).get("illustrative")
    return value is True or str(value or "").strip().lower() in {"true", "yes", "y", "1"}


#: A sentence whose subject is the instrument itself and that says it does not apply: "This
#: Regulation does not apply to", "This Regulation applies neither to", 本办法不适用于. "The
#: obligation set out in this Article shall not apply" exempts from a part, not the instrument.
_INSTRUMENT_EXCLUSION = re.compile(
    r"^\s*(?:\(?\w{1,4}[.)]\s+)?(?:this|the) " + _INSTRUMENT + r"\b[^.;:]{0,80}?"
    r"(?:\b(?:shall|does|do|will|should) not(?: be)? appl(?:y|ied|icable)(?: to)?"
    r"|\bappl(?:y|ies) neither to)\s*"
    r"|^\s*本(?:办法|规定|法|条例|决定|规范|指引)(?:[^。；，]{0,6})?不适用于?",
    re.I,
)
#: Where what is excluded ends and a proviso begins: what follows brings part of it back
#: ("unless they present systemic risks") or states a condition ("provided that ... rights").
_PROVISO = re.compile(
    r"[,;]?\s*\b(?:provided that|providing that|on condition that|unless|except|save (?:where|for"
    r"|in|as)|regardless of|irrespective of|without prejudice|with the exception)\b"
    r"|,\s*(?:and|but) (?:shall|does|do|will|should|may)\b|，?\s*(?:但|除非|除外|不论|无论)",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.;])\s+(?=[A-Z(])|[。；\n]+")


def excluded_subjects(text: str) -> list[str]:
    """What the instrument-wide exclusions in ``text`` exclude, one span per exclusion.

    For each sentence whose subject is the instrument itself and that says it does not apply
    ("This Regulation does not apply to ...", "This Regulation applies neither to ...",
    本办法不适用于...), the words after "apply to", up to the first proviso ("provided that",
    "unless", "except", "regardless of", 但...). A sentence that exempts from a part of the
    instrument ("The obligation set out in this Article shall not apply to ...") or that only
    mentions a domain in its proviso excludes nothing here.
    """
    spans = []
    for sentence in _SENTENCE.split(text):
        match = _INSTRUMENT_EXCLUSION.search(sentence)
        if not match:
            continue
        rest = sentence[match.end() :]
        cut = _PROVISO.search(rest)
        subject = (rest[: cut.start()] if cut else rest).strip(" ,;.。；")
        if subject:
            spans.append(subject)
    return spans


_ARTICLE_LEVEL = re.compile(r"^(Article|Sec\.|Section|Recital|Annex|Preamble)\s+(\S+)$|^第.+条$")
_ABBREVIATIONS = {
    "Article": "Art.",
    "Sec.": "Sec.",
    "Section": "Sec.",
    "Recital": "Recital",
    "Annex": "Annex",
    "Preamble": "Preamble",
}


def short_citation(path: str) -> str:
    """A citation as lawyers write it: 'Chapter I › Article 2 › 3' -> 'Art. 2(3)',
    'Sec. 4 › 4.2 › (a)' -> 'Sec. 4.2(a)', '第二章 › 第五条 › （一）' -> '第五条（一）', and a
    section of an annex with its annex: 'Annex XI › Section 1 › (e)' -> 'Annex XI, Sec. 1(e)'."""
    labels = [label.split(" #")[0] for label in path.split(" › ")]
    anchor = max((i for i, lab in enumerate(labels) if _ARTICLE_LEVEL.match(lab)), default=None)
    if anchor is None:
        return labels[-1]
    match = _ARTICLE_LEVEL.match(labels[anchor])
    head = labels[anchor]
    if match and match.group(1):
        head = f"{_ABBREVIATIONS[match.group(1)]} {match.group(2)}"
    annex = next((lab for lab in labels[:anchor] if lab.startswith("Annex ")), None)
    if annex and not head.startswith("Annex"):
        head = f"{annex}, {head}"  # "Annex XI › Section 1 › (e)": the Act has no "Sec. 1(e)"
    rest = labels[anchor + 1 :]
    if rest and re.fullmatch(r"\d+\.\d+", rest[0]) and head.startswith("Sec."):
        head, rest = f"Sec. {rest[0]}", rest[1:]
    out = head
    for label in rest:
        number = re.match(r"^(\d+)(.*)$", label)
        out += f"({number.group(1)}){number.group(2)}" if number else label
    return out


def short_title(title: str) -> str:
    """A short name for an instrument: its own short name in trailing parentheses
    ('... (Artificial Intelligence Act)'), 'Executive Order 14110', or the title cut short."""
    trailing = re.search(r"\(([^()]{3,60})\)\s*$", title)
    if trailing and not re.fullmatch(r"(?:EU|EC)?\s*\d{4}/\d+", trailing.group(1)):
        return trailing.group(1)
    order = re.match(r"^(Executive Order \d+)", title)
    if order:
        return order.group(1)
    head = re.split(r"[:;]", title)[0].strip()
    return head if len(head) <= 80 else head[:79] + "…"


#: Labels detente makes up for units the source leaves unnumbered or numbers with a bare
#: "(12)": their Chinese form ("Preamble 3" -> 序言第3段, "Recital 12" -> 鉴于条款第12项). Labels
#: the source itself writes ("Article 5", "Sec. 4", "Annex III") are kept as written.
_MADE_LABELS = re.compile(r"\b(Preamble|Recital) (\d+)\b")
_MADE_LABELS_ZH = {"Preamble": ("序言第", "段"), "Recital": ("鉴于条款第", "项")}


def display_label(text: str, lang: str) -> str:
    """A provision's label, path or citation as a page in ``lang`` shows it: in Chinese, the
    labels detente made ("Preamble 1", "Recital 12") in Chinese."""
    if lang != "zh":
        return text
    return _MADE_LABELS.sub(
        lambda m: f"{_MADE_LABELS_ZH[m.group(1)][0]}{m.group(2)}{_MADE_LABELS_ZH[m.group(1)][1]}",
        text,
    )
