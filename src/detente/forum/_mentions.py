"""Who a sentence names or identifies: normalised text, name variants and identifying roles.

This is the first half of the attribution check (:mod:`detente.forum._attribution` is the
second): it turns text into a form in which evasions no longer hide a name, and finds every
place where a participant is named or identified.

Normalisation (:func:`normalise`) removes format characters (zero-width spaces and joiners,
soft hyphens, bidirectional marks), folds compatibility forms (full-width letters, ideographic
and no-break spaces) with NFKC, collapses every run of spacing to one space, removes spaces and
dots between Chinese characters, strips diacritics and maps Cyrillic and Greek letters that look
like Latin ones. Matching ignores case.

A participant is found by (:class:`Participant`, :class:`MentionFinder`):

- the name in either order ("Xiao Qian", "Qian Xiao", "XiaoQian", "Xiao-Qian", letters spaced
  out), with or without titles (Ms, Dr, Prof., Ambassador, General ...), initials ("Q. Xiao"),
  and the family or given name alone where it is capitalised as a name or follows a title;
- the name in Chinese (spaces or dots between the characters allowed), the family name with a
  title (肖教授, 肖主任, 老肖), and a two-character given name alone;
- a role that exactly one participant holds, from the person's titles ("the Deputy Director of
  CISS", "CISS's deputy director", "中心副主任") or from the event ("the chair of the first
  session", "第一单元主持人", "the organiser", "the closing speaker"). A role that several
  participants hold identifies nobody, and an indefinite one ("a deputy director", "一位研究员")
  neither.

A name or role that the words around it give to someone else is no mention: a namesake ("a
namesake, Zhou Bo the …", "另一位周波", life dates), a dynasty, a person placed or related by the
participant ("a participant seated next to …", "a student of …", "…指导的一名博士生"), a role at
another event ("the chair of … at the REAIM summit").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Mention", "MentionFinder", "Participant", "SessionTopic", "normalise",
           "sentences"]

# --- normalisation ---------------------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LOOKALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "ο": "o", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # quotes and dashes that NFKC keeps
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "\u2010": "-", "\u2011": "-",
    "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00b7": "·", "\u30fb": "·",
})
# Traditional characters folded to simplified ones: those of the common words of the forum's
# records (names, institutions, verbs of speech and view, sessions and roles).
_TRADITIONAL = str.maketrans(
    "華學戰與會議論壇單場題專長員講話說認為強調議籲張稱發報質贊擔憂導觀點總結預測評談問這們國際"
    "應該軍開關係進協調體後時來個標準動蕭孫閉辭幕詞請謝歡邊經歷對從幾嗎麼聽讀寫應變獻職務聯結構"
    "數據網絡組織辦屆計劃區縣權選舉實現將與業務層級範圍詢據錄參億萬歲過邁還運達適遠違連續紀總聲"
    "處備複雜態誤認識記許設證評試詳誠誰課調談論諸謀謂讓護豐貓貴費資質賴趨躍車較輪輯轉辦辯農這進遲"
    "選遺邏鄉鄰醫釋鐘錢錯鍵長門問間閱隊陳陸陽隨險隱雖雙雜離難電項順預領頭題類風飛養驗體點黨齊龍",
    "华学战与会议论坛单场题专长员讲话说认为强调议吁张称发报质赞担忧导观点总结预测评谈问这们国际"
    "应该军开关系进协调体后时来个标准动萧孙闭辞幕词请谢欢边经历对从几吗么听读写应变献职务联结构"
    "数据网络组织办届计划区县权选举实现将与业务层级范围询据录参亿万岁过迈还运达适远违连续纪总声"
    "处备复杂态误认识记许设证评试详诚谁课调谈论诸谋谓让护丰猫贵费资质赖趋跃车较轮辑转办辩农这进迟"
    "选遗逻乡邻医释钟钱错键长门问间阅队陈陆阳随险隐虽双杂离难电项顺预领头题类风飞养验体点党齐龙",
)
_SPACES = re.compile(r"[^\S\n]+")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[\s·.\-_*•]+(?=[{_CJK}])")


def _visible(text: str) -> str:
    """``text`` as written, without format characters and with one space for any run of
    spacing (no-break, thin, ideographic spaces included)."""
    kept = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return _SPACES.sub(" ", kept.replace("\r\n", "\n").replace("\r", "\n"))


def normalise(text: str) -> str:
    """The form in which names are matched (see the module docstring); case is kept."""
    visible = _SPACES.sub(" ", unicodedata.normalize("NFKC", _visible(text)))
    decomposed = unicodedata.normalize("NFKD", visible)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    bare = unicodedata.normalize("NFC", bare).translate(_LOOKALIKES).translate(_TRADITIONAL)
    return _CJK_GAP.sub("", bare)


# --- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "mx", "dr", "prof", "profs", "gen", "col", "lt", "maj", "capt", "adm",
    "amb", "sen", "rep", "gov", "hon", "rev", "fr", "sr", "jr", "st", "no", "nos", "vs", "etc",
    "e.g", "i.e", "cf", "al", "fig", "figs", "approx", "dept", "univ", "inc", "ltd", "co", "corp",
    "govt", "assn", "assoc", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "p.r.c", "u.s.a", "ph.d", "m.a",
    "b.a",
])
_END = re.compile(r"[.!?。！？．]+[\"'”’」』)）]*")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (lines are separate), spacing normalised, abbreviations and
    initials ("Ms.", "U.S.", "Q. Xiao") not taken for sentence ends."""
    found: list[str] = []
    # A single line break is wrapping (a name may be cut by it); a blank line ends a paragraph.
    lines = re.split(r"\n\s*\n", _visible(text))
    for line in (re.sub(r"\s*\n\s*", " ", part) for part in lines):
        start = 0
        for match in _END.finditer(line):
            end = match.end()
            if match.group(0)[0] in ".．":
                before = line[start:match.start()].rsplit(" ", 1)[-1].lower().lstrip("(\"'“")
                if before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()) or \
                        re.fullmatch(r"(?:[a-z]\.)+[a-z]", before):
                    continue
                if end < len(line) and not line[end].isspace():
                    continue  # 3.5, U.S.-China, a.m.
            piece = line[start:end].strip()
            if piece:
                found.append(piece)
            start = end
        rest = line[start:].strip()
        if rest:
            found.append(rest)
    return found


# --- participants ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Participant:
    """What the records say about one person who took part in an event.

    Parameters
    ----------
    key : str
        A stable id (the person's slug).
    name, name_local : str
        The name as recorded (Chinese names family name first) and in its own script.
    titles, titles_local : tuple of str
        Titles as recorded, e.g. ``"Deputy Director, CISS"``; several may be joined by ``;``.
    affiliations, affiliations_local : tuple of str
        Names of the person's institution (full and short) in English and in its own script.
    roles : tuple of str
        The person's parts in the event: ``organizer``, ``chair:N``, ``speaker:N``,
        ``closing`` (gave the closing remarks), ``participant``.
    """

    key: str
    name: str
    name_local: str | None = None
    titles: tuple[str, ...] = ()
    titles_local: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    affiliations_local: tuple[str, ...] = ()
    roles: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """The name in both scripts, e.g. ``Xiao Qian (肖茜)``."""
        if self.name_local and self.name_local != self.name:
            return f"{self.name} ({self.name_local})"
        return self.name


@dataclass(frozen=True)
class SessionTopic:
    """What a session of the event is about, so that "the chair of the session on non-state
    actors" or "非国家行为体专题的主持人" can be told apart from the other sessions.

    Parameters
    ----------
    position : int
        The session's place in the programme (1 for the first).
    topics, topics_local : tuple of str
        Its title and its themes' names, in English and in Chinese.
    """

    position: int
    topics: tuple[str, ...] = ()
    topics_local: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A place in a normalised sentence that names or identifies ``people``."""

    start: int
    end: int
    people: frozenset[str]
    text: str


# --- English name variants -------------------------------------------------------------------

_TITLES_EN = (
    r"ms|mrs|miss|mr|mx|madam|madame|mme|sir|dame|lord|lady|dr|doctor|prof|professor|profs|"
    r"ambassador|amb|general|gen|lieutenant general|lt\.? gen|major general|maj\.? gen|"
    r"brigadier general|brig\.? gen|rear admiral|vice admiral|admiral|adm|colonel|col|"
    r"lieutenant colonel|lt\.? col|major|maj|captain|capt|commander|cdr|senior colonel|"
    r"director|deputy director|director general|director-general|dean|president|"
    r"vice president|minister|vice minister|deputy minister|secretary|senator|sen|"
    r"representative|rep|governor|judge|justice|counsellor|councillor|consul|envoy|"
    r"chairman|chairwoman|chair|president|hon|honourable|honorable|rev|father|researcher|"
    r"fellow|scholar|expert|analyst|associate professor|assistant professor|"
    r"research fellow|senior fellow|ret\.?|retired"
)
_TITLE_PREFIX = rf"(?:(?:{_TITLES_EN})\.?\s+)"
# Words that are also romanised names: alone they name nobody.
_COMMON_WORDS = frozenset([
    "a", "an", "as", "at", "be", "he", "hi", "i", "if", "in", "is", "it", "me", "my", "no", "of",
    "on", "or", "so", "to", "us", "we", "you", "ye", "do", "go", "la",
])
# Common Chinese family names in pinyin: before a participant's given name they make another
# person's name ("Li Chenghao").
_SURNAMES_TEXT = (
    "li wang zhang liu chen yang zhao huang zhou wu xu sun hu zhu gao lin he guo ma luo liang "
    "song zheng xie han tang feng yu dong xiao cheng cao yuan deng fu shen zeng peng lu su jiang "
    "cai jia ding wei xue ye yan pan du dai xia zhong tian ren fan fang shi yao tan liao zou xiong "
    "jin qian hao kong bai cui kang mao qiu qin gu hou shao meng long wan duan lei yin yi chang "
    "qi niu guan ou nie ning bao bi mo mu ni rao ruan tong wen xing yue zhan zhuo")
_SURNAMES_EN = frozenset(_SURNAMES_TEXT.split())
_SEPARATOR = r"[\s\-.'_·•*,]*"
_LETTER_GAP = r"[\s\-.'_·•*]?"


def _flexible(token: str) -> str:
    """A regex for ``token`` that allows one separator between its letters."""
    return _LETTER_GAP.join(re.escape(c) for c in token)


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s\-]+", normalise(name)) if t]


def _is_cjk(text: str | None) -> bool:
    if not text:
        return False
    return all(re.match(rf"[{_CJK}·]", c) for c in text.replace(" ", ""))


# --- Chinese name variants -------------------------------------------------------------------

_COMPOUND_SURNAMES = frozenset([
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯",
    "尉迟", "公孙", "长孙", "宇文", "轩辕", "端木", "独孤", "南宫", "西门", "百里",
    "呼延", "澹台", "太史", "申屠", "闻人", "万俟", "钟离", "宗政", "濮阳", "淳于",
    "单于", "太叔", "公冶", "赫连", "拓跋",
])
_TITLES_ZH = (
    "教授|副教授|博士|女士|先生|小姐|老师|主任|副主任|研究员|副研究员|助理研究员|大使|将军|少将|"
    "中将|上将|大校|院长|副院长|所长|副所长|部长|副部长|司长|副司长|处长|局长|会长|理事长|"
    "秘书长|主席|副主席|委员|书记|总|董|校长|副校长|教官|参赞|专家|学者|同志"
)
_TITLES_ZH_RE = rf"(?:{_TITLES_ZH})"
# Words that a two-character name can hide in ("本周波动" is not 周波): the character before the
# name with its first one, or its last one with the character after it.
_WORD_BEFORE = frozenset([
    "本周", "上周", "下周", "每周", "一周", "两周", "几周", "数周", "四周", "这周",
    "当周", "圆周", "周周", "子孙", "古董", "骨董",
])
_WORD_AFTER = frozenset([
    "波动", "波及", "波澜", "波折", "波段", "波浪", "波长", "波形", "波峰", "波谷",
    "昊天", "汀洲",
])


def _cjk_flexible(text: str) -> str:
    return r"[\s·.\-_*•]?".join(re.escape(c) for c in text)


def _split_cjk_name(name: str) -> tuple[str, str]:
    bare = name.replace(" ", "").replace("·", "")
    if len(bare) >= 3 and bare[:2] in _COMPOUND_SURNAMES:
        return bare[:2], bare[2:]
    return bare[:1], bare[1:]


# --- roles -----------------------------------------------------------------------------------

_RANK_EN = (r"deputy|assistant|associate|senior|vice|acting|former|executive|honorary|"
            r"visiting|adjunct|principal|chief|junior|non-resident|nonresident|emeritus")
_RANK_ZH = "副|助理|高级|特聘|客座|名誉|首席|兼职|特约|执行|常务|资深|前|原"
_INDEFINITE_EN = re.compile(
    r"(?:\b(?:a|an|one|another|some|any|each|every|no|other|several|two|three|many|"
    r"various|such)\s+(?:(?!the\b)[\w'.&-]+\s+){0,2}|\bone\s+of\s+(?:the\s+|its\s+)?"
    r"(?:(?!the\b)[\w'.&-]+\s+){0,1})$", re.IGNORECASE)
_INDEFINITE_ZH = re.compile(r"(?:(?:一|两|二|三|几|多|数|各|每|另一|有|某)(?:位|名|个)|某)"
                            r"(?:来自[^，。；,;]{0,12}的)?$")
_ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                "ninth", "tenth")
_NUMERALS_ZH = "一二三四五六七八九十"
_ORG_SUFFIXES_ZH = ("大学", "学院", "研究院", "研究所", "研究中心", "中心", "论坛", "委员会",
                    "协会",
                    "基金会", "办公室", "研究会", "智库", "部", "局", "署", "司", "院", "所")


def _org_variants_en(org: str) -> set[str]:
    """"Center for International Security and Strategy, Tsinghua University" -> itself, each
    part, "... at Tsinghua University", "... of Tsinghua University", "Tsinghua University's
    ...", "Tsinghua University ..."."""
    variants = {org}
    head, sep, tail = org.partition(",")
    head, tail = head.strip(), tail.strip()
    if sep and head and tail:
        variants |= {head, tail, f"{head} at {tail}", f"{head} of {tail}", f"{head} {tail}",
                     f"{tail}'s {head}", f"{tail} {head}"}
    return variants


_GENERIC_ORG_WORDS = frozenset([
    "center", "centre", "institute", "institutes", "university", "college", "school", "academy",
    "foundation", "council", "department", "ministry", "international", "national", "security",
    "strategy", "strategic", "studies", "research", "policy", "affairs", "science", "sciences",
    "social", "technology", "for", "and", "the", "of", "institution", "forum", "program",
    "programme", "office", "association", "society", "commission", "agency", "group",
])
_ORG_LEAD_EN = re.compile(r"\s*,?\s+(?:of|at|from)\s+")
_OTHER_ORG_EN = re.compile(
    r"(?:(?:a|an|another|one|some|other|several|various|"
    r"their|his|her|its)\b|(?:the\s+)?[A-Z]|the\s+(?:[\w-]+\s+){0,3}(?:think\s+tank|institute|"
    r"university|ministry|agency|academy|department|council|foundation|organi[sz]ation|"
    r"company|firm|lab|laboratory|association|commission|programme|program|office|"
    r"government|army|navy|embassy|bank|fund|school|college|society|alliance)s?\b)")
_OTHER_ORG_ZH = re.compile(
    rf"(?:某[^，。；,;的]{{0,10}}|[{_CJK}]{{1,12}}(?:智库|大学|学院|研究院|研究所|研究中心|部|局|委员会|"
    rf"协会|基金会|公司|机构|组织|政府|实验室|办公室|集团|军|银行|学会|学校|使馆))的?$")


def _role_parts_en(title: str) -> list[tuple[str, str | None]]:
    """(role, organisation) pairs from an English title such as "Deputy Director, CISS"."""
    parts: list[tuple[str, str | None]] = []
    for piece in re.split(r"\s*;\s*", normalise(title)):
        piece = piece.strip(" .")
        if not piece:
            continue
        role, _sep, org = piece.partition(",")
        role, org = role.strip(), org.strip() or None
        match = re.match(r"(.+?)\s+(?:of|at|from|in|with)\s+(?:the\s+)?(.+)$", role)
        if match and org is None:
            parts.append((match.group(1), match.group(2)))
        parts.append((role, org))
    return [(r, o) for r, o in parts if len(r) >= 3]


def _role_parts_zh(title: str, orgs: Sequence[str]) -> list[tuple[str, str | None]]:
    """(role, organisation) pairs from a Chinese title such as "清华大学...中心副主任"."""
    parts: list[tuple[str, str | None]] = []
    for piece in re.split(r"[、；;，,]", normalise(title)):
        piece = piece.strip()
        if not piece:
            continue
        org = next((o for o in sorted(orgs, key=len, reverse=True) if o and piece.startswith(o)),
                   None)
        if org is None:
            cut = max((piece.rfind(s) + len(s) for s in _ORG_SUFFIXES_ZH if s in piece[:-1]),
                      default=0)
            org = piece[:cut] or None
        role = piece[len(org):] if org else piece
        if len(role) >= 2:
            parts.append((role, org))
        if org and len(piece) > len(role):
            parts.append((piece, None))
    return parts


def _org_aliases_zh(org: str) -> list[str]:
    """"清华大学战略与安全研究中心" -> itself, "战略与安全研究中心", "安全研究中心", ... "中心"."""
    aliases = {org}
    for suffix in _ORG_SUFFIXES_ZH:
        if org.endswith(suffix):
            for start in range(len(org) - len(suffix) + 1):
                tail = org[start:]
                if len(tail) >= 2:
                    aliases.add(tail)
    for prefix in ("大学", "学院"):
        if prefix in org and not org.endswith(prefix):
            aliases.add(org.split(prefix, 1)[1])
    return sorted((a for a in aliases if a), key=len, reverse=True)


# --- the finder ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    people: frozenset[str]
    kind: str  # "name", "bare", "role"


class MentionFinder:
    """Finds where a normalised sentence names or identifies one of ``participants``."""

    def __init__(self, participants: Iterable[Participant],
                 sessions: Iterable[SessionTopic] = ()) -> None:
        self.participants = {p.key: p for p in participants}
        self._sessions = _SessionIndex(sessions)
        # words that name the participants' own institutions ("Tsinghua", "CISS")
        own = sorted({w for p in self.participants.values() for a in p.affiliations
                      for w in re.findall(r"[A-Za-z][\w&-]+", normalise(a))
                      if len(w) >= 3 and w.lower() not in _GENERIC_ORG_WORDS}, key=len,
                     reverse=True)
        self._own_org = re.compile(
            rf"(?:the\s+)?(?:{'|'.join(map(re.escape, own))})(?![A-Za-z])" if own else r"(?!)",
            re.IGNORECASE)
        self._patterns = self._build()

    # -- building -------------------------------------------------------------------------

    def _build(self) -> list[_Pattern]:
        patterns: list[_Pattern] = []
        for person in self.participants.values():
            patterns += self._name_patterns(person)
        patterns += self._role_patterns()
        return patterns

    def _name_patterns(self, person: Participant) -> list[_Pattern]:
        who = frozenset({person.key})
        found: list[_Pattern] = []
        tokens = _tokens(person.name)
        chinese_order = _is_cjk(person.name_local)
        if tokens:
            family, given = (tokens[0], tokens[1:]) if chinese_order or len(tokens) == 1 else (
                tokens[-1], tokens[:-1])
            orders = {tuple(tokens), (*given, family), (family, *given)}
            full = [_SEPARATOR.join(_flexible(t) for t in order) for order in orders if
                    len(order) > 1]
            if given:
                initials = "".join(g[0] for g in given)
                full += [rf"{re.escape(initials[0])}\.?\s*{_flexible(family)}",
                         rf"{_flexible(family)},?\s+{re.escape(initials[0])}\.(?!\w)",
                         rf"{re.escape(family[0])}\.\s*{_SEPARATOR.join(map(_flexible, given))}"]
            if full:
                found.append(_Pattern(re.compile(
                    rf"(?<![A-Za-z]){_TITLE_PREFIX}*(?:{'|'.join(full)})(?![A-Za-z])",
                    re.IGNORECASE), who, "name"))
            for token in {family, *([g for g in given if len(g) >= 4] if given else [])}:
                found.append(_Pattern(re.compile(
                    rf"(?<![A-Za-z])(?P<title>{_TITLE_PREFIX}+)?(?P<token>{re.escape(token)})"
                    r"(?![A-Za-z])", re.IGNORECASE), who, "bare"))
        if person.name_local and _is_cjk(person.name_local):
            family_zh, given_zh = _split_cjk_name(person.name_local)
            variants = [_cjk_flexible(family_zh + given_zh),
                        rf"{re.escape(family_zh)}{_TITLES_ZH_RE}",
                        rf"[老小]{re.escape(family_zh)}(?!像)"]
            if len(given_zh) >= 2:
                variants.append(_cjk_flexible(given_zh))
            found.append(_Pattern(re.compile(
                rf"(?:{'|'.join(variants)})(?:{_TITLES_ZH_RE})?"), who, "name"))
        elif person.name_local:
            local = _tokens(person.name_local)
            if len(local) > 1:
                found.append(_Pattern(re.compile(
                    rf"(?<![A-Za-z]){_TITLE_PREFIX}*{_SEPARATOR.join(map(_flexible, local))}"
                    r"(?![A-Za-z])", re.IGNORECASE), who, "name"))
        return found

    def _role_holders(self) -> dict[tuple[str, str], set[tuple[str, str | None]]]:
        """(language, role) -> {(person, organisation)} from titles and event roles."""
        holders: dict[tuple[str, str], set[tuple[str, str | None]]] = {}
        for person in self.participants.values():
            for title in person.titles:
                for role, org in _role_parts_en(title):
                    holders.setdefault(("en", role.lower()), set()).add((person.key, org))
            for title in person.titles_local:
                for role, org in _role_parts_zh(title, person.affiliations_local):
                    holders.setdefault(("zh", role), set()).add((person.key, org))
        return holders

    def _role_patterns(self) -> list[_Pattern]:
        patterns: list[_Pattern] = []
        people = self.participants.values()
        orgs_en = {a for p in people for a in p.affiliations if a}
        orgs_zh = {a for p in people for a in p.affiliations_local if a}
        for (language, role), holders in self._role_holders().items():
            keys = frozenset(k for k, _o in holders)
            if language == "en":
                owners = {v for o in {o for _k, o in holders if o} | orgs_en
                          for v in _org_variants_en(o)}
                org = "|".join(_flexible_phrase(o) for o in sorted(owners, key=len, reverse=True))
                org_group = (rf"(?:the\s+)?(?:{org}|(?:the\s+)?"
                             r"(?:centre|center|institute|university|forum))")
                regex = re.compile(
                    rf"(?<![A-Za-z])(?:(?:the|its|this|that)\s+)?(?:(?:{org_group})(?:'s)?\s+)?"
                    rf"{_flexible_phrase(role)}(?!s?[A-Za-z])"
                    rf"(?:\s*(?:,|of|at|from|in)\s+(?:{org_group})(?![A-Za-z]))?",
                    re.IGNORECASE)
            else:
                aliases = sorted({a for o in orgs_zh | {o for _k, o in holders if o}
                                  for a in _org_aliases_zh(o)}, key=len, reverse=True)
                org_alt = "|".join(re.escape(a) for a in [*aliases, "本中心", "该中心", "中心"])
                regex = re.compile(rf"(?:(?:{org_alt})的?)?{re.escape(role)}")
            patterns.append(_Pattern(regex, keys, "role"))
        patterns += self._event_role_patterns()
        return patterns

    def _event_role_patterns(self) -> list[_Pattern]:
        by_role: dict[str, set[str]] = {}
        for person in self.participants.values():
            for role in person.roles:
                by_role.setdefault(role, set()).add(person.key)
        patterns: list[_Pattern] = []
        chair_en = (r"(?:chair|chairperson|chairman|chairwoman|co-chair|moderator|convenor|"
                    r"convener|host)")
        for role, keys in by_role.items():
            kind, _sep, number = role.partition(":")
            if kind in ("chair", "speaker") and number.isdigit():
                n = int(number)
                ordinal = _ORDINALS_EN[n - 1] if n <= len(_ORDINALS_EN) else f"{n}th"
                numeral = _NUMERALS_ZH[n - 1] if n <= 10 else str(n)
                session = (rf"(?:(?:the\s+)?{ordinal}\s+(?:session|panel)|session\s+{n}|"
                           rf"panel\s+{n})")
                noun = chair_en if kind == "chair" else r"(?:speaker|presenter|panell?ist)"
                noun_zh = "主持人|主持|召集人" if kind == "chair" else "发言人|发言嘉宾|报告人"
                patterns.append(_Pattern(re.compile(
                    rf"(?<![A-Za-z])(?:(?:the\s+)?{noun}\s+(?:of|for|in|at)\s+{session}|"
                    rf"{session}(?:'s)?\s+{noun})(?![A-Za-z])", re.IGNORECASE),
                    frozenset(keys), "role"))
                patterns.append(_Pattern(re.compile(
                    rf"第(?:{numeral}|{n})(?:单元|场|节|环节|分论坛)的?(?:{noun_zh})"),
                    frozenset(keys), "role"))
            elif kind == "organizer":
                patterns.append(_Pattern(re.compile(
                    r"(?<![A-Za-z])(?:(?:the|its)\s+)?(?:(?:forum|event|meeting|dialogue)"
                    r"(?:'s)?\s+)?(?:organi[sz]er|convenor|convener)(?!s)(?![A-Za-z])"
                    r"(?:\s+of\s+(?:the|this)\s+(?:forum|event|meeting|dialogue)(?![A-Za-z]))?|"
                    r"(?:论坛|会议|活动)?(?:的)?(?:组织者|召集人|牵头人)", re.IGNORECASE),
                    frozenset(keys), "role"))
            elif kind == "closing":
                patterns.append(_Pattern(re.compile(
                    r"(?<![A-Za-z])(?:the\s+)?(?:closing\s+speaker|speaker\s+(?:who\s+)?"
                    r"(?:gave|delivered|giving|delivering|made)\s+the\s+closing\s+"
                    r"(?:remarks|address|speech)|(?:person|speaker|scholar|expert|guest|"
                    r"participant|one|woman|man)\s+who\s+(?:closed|concluded|wrapped\s+up)\s+"
                    r"the\s+(?:forum|event|meeting|day|dialogue)|(?:person|speaker|scholar|"
                    r"expert|guest|participant|one|woman|man)\s+who\s+(?:gave|delivered|made)\s+"
                    r"the\s+closing\s+(?:remarks|address|speech))(?![A-Za-z])|"
                    r"闭幕(?:致辞|发言|讲话)(?:人|嘉宾|者)|(?:作|做|致)?(?:了)?(?:闭幕辞|闭幕致辞|"
                    r"闭幕讲话|闭幕发言)的(?:那位|这位)?(?:专家|学者|嘉宾|人)?", re.IGNORECASE),
                    frozenset(keys), "role"))
        return patterns

    # -- finding --------------------------------------------------------------------------

    def find(self, sentence: str) -> list[Mention]:
        """Mentions in ``sentence`` (already normalised), in order, merged where one person is
        named and described side by side ("Xiao Qian (Deputy Director, CISS)")."""
        candidates: list[tuple[int, int, frozenset[str], bool]] = []
        for pattern in self._patterns:
            for match in pattern.regex.finditer(sentence):
                if match.end() == match.start():
                    continue
                identifying = self._identifies(pattern, match, sentence)
                candidates.append((match.start(), match.end(), pattern.people, identifying))
        candidates += self._session_roles(sentence)
        candidates += self._family_pairs(sentence)
        candidates += self._broad(sentence)
        chosen: list[tuple[int, int, frozenset[str], bool]] = []
        taken = [False] * (len(sentence) + 1)
        # What identifies someone goes first: "Associate Research Fellow Dong Ting" is Dong
        # Ting even though the title in front (held by two people) is as long as the name.
        for start, end, people, identifying in sorted(
                candidates, key=lambda c: (not c[3], -(c[1] - c[0]), c[0])):
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            chosen.append((start, end, people, identifying))
        mentions = [Mention(s, e, p, sentence[s:e]) for s, e, p, ok in sorted(chosen)
                    if ok and not _someone_else(sentence, s, e)]
        return _merge(mentions, sentence)

    def _holders(self, *kinds: str) -> frozenset[str]:
        return frozenset(p.key for p in self.participants.values()
                         if any(r.partition(":")[0] in kinds for r in p.roles))

    def _broad(self, sentence: str) -> list[tuple[int, int, frozenset[str], bool]]:
        """What may identify someone in forms the patterns above do not know, for recall:
        a name misspelt by one letter ("Xiao Quian", "Dong Tin"), initials run together
        ("X.Q."), the organizer or a chair described by what they did ("the person who
        organised the forum", "whoever chaired …", "本次论坛的发起人"), the speaker of the
        closing remarks when the sentence is about them. Whether the sentence attributes
        anything to them is decided by the constructions and the model, as for any mention."""
        found: list[tuple[int, int, frozenset[str], bool]] = []
        for person in self.participants.values():
            tokens = [t.lower() for t in _tokens(person.name)]
            if len(tokens) != 2:
                continue
            who = frozenset({person.key})
            a, b = tokens
            for match in _WORD_PAIR.finditer(sentence):
                w1, w2 = match.group(1).lower(), match.group(2).lower()
                for x, y in ((a, b), (b, a)):
                    exact = (w1 == x) + (w2 == y)
                    if exact == 1 and (_near(w1, x) if w2 == y else _near(w2, y)):
                        found.append((match.start(), match.end(), who, True))
            ia, ib = a[0].upper(), b[0].upper()
            initials = rf"(?:{ia}\.\s?{ib}\.|{ib}\.\s?{ia}\.)"
            for match in re.finditer(rf"(?<![A-Za-z.]){initials}", sentence):
                found.append((match.start(), match.end(), who, True))
            # initials run together without full stops, in capitals: "XQ reiterated …"
            for match in re.finditer(rf"(?<![A-Za-z])(?:{ia}{ib}|{ib}{ia})(?![A-Za-z])",
                                     sentence):
                found.append((match.start(), match.end(), who, True))
            # other romanisations of the same syllables (Wade-Giles: "Chou Po", "Hsiao Ch'ien")
            other_a, other_b = _romanised(a), _romanised(b)
            if other_a or other_b:
                ra = "|".join([_flexible(a), *other_a])
                rb = "|".join([_flexible(b), *other_b])
                for first, second in ((ra, rb), (rb, ra)):
                    for match in re.finditer(
                            rf"(?<![A-Za-z])(?:{first})[\s\-]+(?:{second})(?![A-Za-z])",
                            sentence, re.IGNORECASE):
                        found.append((match.start(), match.end(), who, True))
                # a title and the family name alone ("Professor Chou")
                family = other_a if _is_cjk(person.name_local) else other_b
                for variant in family:
                    for match in re.finditer(rf"(?<![A-Za-z]){_TITLE_PREFIX}+(?:{variant})"
                                             r"(?![A-Za-z])", sentence, re.IGNORECASE):
                        found.append((match.start(), match.end(), who, True))
            if person.name_local and _is_cjk(person.name_local):
                found += _homophone_names(person.name_local, who, sentence)
            if person.name_local and person.name_local[:1] in _CONFUSED_SURNAMES:
                local = _CONFUSED_SURNAMES[person.name_local[0]] + person.name_local[1:]
                for match in re.finditer(_cjk_flexible(local), sentence):
                    found.append((match.start(), match.end(), who, True))
        groups = ((_BROAD_ORGANIZER, self._holders("organizer")),
                  (_BROAD_CHAIR, self._holders("chair")),
                  (_BROAD_CLOSING, self._holders("closing")))
        for regex, keys in groups:
            if not keys:
                continue
            for match in regex.finditer(sentence):
                found.append((match.start(), match.end(), keys,
                              not _indefinite(sentence, match.start(), match.end())))
        return found

    def _family_pairs(self, sentence: str) -> list[tuple[int, int, frozenset[str], bool]]:
        """Family names alone in a group ("孙、董两位副研究员", "肖、周两位专家")."""
        families: dict[str, set[str]] = {}
        for person in self.participants.values():
            if person.name_local and _is_cjk(person.name_local):
                family = _split_cjk_name(person.name_local)[0]
                if len(family) == 1:
                    families.setdefault(family, set()).add(person.key)
        if len(families) < 2:
            return []
        chars = "".join(families)
        found = []
        for match in re.finditer(rf"[{chars}](?:[、和与及][{chars}])+(?=(?:两|二|三|四|五|几)?位)",
                                 sentence):
            keys = frozenset(k for c in match.group(0) if c in families for k in families[c])
            found.append((match.start(), match.end(), keys, True))
        return found

    def _session_roles(self, sentence: str) -> list[tuple[int, int, frozenset[str], bool]]:
        """Chairs and speakers of a session named by its order or its topic ("the chair of
        the final session", "the session chair on the militarization of AI", "第一场研讨的主持人",
        "非国家行为体专题的主持人")."""
        found: list[tuple[int, int, frozenset[str], bool]] = []
        if not self._sessions:
            return found
        holders: dict[tuple[str, int], set[str]] = {}
        for person in self.participants.values():
            for role in person.roles:
                kind, _sep, number = role.partition(":")
                if kind in ("chair", "speaker") and number.isdigit():
                    holders.setdefault((kind, int(number)), set()).add(person.key)
        for regex in _SESSION_ROLES:
            pos = 0
            while pos <= len(sentence):
                match = regex.search(sentence, pos)
                if match is None:
                    break
                resolved = self._sessions.resolve(match)
                # a topic that names no session may hide an order after it ("当天最后一个单元"):
                # look again from the next character
                pos = match.start() + 1 if resolved is None else max(match.end(),
                                                                     match.start() + 1)
                kind = "chair" if match.groupdict().get("chair") or match.groupdict().get(
                    "chair_zh") else "speaker"
                if resolved is None:
                    # a session the event's titles do not name ("the arms-control session",
                    # "压轴单元"): it may still be one of the event's, so it stands for every
                    # holder of the role (the decision is left to what the sentence says)
                    every = {k for (kd, _n), ks in holders.items() if kd == kind for k in ks}
                    start, end = match.start(), match.end()
                    if every and not _indefinite(sentence, start, end):
                        found.append((start, end, frozenset(every), True))
                    continue
                position, start, end = resolved
                keys = holders.get((kind, position))
                if not keys or len(keys) != 1:
                    continue
                before = sentence[:start]
                identifying = not (_INDEFINITE_EN.search(before)
                                   or _INDEFINITE_ZH.search(before[-14:]))
                found.append((start, end, frozenset(keys), identifying))
        if not found:
            found += self._bare_chairs(sentence, holders)
        return found

    def _bare_chairs(self, sentence: str, holders: dict[tuple[str, int], set[str]]
                     ) -> list[tuple[int, int, frozenset[str], bool]]:
        """A bare chair ("the chair", "主持人") in a sentence that names exactly one session
        by its order, and no chair of it otherwise: that session's chair."""
        positions = set()
        for match in _SESSION_ORDER.finditer(sentence):
            resolved = self._sessions.resolve(match)
            if resolved is not None:
                positions.add(resolved[0])
        if len(positions) != 1:
            return []
        keys = holders.get(("chair", positions.pop()))
        if not keys or len(keys) != 1:
            return []
        return [(m.start(), m.end(), frozenset(keys),
                 not _indefinite(sentence, m.start(), m.end()))
                for m in _BARE_CHAIR.finditer(sentence)]

    def _names_own_institution(self, pattern: _Pattern, role: str) -> bool:
        """Whether ``role`` names the institution of the people ``pattern`` stands for
        ("deputy director of CISS", "清华大学战略与安全研究中心副主任")."""
        if self._own_org.search(role):
            return True
        for key in pattern.people:
            person = self.participants.get(key)
            if person is None:
                continue
            for org in person.affiliations_local:
                # the full name, or what follows the university ("战略与安全研究中心")
                names = {org} | {org.split(p, 1)[1] for p in ("大学", "学院")
                                 if p in org and not org.endswith(p)}
                if any(n and n in role for n in names):
                    return True
        return False

    def _identifies(self, pattern: _Pattern, match: re.Match[str], sentence: str) -> bool:
        before = sentence[:match.start()]
        if pattern.kind == "name" and (sentence[max(0, match.start() - 1):match.start() + 1]
                                       in _WORD_BEFORE or sentence[match.end() - 1:match.end() + 1]
                                       in _WORD_AFTER):
            return False
        if pattern.kind in ("name", "bare") and _RELATION.match(sentence, match.end()):
            return False
        if pattern.kind == "name":
            text = match.group(0)
            # "Dongting Lake", "Wang Xiaoqian": the name run together as one ordinary word is
            # another word or another person's given name ("XiaoQian", "XIAOQIAN" still count)
            if re.fullmatch(r"[A-Z][a-z]{3,}", text):
                nxt = re.match(r"\s+([A-Z][a-z]+)", sentence[match.end():])
                prev = re.search(r"([A-Z][a-z]+)\s+$", before)
                if (nxt and not _looks_like_verb(nxt.group(1))) or (
                        prev and prev.group(1).lower() in _SURNAMES_EN):
                    return False
            # "董汀汀": a longer name that contains the participant's
            if _is_cjk(text) and sentence[match.end():match.end() + 1] == text[-1]:
                return False
        if pattern.kind == "role":
            if len(pattern.people) != 1:
                return False
            if _INDEFINITE_EN.search(before) or _INDEFINITE_ZH.search(before[-14:]):
                return False
            # an unnamed person with a short description before the role ("一位军方研究员")
            if re.search(r"(?:一|两|几|另一|某)(?:位|名)[^，。；,;、：:“”\"的]{1,6}$", before):
                return False
            # "this researcher" after "a researcher from NDU" earlier in the sentence: the
            # unnamed person just introduced, not the participant ("把话筒交给一位国防大学的
            # 研究员，这位研究员认为…", "a researcher from NDU; this researcher argued …")
            # A role that names the holder's own institution picks her out whoever was
            # introduced before ("一位记者采访了清华大学战略与安全研究中心副主任，这位清华大学
            # 战略与安全研究中心副主任认为…").
            if _ANAPHORIC_DEFINITE.search(before) and _introduced(before, match.group(0)) \
                    and not self._names_own_institution(pattern, match.group(0)):
                return False
            # the same role at another institution: "the deputy director of a European think
            # tank", "某欧洲智库副主任" (the holder's own institution is part of the match)
            after = sentence[match.end():]
            # someone else related to the holder: "论坛组织者的一位中心同事", "the organiser's
            # colleague"
            if re.match(r"的(?:[一两几某多](?:位|名))?[^，。；,;]{0,6}?(?:同事|学生|助手|助理|"
                        r"朋友|家人|"
                        r"下属|同学)|'s\s+(?:\w+\s+)?(?:colleague|student|assistant|aide|friend|"
                        r"staff)", after, re.IGNORECASE):
                return False
            lead = _ORG_LEAD_EN.match(after)
            if lead and _OTHER_ORG_EN.match(after, lead.end()) and not self._own_org.match(
                    after, lead.end()):
                return False
            if _OTHER_ORG_ZH.search(before):
                return False
            if re.search(rf"(?:{_RANK_EN})\s+$", before, re.IGNORECASE) and not re.match(
                    rf"(?:the\s+)?(?:{_RANK_EN})", match.group(0), re.IGNORECASE):
                return False
            return not re.search(rf"(?:{_RANK_ZH})$", before)
        if pattern.kind == "bare":
            token = match.group("token")
            if match.group("title"):
                return True
            if token.lower() in _COMMON_WORDS or not token[0].isupper():
                return False
            if re.search(r"\b(?:the|a|an|this|that|its|their|our)\s+$", before, re.IGNORECASE):
                return False
            after = sentence[match.end():]
            nxt = re.match(r"\s+([A-Z][a-z]+)", after)
            own = [t.lower() for key in pattern.people for t in
                   _tokens(self.participants[key].name) if key in self.participants]
            if nxt and (not _looks_like_verb(nxt.group(1)) or any(
                    nxt.group(1).lower().startswith(t) for t in own)):
                return False  # another person's full name, e.g. "Zhou Enlai", "Dong Tingting"
            prev = re.search(r"([A-Z][a-z]+)\s+$", before)
            if prev and prev.group(1).lower() in _SURNAMES_EN and prev.group(1).lower() not in own:
                return False  # "Li Chenghao": the given name of another person
            # "Emily Xiao": a given-first name that is not the participant's.
            return not (prev and prev.start() > 0 and not re.search(
                rf"(?:{_TITLES_EN})\.?\s+$", before, re.IGNORECASE))
        return True


# --- broad mentions (recall) ------------------------------------------------------------------

_WORD_PAIR = re.compile(r"(?<![A-Za-z])([A-Za-z]{2,})[\s\-]+(?=([A-Za-z]{2,})(?![A-Za-z]))")
# surnames written for one another (肖 and 萧 are distinct surnames, often confused)
_CONFUSED_SURNAMES = {"肖": "萧", "萧": "肖"}
_DID_EN = (r"(?:chaired|moderated|ran|led|presided\s+over|hosted|convened|facilitated|"
           r"organi[sz]ed|initiated|opened|closed|concluded|wrapped\s+up)")
_WHO_EN = (r"(?:(?:the|that|this|our)\s+(?:[\w'.-]+\s+){0,3}?(?:person|fellow|scholar|researcher|"
           r"expert|academic|analyst|woman|man|lady|gentleman|participant|one|guest|speaker|"
           r"colleague|specialist|official)\s*,?\s+(?:who|that)\s+(?:also\s+|had\s+|has\s+)?|"
           r"whoever\s+(?:also\s+)?|(?:the|that|this)\s+(?:one|person)\s+)")
_BROAD_ORGANIZER = re.compile(
    rf"(?<![A-Za-z])(?:{_WHO_EN}(?:organi[sz]ed|hosted|convened|initiated|called|set\s+up|"
    r"put\s+together)\s+(?:the|this|today's)\s+(?:forum|event|meeting|dialogue|day|conference)|"
    r"(?:the|our|its|today's)\s+(?:forum's\s+|event's\s+|meeting's\s+)?(?:host|hostess|"
    r"organi[sz]er|convenou?r|convener|initiator|instigator)(?!\s+of\s+(?:a|an|another|other|"
    r"several|many|some|the\s+other)\b)(?:\s+for\s+the\s+day|\s+of\s+"
    r"(?:the|this|today's)\s+(?:forum|event|meeting|dialogue|day|conference))?)(?![A-Za-z])|"
    r"(?:本次|这次|此次|今天的?|本届)?(?:论坛|会议|活动|对话)的?(?:发起人|东道主|主办人|召集人|"
    r"组织人|操办人|牵头人)|(?:本次|这次|此次|本届)(?:论坛|会议|活动|对话)?的?(?:组织者|东道主|主人)",
    re.IGNORECASE)
_BROAD_CHAIR = re.compile(
    rf"(?<![A-Za-z]){_WHO_EN}(?:chaired|moderated|ran|led|presided\s+over|facilitated|"
    r"steered|helmed|oversaw|guided|was\s+in\s+the\s+chair)(?![A-Za-z])"
    r"(?!\s+(?:none|no|neither|nothing)\b)|"
    r"(?:the|that|this)\s+(?:[\w'.-]+\s+){0,3}?(?:person|fellow|scholar|researcher|expert|"
    r"academic|analyst|woman|man|participant|one|guest|colleague|specialist)\s+in\s+the\s+"
    r"chair(?![A-Za-z])|"
    r"(?:the|that|this)\s+(?:[\w'.-]+\s+){0,4}?(?:session|panel)(?:'s)?\s+(?:chair|chairperson|"
    r"chairman|chairwoman|moderator|convenou?r|convener|facilitator)(?![A-Za-z])|"
    r"(?:the\s+)?(?:chair|chairperson|chairman|chairwoman|moderator|convenou?r|convener|"
    r"facilitator)\s+of\s+(?:the\s+)?(?:[\w'.-]+\s+){0,4}?(?:session|panel)(?![A-Za-z])|"
    r"[\u4e00-\u9fff“”\"]{1,16}?(?:单元|议题|环节|专题|分论坛|研讨|场)的?(?:主持人|召集人)|"
    r"(?<!没有)(?<!没)(?<!未)(?<!未曾)(?<!从未)(?<!不曾)主持(?:了)?(?!任何)[^，。；,;]{1,24}?"
    r"的(?:那位|这位|那名|这名)?[\u4e00-\u9fff]{0,6}?"
    r"(?:副研究员|研究员|学者|专家|嘉宾|老师|教授|人|主任|女士|先生)",
    re.IGNORECASE)
_BROAD_CLOSING = re.compile(
    r"(?<![A-Za-z])the\s+(?:closing\s+)?speaker(?![A-Za-z])(?=.*\bclosing\s+(?:remarks|address|"
    r"speech))|(?<=closing remarks, )the\s+speaker(?![A-Za-z])|"
    r"(?:闭幕|压轴)(?:致辞|讲话|发言)?的?(?:那位|这位)?(?:发言人|嘉宾|专家|学者|主讲人)",
    re.IGNORECASE)


# --- other romanisations of pinyin (for recall) ---------------------------------------------

_PINYIN_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j",
                    "q", "x", "r", "z", "c", "s", "y", "w", "")
_PINYIN_FINALS = frozenset([
    "a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er", "i", "ia", "ie",
    "iao", "iu", "ian", "in", "iang", "ing", "iong", "u", "ua", "uo", "uai", "ui", "uan", "un",
    "uang", "ue", "v",
])
# Wade-Giles initials; "'" marks aspiration and may be left out
_WG_INITIALS = {"b": "p", "p": "p'", "d": "t", "t": "t'", "g": "k", "k": "k'", "zh": "ch",
                "ch": "ch'", "j": "ch", "q": "ch'", "x": "hs", "z": "ts", "c": "ts'", "r": "j"}


def _syllables(word: str) -> list[tuple[str, str]] | None:
    """``word`` (lower case pinyin without tones) cut into (initial, final) syllables, the
    fewest that cover it; None if it is not pinyin."""
    best: list[list[tuple[str, str]] | None] = [None] * (len(word) + 1)
    best[0] = []
    for i in range(len(word)):
        start = best[i]
        if start is None:
            continue
        for initial in _PINYIN_INITIALS:
            if not word.startswith(initial, i):
                continue
            for j in range(i + len(initial) + 1, min(len(word), i + len(initial) + 4) + 1):
                if word[i + len(initial):j] in _PINYIN_FINALS:
                    path = [*start, (initial, word[i + len(initial):j])]
                    known = best[j]
                    if known is None or len(path) < len(known):
                        best[j] = path
    return best[len(word)]


def _wade_giles(initial: str, final: str) -> str:
    """One pinyin syllable in Wade-Giles, without its diacritics ("zhou" -> "chou")."""
    if initial in ("z", "c", "s") and final == "i":
        return {"z": "tzu", "c": "tz'u", "s": "ssu"}[initial]
    if initial in ("zh", "ch", "sh", "r") and final == "i":
        final = "ih"
    elif final == "ong":
        final = "ung"
    elif final in ("ian", "ie", "ue"):
        final = {"ian": "ien", "ie": "ieh", "ue": "ueh"}[final]
    elif (final == "uo" and initial not in ("g", "k", "h", "sh")) or (
            final == "e" and initial in ("g", "k", "h")):
        final = "o"
    elif final == "ui":
        final = "uei"
    if initial == "y" and final in ("ou", "an", "e", "ong", "ung"):
        final = {"ou": "u", "an": "en", "e": "eh", "ong": "ung", "ung": "ung"}[final]
    return _WG_INITIALS.get(initial, initial) + final


def _romanised(token: str) -> list[str]:
    """Regexes for other romanisations of a pinyin name token (Wade-Giles, syllables joined
    by a hyphen or not, the aspiration mark optional); empty where nothing differs."""
    syllables = _syllables(token.lower())
    if not syllables:
        return []
    parts = [_wade_giles(i, f) for i, f in syllables]
    joined = r"-?".join(re.escape(p).replace("'", "'?") for p in parts)
    plain = "".join(parts).replace("'", "")
    return [joined] if plain != token.lower() else []


# a Chinese title or role right before or after a name ("副研究员董婷", "董婷老师")
_TITLE_AROUND_ZH = ("研究员|主任|教授|专家|学者|博士|老师|女士|先生|同事|嘉宾")
# what follows a name that ends there: a verb of speech or view, a preposition, a particle,
# punctuation ("孙承昊在…直言", "董婷表示"); a longer name goes on ("周伯文", "孙成浩负责")
_AFTER_NAME_ZH = ("表示|认为|指出|强调|提出|主张|建议|呼吁|称|说|坦言|直言|提醒|警告|希望|担心|"
                  "相信|觉得|在|的|也|则|还|曾|对|就|向|和|与|及|、|[，,。：:；;!！?？]")


def _homophone_names(local: str, who: frozenset[str], sentence: str
                     ) -> list[tuple[int, int, frozenset[str], bool]]:
    """A Chinese name written with another character for one of its given name's ("孙承昊"
    for 孙成昊: the family name and the other characters kept), or a one-character given name
    replaced next to a title ("副研究员董婷", "董婷老师"): homophones are the commonest slip in
    Chinese names, and the other characters keep it specific."""
    family, given = _split_cjk_name(local)
    found: list[tuple[int, int, frozenset[str], bool]] = []
    other = f"[{_CJK}]"
    if len(given) >= 2:
        options = [re.escape(given[:i]) + other + re.escape(given[i + 1:])
                   for i in range(len(given))]
        regex = rf"{re.escape(family)}(?:{'|'.join(options)})(?=(?:{_AFTER_NAME_ZH}))"
    else:
        after_title = "|".join(f"(?<={t})" for t in _TITLE_AROUND_ZH.split("|"))
        regex = (rf"(?:(?:{after_title}){re.escape(family)}(?!某){other}"
                 rf"(?=(?:{_AFTER_NAME_ZH}))|"
                 rf"{re.escape(family)}(?!某){other}(?=(?:{_TITLE_AROUND_ZH})))")
    for match in re.finditer(regex, sentence):
        found.append((match.start(), match.end(), who, True))
    return found


_ANAPHORIC_DEFINITE = re.compile(r"(?:这|那|该|此)(?:位|名)?$|(?<![A-Za-z])(?:this|that|the)\s+$",
                                  re.IGNORECASE)


def _introduced(before: str, role: str) -> bool:
    """Whether ``role`` was introduced as an unnamed person ("一位…研究员", "a researcher")
    earlier in ``before``."""
    core = re.sub(r"^(?:the|this|that)\s+", "", role.strip(), flags=re.IGNORECASE)
    at = before.lower().rfind(core.lower())
    if at <= 0:
        return False
    head = before[:at]
    # the classifier directly before the role, with at most a few words describing the person
    # ("一位国防大学的研究员", "a researcher"), not the subject of a verb whose object is the
    # role ("一位记者采访了…副主任", "a journalist interviewed the deputy director")
    zh = re.search(r"(?:一|两|几|另一|某)(?:位|名|个)(?P<between>[^，。；,;]{0,8})$", head)
    if zh and not _VERB_BETWEEN_ZH.search(zh.group("between")):
        return True
    return bool(re.search(r"(?<![A-Za-z])(?:a|an|one|another)\s+"
                          r"(?:(?!(?:the|this|that|his|her|their|its)\s)[\w'-]+\s+){0,3}$",
                          head, re.IGNORECASE))


# a verb (or its aspect) between an unnamed subject and a role that is the verb's object
_VERB_BETWEEN_ZH = re.compile(r"了|过|着|采访|访问|提到|提及|邀请|请|问|询问|会见|拜访|见|遇|"
                              r"联系|告诉|介绍|交给|递给|转给|对|向|跟|与|和|同|说|称|表示|认为|"
                              r"引用|援引|批评|反驳|回应|质疑|称赞|感谢|是")


_INDEFINITE_INSIDE = re.compile(
    r"(?<![A-Za-z])(?:a|an|one|each|every|some|any|another|several|two|both|either|other)\s+"
    r"(?:[\w'-]+\s+){0,3}?(?:session|panel|chair|moderator|host|organi[sz]er)|"
    r"[各某每几多另]|其中|[一两二三四五](?:场|位|个|名)|担任", re.IGNORECASE)


def _indefinite(sentence: str, start: int, end: int) -> bool:
    """Whether a role found at ``start:end`` is one of several ("a session chair", "one of the
    morning sessions", "各场研讨主持人", "两位单元主持人之一", "以单元主持人身份")."""
    before = sentence[:start]
    return bool(_INDEFINITE_EN.search(before) or _INDEFINITE_ZH.search(before[-14:])
                or _INDEFINITE_INSIDE.search(sentence[start:end])
                or re.match(r"[A-Za-z]|.{0,3}(?:之一|身份)", sentence[end:end + 5])
                or re.search(r"(?<![A-Za-z])as\s+$", before, re.IGNORECASE))


def _near(word: str, target: str) -> bool:
    """One letter added, dropped or changed, or two neighbours swapped, in a name token of
    four letters or more."""
    if len(target) < 4 or word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diff = [i for i, (x, y) in enumerate(zip(word, target, strict=True)) if x != y]
        # one letter changed, or two neighbours swapped ("Zhuo" for "Zhou")
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and word[diff[0]] == target[diff[1]]
                                  and word[diff[1]] == target[diff[0]])
    short, long_ = sorted((word, target), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# someone else related to a participant: "Xiao Qian's colleague", "肖茜的一位同事"
_RELATION = re.compile(r"的(?:[一两几某多](?:位|名))?[^，。；,;]{0,6}?(?:同事|学生|助手|助理|"
                       r"博士生|硕士生|研究生|博士后|"
                       r"朋友|家人|下属|同学)|'s\s+(?:\w+\s+)?(?:colleague|student|assistant|aide|friend|"
                       r"staff)", re.IGNORECASE)


# Someone else whom the words around a name or role point to, not the participant: a namesake
# ("a namesake, Zhou Bo the …", "另一位周波", "the writer Xiao Qian (1910-1999)"), a dynasty or
# era ("the Zhou dynasty"), a person placed or related by the participant ("a participant seated
# next to Xiao Qian", "a former student of Sun Chenghao's", "a research assistant who works with
# Dong Ting", "坐在董汀旁边的一位学者", "孙成昊指导的一名博士生"), a role at another event ("the
# chair of the closing session at the REAIM summit").
_ELSE_BEFORE = re.compile(
    r"(?:\b(?:namesake|another|a\s+different|an\s+unrelated|unrelated)\s*,?\s*|"
    r"\b(?:seated|sitting|standing|sat|stood|who\s+(?:sat|stood|was\s+seated))\s+(?:right\s+)?"
    r"(?:next\s+to|beside|near|behind|opposite|across\s+from)\s+|"
    r"\b(?:students?|assistants?|aides?|protég[eé]s?|proteges?|mentees?|supervisees?|doctoral\s+"
    r"candidates?)\s+(?:of|to|(?:who|that)\s+works?\s+(?:with|for|under)|working\s+(?:with|for|"
    r"under)|supervised\s+by|trained\s+by)\s+|"
    r"\balso\s+(?:called|named)\s+|(?:另一位|另一个|另外一位|另一名|同名的?|坐在|站在|也叫|也名叫))$",
    re.IGNORECASE)
_ELSE_AFTER = re.compile(
    r"(?:\s*[(（]\s*(?:c\.\s*)?\d{4}\s*[-–—~至]\s*\d{4}\s*[)）]|\s+(?:dynasty|dynasties|era|"
    r"period|kingdom)\b|\s*,?\s+the\s+(?:[\w-]+\s+){0,3}(?:coach|footballer|player|writer|"
    r"novelist|poet|actor|actress|singer|painter)\b|"
    r"(?:的)?(?:旁边|身边|身旁|对面|后面|前面|左边|右边|左侧|右侧)的|(?:所)?(?:指导|带|培养)的|\s*同名|"
    r"\s*[,—–-]+\s*(?:no\s+relation|not\s+the\s+(?:CISS|forum's|participant))|"
    r"\s+(?:at|of|during)\s+(?:the\s+)?(?:(?!CISS\b|Tsinghua\b)[A-Z][\w-]*\s+){1,4}(?:summit|"
    r"conference|dialogue|symposium))")


def _someone_else(sentence: str, start: int, end: int) -> bool:
    """Whether the words around ``sentence[start:end]`` say it stands for someone else."""
    title = _TITLE_AFTER.match(sentence, end)
    return bool(_ELSE_BEFORE.search(sentence[max(0, start - 60):start])
                or _ELSE_AFTER.match(sentence, end)
                or _RELATION.match(sentence, title.end() if title else end))


# a title after a Chinese name, before the relation ("周波老师的助理")
_TITLE_AFTER = re.compile("(?:老师|教授|博士|研究员|女士|先生|主任)(?=的)")


# --- sessions named by order or topic --------------------------------------------------------

_CHAIR_NOUN_EN = (r"chair|chairperson|chairman|chairwoman|co-chair|moderator|convenou?r|"
                  r"convener|host|facilitator")
_SPEAKER_NOUN_EN = r"speaker|presenter|panell?ist|discussant|keynote\s+speaker"
_ORDINAL_WORDS_EN = ("first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                     "final|last|closing|concluding|opening|penultimate")
_SESSION_EN = r"(?:session|panel|roundtable|round-table|segment|discussion)"
_NUMBER_WORDS_EN = "one|two|three|four|five|six|seven|eight|nine|ten"
_TOPIC_WORD = r"(?:[A-Za-z][\w'\-]*|U\.S\.|U\.N\.)"
_SESSION_REF_EN = (
    rf"(?:(?:[A-Za-z]+'s\s+)?(?P<ord>{_ORDINAL_WORDS_EN})\s+{_SESSION_EN}|"
    # "session 3", and "S3" in minutes
    rf"(?:{_SESSION_EN}[\s-]+|(?<![A-Za-z'])S(?=\d))(?P<num>\d+|{_NUMBER_WORDS_EN})(?![A-Za-z])|"
    rf"{_SESSION_EN}\s+(?:on|about|devoted\s+to|dealing\s+with|concerning|covering|"
    rf"that\s+(?:discussed|covered|examined|dealt\s+with|looked\s+at))\s+(?:the\s+)?"
    rf"(?P<topic>{_TOPIC_WORD}(?:\s+{_TOPIC_WORD}){{0,7}})|"
    rf"(?P<topic_before>{_TOPIC_WORD}(?:\s+{_TOPIC_WORD}){{0,4}})\s+{_SESSION_EN})")
_ROLE_NOUN_EN = rf"(?:(?P<chair>{_CHAIR_NOUN_EN})|(?P<speaker>{_SPEAKER_NOUN_EN}))"
_SESSION_ROLES_EN = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    # the chair of the final session, the moderator of the panel on non-state actors
    rf"(?<![A-Za-z])(?:the\s+)?{_ROLE_NOUN_EN}\s+(?:of|for|in|at|on)\s+(?:the\s+)?"
    rf"{_SESSION_REF_EN}",
    # "Chair (S4)", "Moderator (session 2)": the session in brackets after the role
    rf"(?<![A-Za-z])(?:the\s+)?{_ROLE_NOUN_EN}\s*[(（]\s*{_SESSION_REF_EN}\s*[)）]",
    # the final session's chair, the arms control panel moderator
    rf"(?<![A-Za-z])(?:the\s+)?{_SESSION_REF_EN}(?:'s)?\s+{_ROLE_NOUN_EN}(?![A-Za-z])",
    # the session chair on the militarization of AI
    rf"(?<![A-Za-z])(?:the\s+)?{_SESSION_EN}\s+{_ROLE_NOUN_EN}\s+(?:on|for|about)\s+"
    rf"(?:the\s+)?(?P<topic>{_TOPIC_WORD}(?:\s+{_TOPIC_WORD}){{0,7}})",
    # the scholar who chaired the session on non-state actors, the associate research fellow
    # who moderated the militarization session
    rf"(?<![A-Za-z])(?:the|that|this)\s+(?:[\w'.-]+\s+){{0,5}}?(?:who|that)\s+"
    rf"(?P<chair>chaired|moderated|ran|led|presided\s+over|hosted|convened|facilitated)\s+"
    rf"(?:the\s+)?{_SESSION_REF_EN}",
))
_SESSION_ZH = ("(?:单元|场(?:研讨|讨论|会议|对话|座谈)?|节|环节|分论坛|议题|部分|时段|板块|专题|"
               "研讨|讨论|会议)")
_ORDINAL_ZH = (rf"(?:第(?P<num_zh>[{_NUMERALS_ZH}]|\d+)|(?P<last_zh>最后一|末|最后|闭幕)|"
               rf"(?P<first_zh>首|开幕))")
_SESSION_ROLE_ZH = re.compile(
    rf"(?:{_ORDINAL_ZH}(?:个|场)?{_SESSION_ZH}|(?:关于|有关)?[“\"《「]?(?P<topic_zh>[{_CJK}]{{2,24}}?)"
    rf"[”\"》」]?(?:的)?{_SESSION_ZH})(?:的)?(?:(?P<chair_zh>主持人|召集人|主持(?![得了过着]))|(?P<speaker_zh>发言人|"
    rf"发言嘉宾|报告人|主讲人|引导发言人))")
# 主持军事化议题的那位副研究员, 主持“……”研讨的学者: the chair described by what they chaired
_SESSION_CHAIR_ZH = re.compile(
    rf"(?<!没有)(?<!没)(?<!未)(?<!未曾)(?<!从未)(?<!不曾)(?P<chair_zh>主持|主持了)(?!任何)"
    rf"(?:{_ORDINAL_ZH}(?:个|场)?{_SESSION_ZH}|(?:关于|有关)?[“\"《「]?"
    rf"(?P<topic_zh>[{_CJK}]{{2,24}}?)[”\"》」]?(?:的)?{_SESSION_ZH}?(?:研讨|讨论)?)的(?:那位|这位)?"
    rf"[{_CJK}]{{0,6}}?(?:副研究员|研究员|学者|专家|嘉宾|老师|教授|人|主持人)")
_SESSION_ROLES = (*_SESSION_ROLES_EN, _SESSION_ROLE_ZH, _SESSION_CHAIR_ZH)
# A session named by its order anywhere in the sentence ("Rapporteur, S3: …", "第三单元：…",
# "【Session 2 第二单元】"), and a bare chair in the same sentence ("the chair's own view",
# "主持人收尾时强调", "Chair's view 主持人观点"): the chair is that session's (not a label with
# the name after it: "Chair: …", "chair SCH")
_SESSION_ORDER = re.compile(
    rf"(?<![A-Za-z])(?:(?P<ord>{_ORDINAL_WORDS_EN})\s+{_SESSION_EN}|(?:{_SESSION_EN}[\s-]+|"
    rf"(?<![A-Za-z'])S(?=\d))(?P<num>\d+|{_NUMBER_WORDS_EN})(?![A-Za-z]))|"
    rf"{_ORDINAL_ZH}(?:个|场)?{_SESSION_ZH}", re.IGNORECASE)
_BARE_CHAIR = re.compile(
    r"(?<![A-Za-z])(?<!to\s)(?<!will\s)(?:the\s+)?(?:chair|chairperson|chairman|chairwoman|"
    r"moderator)(?![A-Za-z])(?!\s*(?:of\b|for\b|[:：]|(?-i:[A-Z])))|(?:(?<![\u4e00-\u9fff])|(?<=该)|"
    r"(?<=这位)|(?<=本单元))主持人(?!之一)(?!\s*[:：])", re.IGNORECASE)
_STOP_EN = frozenset([
    "the", "of", "and", "in", "for", "on", "to", "a", "an", "at", "by", "with", "from", "its",
    "their", "s",
])


def _stem(word: str) -> str:
    word = word.lower().replace("isation", "ization").replace("ise", "ize").strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:6]


def _words_en(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"[A-Za-z]+", normalise(text))
            if w.lower() not in _STOP_EN]


class _SessionIndex:
    """Which session a topic names: by the words (English) or the phrases (Chinese) of its
    title and themes that no other session's title or themes share."""

    def __init__(self, sessions: Iterable[SessionTopic]) -> None:
        self.sessions = {s.position: s for s in sessions}
        self.last = max(self.sessions, default=0)
        vocab = {n: set().union(*(_words_en(t) for t in s.topics)) if s.topics else set()
                 for n, s in self.sessions.items()}
        self._words = {n: {w for w in words if all(w not in vocab[m] for m in vocab if m != n)}
                       for n, words in vocab.items()}
        self._local = {n: tuple(normalise(t) for t in s.topics_local)
                       for n, s in self.sessions.items()}

    def __bool__(self) -> bool:
        return bool(self.sessions)

    def _by_words(self, words: Sequence[str]) -> int | None:
        hits = {n for n, own in self._words.items() if any(w in own for w in words)}
        return hits.pop() if len(hits) == 1 else None

    def _by_phrase(self, text: str) -> tuple[int, int] | None:
        """The one session whose Chinese titles contain a piece of ``text`` (two characters or
        more) that the others' do not, and where that piece starts in ``text``."""
        for size in range(len(text), 1, -1):
            for start in range(len(text) - size + 1):
                piece = text[start:start + size]
                hits = {n for n, titles in self._local.items() if any(piece in t for t in titles)}
                if len(hits) == 1:
                    return hits.pop(), start
        return None

    def resolve(self, match: re.Match[str]) -> tuple[int, int, int] | None:
        """(session position, start and end of the mention) for a match of the session-role
        patterns, or None where the session is not one of the event's."""
        groups = match.groupdict()
        start, end = match.start(), match.end()
        if groups.get("ord"):
            word = groups["ord"].lower()
            position = (self.last if word in ("final", "last", "closing", "concluding") else
                        self.last - 1 if word == "penultimate" else
                        1 if word == "opening" else _ORDINALS_EN.index(word) + 1)
        elif groups.get("num"):
            raw = groups["num"].lower()
            position = int(raw) if raw.isdigit() else _NUMBER_WORDS_EN.split("|").index(raw) + 1
        elif groups.get("num_zh"):
            raw = groups["num_zh"]
            position = int(raw) if raw.isdigit() else _NUMERALS_ZH.index(raw) + 1
        elif groups.get("last_zh"):
            position = self.last
        elif groups.get("first_zh"):
            position = 1
        elif groups.get("topic_zh"):
            phrase = self._by_phrase(groups["topic_zh"])
            if phrase is None:
                return None
            position, offset = phrase
            start = match.start("topic_zh") + offset
        else:
            topic_key = next((k for k in ("topic", "topic_before") if groups.get(k)), None)
            if topic_key is None:
                return None
            words = groups[topic_key].split()
            # the shortest run of the topic's words that names one session: after "on" from
            # the front ("on non-state actors warned that ..."), before "session" from the back
            runs = ([words[-n:] for n in range(1, len(words) + 1)] if topic_key == "topic_before"
                    else [words[:n] for n in range(1, len(words) + 1)])
            position = 0
            for run in runs:
                found = self._by_words([_stem(w) for w in run])
                if found is not None:
                    position = found
                    if topic_key == "topic_before" and match.start(topic_key) - start <= 4:
                        start = match.end(topic_key) - len(" ".join(run))
                    else:
                        end = match.start(topic_key) + len(" ".join(run))
                    break
            if not position:
                return None
        if position not in self.sessions:
            return None
        return position, start, end


def _flexible_phrase(text: str) -> str:
    return r"[\s\-]+".join(re.escape(w) for w in normalise(text).split())


def _looks_like_verb(word: str) -> bool:
    lowered = word.lower()
    return lowered.endswith(("ed", "es", "s", "ing")) or lowered in {"said", "says", "put",
                                                                   "thought", "told", "held"}


_MERGE_GAP = re.compile(r"^[\s,，、;；(（:：]*(?:(?:who\s+(?:is|was|serves\s+as|served\s+as)|"
                        r"as)\s*)?(?:the\s+)?$",
                        re.IGNORECASE)


def _merge(mentions: list[Mention], sentence: str) -> list[Mention]:
    merged: list[Mention] = []
    for mention in mentions:
        if merged and merged[-1].people == mention.people and _MERGE_GAP.match(
                sentence[merged[-1].end:mention.start]):
            last = merged[-1]
            end = mention.end
            span = sentence[last.start:end]
            opened = span.count("(") + span.count("（") - span.count(")") - span.count("）")
            gap = sentence[last.end:mention.start]
            tail = re.match(r"\s*[)）]" if opened > 0 else r"\s*,(?=\s)" if "," in gap else r"$^",
                            sentence[end:])
            if tail:
                end += tail.end()
            merged[-1] = Mention(last.start, end, last.people, sentence[last.start:end])
        else:
            merged.append(mention)
    return merged
