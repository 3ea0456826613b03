"""The attribution policy (Chatham House rule) on free text: one checker for every publish path.

Under the rule nothing published may say, or let a reader work out, who said what. The check
works sentence by sentence and denies by default:

1. find every participant the sentence names or identifies (:mod:`detente.forum._mentions`:
   normalised text, name variants in both scripts, identifying roles), and treat "he", "she",
   "他", "她" as a mention of whoever the sentence, or the sentence before it, names;
2. take away each mention that stands in a *neutral construction*: chairing ("chaired by ...",
   "由...主持"), organising and hosting, attendance and lists of participants, welcoming or
   thanking the participants, who someone is ("..., Deputy Director of CISS", "...现任..."),
   thanks to someone, photo captions that say only who is pictured and where, procedural acts
   (reminders of time limits, breaks, calling a session to order), and who gave a speech,
   remarks or a presentation without its content ("X delivered the closing remarks", "肖茜致闭幕
   辞", "X spoke on arms control": a topic is no view), and a participant's neutral act next to
   someone else's view (giving the floor to someone who argues, asking for reactions, being
   asked without answering, praised by others), corrections, future roles and logistics. A neutral
   construction fails when its own words report speech or a view (the verb lexicons below, a
   quotation, a colon), and a list of participants fails when the sentence reports a view;
3. flag the sentence when any mention is left, or when a relative clause ("..., who ...")
   hangs on a neutral construction.

So an attribution is flagged whatever its verb ("urged", "cautioned", "X's position is",
"肖茜希望"): the lexicons only decide whether a construction that would otherwise be neutral
carries a view. Sentences that name nobody are never flagged.

:class:`AttributionChecker` is the pure-text core; :func:`event_checker` builds one from an
event's records (no checker applies where the event allows attribution).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from detente.forum._mentions import (
    Mention,
    MentionFinder,
    Participant,
    SessionTopic,
    normalise,
    sentences,
)
from detente.forum._model import CUE, NO_CUE
from detente.forum._model import releases as _model_releases
from detente.store.models.forum import Event, Person, Role

__all__ = [
    "AttributionChecker",
    "Finding",
    "Participant",
    "SessionTopic",
    "event_checker",
    "event_participants",
    "event_sessions",
]

# Placeholders written into the sentence in place of mentions and of neutral constructions.
_MENTION_BASE = 0xE100
_FRAME_BASE = 0xE400
_P = "[\ue100-\ue3ff]"  # a mention
_F = "[\ue400-\ue6ff]"  # a neutral construction
_JOIN = r"(?:\s*(?:,\s*and|,|、|，|&|/|\band\b|和|与|及|以及|同|跟)\s*)"
_PL = rf"(?:{_P}(?:{_JOIN}{_P})*(?:\s*(?:等人|等|and others|et al\.?|among others))?)"

# --- lexicons: words that report speech, a view or a proposal ------------------------------

_VERB_LEMMAS = [
    "say", "tell", "speak", "talk", "argue", "note", "stress", "emphasise", "emphasize", "state",
    "remark", "observe", "warn", "suggest", "propose", "believe", "think", "call", "conclude",
    "insist", "maintain", "contend", "claim", "explain", "urge", "caution", "recommend",
    "advocate", "advise", "assert", "add", "acknowledge", "admit", "agree", "disagree",
    "question", "ask", "answer", "reply", "respond", "point", "highlight", "underline",
    "underscore", "reiterate", "recall", "describe", "present", "outline", "share", "express",
    "voice", "raise", "float", "pitch", "favour", "favor", "support", "oppose", "reject",
    "criticise", "criticize", "dismiss", "doubt", "worry", "fear", "hope", "wish", "want",
    "expect", "predict", "forecast", "estimate", "reckon", "suspect", "consider", "regard",
    "view", "see", "feel", "find", "summarise", "summarize", "characterise", "characterize",
    "label", "identify", "recognise", "recognize", "endorse", "champion", "push", "press",
    "lobby", "demand", "plead", "appeal", "implore", "encourage", "challenge", "counter", "rebut",
    "refute", "object", "protest", "complain", "lament", "regret", "deplore", "condemn", "praise",
    "commend", "applaud", "hail", "mention", "cite", "quote", "refer", "allude", "reveal",
    "disclose", "confirm", "deny", "announce", "declare", "pronounce", "proclaim", "affirm",
    "reaffirm", "concede", "posit", "hypothesise", "hypothesize", "theorise", "theorize",
    "speculate", "muse", "reflect", "ponder", "wonder", "quip", "joke", "comment", "opine",
    "reason", "deduce", "infer", "imply", "hint", "signal", "indicate", "show", "demonstrate",
    "illustrate", "prove", "assess", "evaluate", "analyse", "analyze", "examine", "elaborate",
    "clarify", "spell", "lay", "set", "put", "pose", "frame", "lecture", "address", "brief",
    "testify", "narrate", "recount", "report", "write", "contribute", "remind", "assure",
    "reassure", "promise", "vow", "pledge", "threaten", "concur", "dissent", "prefer", "guess",
    "judge", "deem", "flag", "blame", "accuse", "attack", "defend", "justify", "discount",
    "downplay", "probe", "query", "inquire", "enquire", "offer", "table", "submit", "advance",
    "moot", "air", "broach", "sketch", "lambast", "slam", "blast", "decry", "denounce",
    "castigate", "scold", "rebuke", "ridicule", "mock", "question", "insist", "envisage",
    "envision", "foresee", "anticipate", "caution", "counsel", "stress", "prioritise",
    "prioritize", "reckon", "surmise", "conjecture", "assume", "presume", "gather", "sense",
    "believe", "trust", "bet",
]
_IRREGULAR = {
    "say": ["said"], "tell": ["told"], "speak": ["spoke", "spoken"], "think": ["thought"],
    "see": ["saw", "seen"], "feel": ["felt"], "find": ["found"], "lay": ["laid"],
    "set": ["set"], "put": ["put"], "write": ["wrote", "written"], "foresee": ["foresaw"],
    "bet": ["bet"],
}
# Forms that are more often nouns or adjectives in a neutral phrase ("how states govern AI",
# "advanced AI", "the welcome address"): they do not count on their own.
_NOUNISH = frozenset([
    "state", "states", "point", "points", "report", "reports", "view", "views", "question",
    "questions", "note", "notes", "address", "addresses", "share", "shares", "table", "tables",
    "frame", "frames", "flag", "flags", "signal", "signals", "object", "objects", "counter",
    "counters", "sketch", "sketches", "present", "presents", "set", "sets", "put", "puts", "lay",
    "lays", "pose", "poses", "press", "presses", "push", "pushes", "air", "airs", "advance",
    "advances", "advanced", "offer", "offers", "brief", "briefs", "briefing", "quote", "quotes",
    "comment", "comments", "answer", "answers", "appeal", "appeals", "demand", "demands",
    "challenge", "challenges", "estimate", "estimates", "judge", "judges", "promise", "promises",
    "lecture", "lectures", "probe", "probes", "call", "calls", "show", "shows", "hint", "hints",
    "support", "hope", "hopes", "fear", "fears", "wish", "wishes", "want", "view", "see", "find",
    "findings", "finding", "setting", "reading", "writing", "mapping", "framing", "offering",
    "detailed", "talk", "talks", "doubt", "doubts", "worry", "worries", "forecast", "forecasts",
    "guess", "protest", "protests", "query", "queries", "pledge", "pledges", "vow", "vows",
    "joke", "jokes", "label", "labels", "champion", "champions", "lobby", "review", "reason",
    "reasons", "attack", "attacks", "discount", "discounts", "blame", "defend", "mention",
    "mentions", "recall", "add", "adds", "reflect", "reflects", "reflecting", "raise", "raises",
    "concern", "contribute", "contributes", "contributing", "express", "regard", "regards",
    "consider", "considering", "identify", "identifies", "identifying", "recognise", "recognize",
    "recognised", "recognized", "recognising", "recognizing", "indicate", "illustrate",
    "evaluate", "examine", "refer", "trust", "gather", "sense", "bet", "assume", "presume",
    "anticipate", "envisage", "envision", "report", "write", "writes", "written", "reference",
    "referring", "report", "reporting", "present", "presenting", "address", "addressing",
    "submit", "submits", "submitting", "outline", "outlines", "table", "tabled", "tabling",
])
_PHRASES = (
    r"calls?\s+for|called\s+for|calling\s+for|points?\s+out|pointed\s+out|pointing\s+out|"
    r"put\s+forward|puts\s+forward|putting\s+forward|set\s+out|sets\s+out|setting\s+out|"
    r"laid\s+out|lays\s+out|spelled\s+out|spelt\s+out|made\s+the\s+case|makes\s+the\s+case|"
    r"took\s+the\s+view|takes\s+the\s+view|(?:is|was|were|are)\s+of\s+the\s+(?:view|opinion)|"
    r"according\s+to|in\s+(?:his|her|their)\s+(?:view|words|opinion|remarks)|"
    r"expressed|expressing|expresses|voiced|raised\s+(?:concerns?|the\s+question|doubts)|"
    r"addressed\s+the|presented\s+(?:a|an|the|his|her)|reported\s+that|wrote\s+that|"
    r"added\s+that|recalled\s+that|mentioned\s+that|mentioned\s+the|referred\s+to|"
    r"gave\s+(?:a|the|his|her)\s+(?:talk|speech|presentation|keynote|lecture|address)\s+"
    r"(?:that|in\s+which|arguing|calling|urging|warning)"
)


def _forms(lemma: str) -> set[str]:
    forms = {lemma, *_IRREGULAR.get(lemma, [])}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z", "o")) else "s"),
                  stem + "ed", stem + "ing"}
        if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma) and len(lemma) <= 4:
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


_VERBS = sorted({f for lemma in _VERB_LEMMAS for f in _forms(lemma)} - _NOUNISH,
                key=len, reverse=True)
_SPEECH_NOUNS = (r"remarks|speech|speeches|keynote|keynotes|presentation|presentations|lecture|"
                 r"lectures|statement|statements|talk\s+on|talk\s+about|intervention|"
                 r"interventions|briefing\s+on")
_OPINION_NOUNS = (
    _SPEECH_NOUNS + r"|views?|position|positions|stance|stances|arguments?|proposals?|"
    r"suggestions?|warnings?|concerns?|comments?|opinions?|assessments?|thesis|conclusions?|"
    r"analys[ie]s|insights?|perspectives?|ideas?|recommendations?|messages?|words|questions?|"
    r"points?|viewpoints?|proponent|advocate|critic|opponent|supporter|champion|sceptic|"
    r"skeptic|believer|voice|verdict|judg(?:e)?ment|belief|beliefs|thoughts?|plea|appeal|"
    r"case\s+for|case\s+against|quote|interview|testimony|address|talk|talks|paper"
)
_EN_CUE = re.compile(rf"(?<![A-Za-z])(?:{_PHRASES}|{'|'.join(_VERBS)})(?![A-Za-z])",
                     re.IGNORECASE)
_EN_SPEECH = re.compile(rf"(?<![A-Za-z])(?:{_SPEECH_NOUNS})(?![A-Za-z])", re.IGNORECASE)
_EN_NOUN = re.compile(rf"(?<![A-Za-z])(?:{_OPINION_NOUNS})(?![A-Za-z])", re.IGNORECASE)
# "... chaired the session and lambasted the plan": a second verb with its own object.
_EN_SECOND_VERB = re.compile(
    r"(?:\band|,)\s+(?:\w+ly\s+)?(?!(?:co-?)?(?:chaired|moderated|welcomed|thanked|hosted|"
    r"convened|organi[sz]ed|attended|joined|opened|closed|introduced|greeted)\b)[a-z]+ed\s+"
    r"(?:that|the|a|an|to|for|against|on|about|his|her|their|its|this|these|those|it|"
    r"whether|how|why)\b", re.IGNORECASE)
_ZH_CUE = re.compile(
    "认为|指出|表示|强调|提出|建议|呼吁|希望|主张|坦言|直言|声称|宣称|坚称|称|说|谈到|谈及|提到|提及|"
    "介绍|分析|阐述|阐释|阐明|论述|论证|总结|回顾|警告|警示|提醒|质疑|赞同|赞成|同意|反对|担心|担忧|"
    "忧虑|倡导|倡议|分享|解读|看来|"
    "观点|看法|立场|判断|预测|预计|期待|期望|敦促|批评|批判|抨击|谴责|驳斥|肯定|赞赏|支持|坚持|相信|"
    "怀疑|感到|觉得|以为|点出|直指|说明|解释|补充|回应|回答|提问|追问|问道|答道|寄语|展望|剖析|评估|"
    "评价|研判|概括|归纳|主讲|讲述|描述|透露|披露|重申|承认|否认|反驳|提议|疾呼|告诫|建言|献策|见解|"
    "意见|陈述|表态|关切|忧心|断言|预言|倡言|力主|力挺|"
    "不赞成|不同意|不认同|认同|赞许|欢迎(?:这|该|此|各国|中方|美方)|担忧"
)
_ZH_SECOND_VERB = re.compile("并(?!致欢迎|主持|出席|参加|与|感谢|致谢|欢迎|发表演讲|发言|致辞|讲话|"
                             "作报告|做报告)|并且|随后|之后|然后|同时|"
                             "[，,](?:还|又|也)")
_CONTENT_EN = re.compile(r"\b(?:that|whether|arguing|calling|urging|warning)\b|:", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“”「」『』]|:\s*['\"“]|：")
_NEW_SUBJECT_EN = (
    r"the|a|an|participants?|experts?|speakers?|discussants?|attendees?|delegates?|scholars?|"
    r"researchers?|they|it|this|these|those|there|which|where|while|whereas|many|several|some|"
    r"others?|most|all|one|each|both|discussion|debate|session|panel|forum|during|in|at|after|"
    r"before|with|following|others"
)
_NEW_SUBJECT_ZH = (
    "与会|专家|学者|各方|大家|会议|论坛|讨论|本单元|该单元|嘉宾|代表|参会|有|不少|多位|部分|一些|许多|"
    "各国|双方|此外|随后|会上|会间|期间|在此|其中|他们|她们|本次|该|本|这|此|一(?:位|名)|另一|某|不少人|"
    "后者|有人"
)


def _has_cue(text: str, *, nouns: str | None = None, quotes: bool = False,
             others: bool = False) -> bool:
    """Whether ``text`` reports speech or a view: a verb of the lexicons, a second verb with
    its own object, a mention of a participant, and optionally a noun of speech
    (``nouns="speech"``) or of a view (``nouns="opinion"``) or a quotation."""
    if (not others and re.search(_P, text)) or _EN_CUE.search(text) or _ZH_CUE.search(text):
        return True
    if _EN_SECOND_VERB.search(text) or _ZH_SECOND_VERB.search(text):
        return True
    if nouns == "speech" and _EN_SPEECH.search(text) and _CONTENT_EN.search(text):
        return True
    if nouns == "opinion" and _EN_NOUN.search(text):
        return True
    return bool(quotes and _QUOTE.search(text))


# --- neutral constructions -------------------------------------------------------------------

@dataclass(frozen=True)
class _Frame:
    """A neutral construction: ``regex`` must match a mention list; ``obj`` (a named group),
    when present, must not report speech or a view."""

    name: str
    regex: re.Pattern[str]
    kind: str  # "subject", "object" or "list" (a list vetoes the whole sentence's cues)
    nouns: str | None = "speech"
    quotes: bool = False
    others: bool = False  # other participants may appear in ``obj`` (a photo of several)
    # words taken out of ``obj`` before it is checked (what an invitation asks people to do:
    # "请与会者发言" reports nobody's view)
    strip: re.Pattern[str] | None = None
    # what ``obj`` must mention for the construction to be neutral (a reminder is procedural
    # only when it is about time, the rule or the programme)
    require: re.Pattern[str] | None = None


def _frame(name: str, pattern: str, kind: str, *, nouns: str | None = "speech",
           quotes: bool = False, others: bool = False, strip: str | None = None,
           require: str | None = None) -> _Frame:
    return _Frame(name, re.compile(pattern, re.IGNORECASE), kind, nouns, quotes, others,
                  re.compile(strip) if strip else None,
                  re.compile(require, re.IGNORECASE) if require else None)


# The object of an English neutral verb: up to the end of the clause.
_STOP_EN = (rf"(?:,\s*(?:(?:and|but|while|whereas)\s+)?(?:{_NEW_SUBJECT_EN})\b|"
            rf",?\s+(?:in|during|at)\s+"
            rf"which\s+(?:one|a|an|some|several|many|most|other|another|the)\b|,\s*(?:many|some|most|"
            rf"several|all|one|few|each|two|three)\s+of\s+(?:whom|them)\b)")
_OBJ_EN = (rf"(?P<obj>(?:(?!{_STOP_EN})[^.!?;])*)"
           rf"(?=[.!?;]|{_STOP_EN}|$)")
_OBJ_ZH = (rf"(?P<obj>(?:(?![，,]\s*(?:{_NEW_SUBJECT_ZH}))[^。！？；;!?])*)"
           rf"(?=[。！？；;]|[，,]\s*(?:{_NEW_SUBJECT_ZH})|$)")
_CHAIR_EN = (r"(?:co-?)?(?:chaired|chairs|chair|chairing|moderated|moderates|moderate|moderating|"
             r"presided\s+over|presides\s+over|preside\s+over|presiding\s+over|hosted|hosts|host|"
             r"hosting|convened|convenes|convene|convening|co-?organi[sz]ed|organi[sz]ed|"
             r"organi[sz]es|organi[sz]e|organi[sz]ing|coordinated|coordinates|facilitated|"
             r"facilitates|opened|opens|opening|ran|runs|led|leads)")
_ATTEND_EN = (r"(?:attended|attends|attend|attending|joined|joins|join|joining|took\s+part|"
              r"sat\s+in(?:\s+on)?|sits\s+in(?:\s+on)?|"
              r"takes\s+part|take\s+part|taking\s+part|participated|participates|participate|"
              r"participating|(?:was|were|is|are)\s+(?:also\s+)?(?:present|in\s+attendance|"
              r"among\s+(?:the\s+)?(?:participants|attendees|guests|experts|invitees)))")
_PEOPLE_EN = (r"(?:participants|guests|attendees|experts|delegates|delegations|speakers|audience|"
              r"everyone|everybody|all|scholars|colleagues|visitors|members|panell?ists|"
              r"invitees|friends|those\s+present)")
_POSITION = (r"(?:left|right|centre|center|middle|front|back|seated|standing|second\s+(?:from\s+)?"
             r"(?:left|right)|third\s+(?:from\s+)?(?:left|right)|\d+(?:st|nd|rd|th)?\s+from\s+"
             r"(?:left|right)|l|r|c|far\s+(?:left|right)|front\s+row|back\s+row|"
             r"左|右|中|居中|左[一二三四五六七八九]|右[一二三四五六七八九]|前排[^）)]{0,8}|后排[^）)]{0,8})")
_CAPTION_VERBS = (
    r"with|and|alongside|beside|next\s+to|at|during|before|after|outside|inside|near|"
    r"greets?|greeting|greeted|welcomes?|welcoming|welcomed|shakes?\s+hands|"
    r"shaking\s+hands|shook\s+hands|poses?|posing|posed|in\s+conversation\s+with|"
    r"talks?\s+with|talking\s+with|chats?\s+with|chatting\s+with|arrives?\s+at|arriving\s+at|"
    r"arrived\s+at|listens?|listening|seated|standing|sits?|sitting|stands?|is\s+pictured|"
    r"are\s+pictured|pictured|photographed"
)
_ADV_ZH = ("(?:共同|联合|负责|具体负责|具体|主要|还|也|首先|分别|均|各自|先后|依次|全程|亲自|"
           "一同|应邀|受邀|随即|旋即|逐一|简要|简单|同时|另外|预计将?|计划|打算|准备|认真|仔细|专心|静静地?|"
           "在一旁|在旁边|"
           "代表[^，。；,;]{1,24}?(?=出席|参加|对|向|致|欢迎|感谢|主持)|以[^，。；,;]{1,12}身份|"
           # when and where: "将于春季", "在论坛开始前", "在研讨结束时", "于会前", "当天上午"
           "(?:将|曾|已|已经|还将|也将|拟|随后|稍后|此前|当天|当日|上午|下午|晚间|最后|会前|会后)"
           "(?:于[^，。；,;]{0,8}?(?=主持|召集|组织|出席|参加|会见|迎接|接待|宣布|邀请|请|感谢|"
           "介绍|致欢迎))?|"
           "(?:在|于)[^，。；,;“”\"]{0,14}?(?:时|前|后|上|中|里|期间|之际|处|现场|门口|入口|开始|"
           "结束|开幕|闭幕|尾声|环节|单元|会场|论坛)"
           ")")
_CHAIR_ZH = "主持|主持了|主办|主办了|组织|组织了|召集|召集了|承办|承办了|策划|策划了|负责"
_ATTEND_ZH = "出席|参加|参与|列席|旁听|参会|与会|到会|莅临|出席了|参加了|参与了|旁听了"
_PEOPLE_ZH = ("专家|学者|嘉宾|来宾|代表|朋友|同事|同仁|参会者|与会者|各位|来宾们|朋友们|人员|"
              "工作人员|译员|志愿者")
# people an organizer or chair deals with in running the meeting
_PEOPLE_ZH_EXT = (
    "(?:第[一二三四五六七八九十\\d]+位|下一位|每位|各位|全体|所有|其他|其余|在座的?|现场)?"
    "(?:与会者|与会专家|与会嘉宾|参会者|专家学者|专家|学者|嘉宾|来宾|与谈人|与谈嘉宾|发言人|发言嘉宾|"
    "代表|代表团|听众|观众|同学|学生|学生记录员|记录员|志愿者|工作人员|记者|媒体|大家|各位|同事|"
    "主持人|朋友)(?:们)?")
_PEOPLE_EN_EXT = (
    rf"(?:(?:the|all|each|every|our|some|two|three|several)\s+)?(?:(?:first|second|third|next|"
    rf"last|other|remaining|student|young|visiting|foreign)\s+)?(?:{_PEOPLE_EN}|discussants?|"
    rf"participant|speaker|panell?ist|guest|expert|delegation|students?|note-?takers?|"
    rf"rapporteurs?|journalists?|reporters?|press|staff|volunteers?|interpreters?|"
    rf"translators?|visitors?|floor|room|organi[sz]ers?|hosts?)")
_PROCEDURE_EN = (r"speak|comment|respond|reply|ask|pose|put|send|submit|share|introduce|take|"
                 r"join|keep|observe|respect|follow|sit|turn|raise|write|fill|use|vote|register|"
                 r"return|gather|stay|limit|be\s+brief|begin|start|present|open|make|give|offer|read|"
                 r"contribute|continue|proceed|move|come|identify|hold|switch|mute|leave|check")

# what a procedural reminder or announcement is about
_PROCEDURAL_EN = (r"\b(?:minutes?|time\s+limits?|speaking\s+time|"
                  r"(?:time|interventions?)\s+(?:is|was|are|were)\s+"
                  r"(?:limited|short|up)|on\s+time|limited\s+to|chatham\s+house|break|lunch|dinner|"
                  r"coffee|registration|list\s+of\s+speakers|agenda|programme|program|schedule|"
                  r"room|microphones?|phones?|session|recess|photo|interpretation|badges?)\b")
_PROCEDURAL_ZH = ("发言时间|时间有限|时间限制|控制时间|按时|准时|分钟|查塔姆|会议规则|发言规则|"
                  "议事规则|茶歇|午餐|晚餐|午饭|登记|议程|日程|会场|话筒|麦克风|手机|"
                  "同传|同声传译|合影|胸牌|休会|休息")
# what a participant says that only runs the meeting: time, the next speaker, where and when
_PROCEDURAL_SPOKEN = (r"(?:\b(?:min(?:ute)?s?|start|begin|break|lunch|coffee|next\s+speaker|"
                      r"next\s+question|please|wait\s+a\s+(?:moment|minute|second)|one\s+moment|silent|"
                      r"silence|phones?|"
                      r"slides?|microphones?|mics?|seconds?|another\s+meeting|offline|"
                      r"after\s+the\s+(?:next|break))\b|时间关系|时间有限|分钟|开始|稍等|抓紧|休息|"
                      r"茶歇|午餐|会议室|下一位|翻回|上一页|幻灯片|话筒|麦克风|手机|静音|改到|推迟|"
                      r"提前|会后再|会后|留待|单独交流|稍后|好的|休会|用餐|查塔姆|会议规则|不具名)")
_SPEECH_EN = (r"(?:(?:a|an|the|his|her|their|brief|short|closing|opening|concluding|keynote|"
              r"welcome|welcoming|introductory|final|formal|main|second|first)\s+)*"
              r"(?:remarks|speech|address|presentation|talk|keynote|lecture|statement|paper|"
              r"briefing|intervention)")
# words that make the subject of a speech a view rather than a topic ("spoke about the need for
# ...", "spoke in favour of a ban", "关于加强协调之必要性的报告")
_VIEWISH = (r"^(?!.*(?:\b(?:that|whether|how|why|need|needs|should|must|ought|importance|"
            r"necessity|urgency|case\s+for|case\s+against|dangers?|value|benefits?|merits?|"
            r"failures?|favou?r|against|support|opposition|defen[cs]e|calls?|urg\w*|warn\w*|"
            r"argu\w*|risks?|limits?|promise|folly|wisdom|virtues?|perils?|threats?)\b|必要|应当|"
            r"应该|必须|危害|重要性|紧迫|不可|不能|威胁|风险))")
# the same for what a reminder or an announcement says ("reminded speakers that the UN must
# lead" is a view, "that each intervention was limited to seven minutes" is not)
_VIEWISH_PROCEDURE = (r"^(?!.*(?:\b(?:need|needs|should|must|ought|has\s+to|have\s+to|"
                      r"importance|necessity|urgency|"
                      r"dangers?|risks?|threats?|favou?r|against|support|opposition|urg\w*|"
                      r"warn\w*|argu\w*)\b|必要|应当|应该|必须|危害|重要性|紧迫|不可|不能|威胁|风险))")
_SPEECH_ZH = "(?:闭幕|开幕|欢迎|主旨|大会|专题)?(?:致辞|辞|词|讲话|演讲|发言|报告|演说)"

# explaining the rules of the meeting is running it, not a view
_PROCEDURAL_ACTS = re.compile(
    r"(?:\band\s+|并|，|,\s*)?(?:(?:explained|explains|introduced|introduces|outlined|outlines|"
    r"set\s+out|sets\s+out|recalled|recalls)\s+the\s+(?:chatham\s+house\s+rule|rules?|agenda|"
    r"programme|program|format|schedule)\b|介绍(?:了)?(?:本单元的|本场的|会议的)?(?:查塔姆宫规则|会议规则|议程|日程|流程|"
    r"会议安排|议题和发言顺序|发言顺序|议题))", re.IGNORECASE)

# The rest of a Chinese clause, up to a new subject; a concessive aside about someone else
# after a namesake frame ("…, whatever the search engine thinks", "不管搜索引擎怎么认为").
_REST_ZH = rf"(?:(?![，,]\s*(?:{_NEW_SUBJECT_ZH}))[^。！？；;!?])*"
_NAMESAKE_ASIDE = (r"(?i),\s*(?:whatever|whoever|no\s+matter\s+\w+|regardless\s+of)\b[^,.;!?]*|"
                   r"[，,]\s*(?:不管|无论|不论)[^，。；;!?！？]*")


_FRAMES: tuple[_Frame, ...] = (
    # speech without its content: who gave a speech, remarks or a presentation, on a topic
    _frame("X gave a speech", rf"{_PL}\s+(?:(?:also|then|later|first|briefly)\s+)?"
           rf"(?:(?:will|would|is\s+to|was\s+to|is\s+due\s+to|is\s+set\s+to)\s+)?(?:gave|gives|give|"
           rf"giving|delivered|delivers|deliver|delivering|made|makes|presented|presents|"
           rf"presenting|offered)\s+{_SPEECH_EN}\b{_OBJ_EN}", "subject", nouns=None, quotes=True,
           require=_VIEWISH),
    _frame("X spoke", rf"{_PL}\s+(?:(?:also|then|later|first|briefly)\s+)?(?:spoke|speaks|speak|"
           rf"speaking|lectured|talked|presented|took\s+the\s+floor|takes\s+the\s+floor|"
           rf"addressed\s+the\s+(?:forum|session|meeting|participants|"
           rf"audience|panel|conference))\b(?=\s*(?:[.!;]|$|on|about|at|during|in|to|before|after|"
           rf"first|last|next|briefly|for))(?P<obj>[^.!?;]*)", "subject", nouns=None, quotes=True,
           require=r"^\s*(?:(?:on|about|at|during|in|to|before|after|first|last|next|briefly|for)\b"
                   rf"{_VIEWISH[1:]}|$)"),
    _frame("heard from X", rf"heard\s+(?:first\s+|next\s+|then\s+)?from\s+{_PL}{_OBJ_EN}", "object",
           nouns=None, quotes=True),
    _frame("remarks by X", rf"{_SPEECH_EN}\s+(?:was|were|is|are|will\s+be)\s+(?:given|delivered|"
           rf"made|presented)\s+by\s+{_PL}", "object"),
    _frame("X's remarks began", rf"{_PL}'s?\s+{_SPEECH_EN}\s+(?P<obj>(?:began|begins|started|"
           rf"starts|ended|ends|lasted|lasts|took\s+place|concerned|concerns|addressed|"
           rf"(?:was|were|is|are)\s+(?:devoted\s+to|scheduled|"
           rf"held|given|delivered|planned|due)|focused\s+on|focussed\s+on|focuses\s+on|"
           rf"centred\s+on|centered\s+on|covered|dealt\s+with|touched\s+on|(?:was|were)\s+"
           rf"(?:about|on))\b[^.!?;]*)", "subject", nouns="opinion", quotes=True,
           require=_VIEWISH),
    _frame("X致闭幕辞", rf"{_PL}{_ADV_ZH}*(?:在[^，。；,;]{{0,14}}?)?(?:上台|登台|走上讲台)?"
           rf"(?:致|作|做|发表|进行)?(?:了)?"
           rf"(?:一场|一个|一次|一篇)?(?P<obj>题为[《“\"][^》”\"]{{0,30}}[》”\"]的|关于[^，。；,;]{{0,20}}的)?{_SPEECH_ZH}"
           # … and nothing after it but what happened next ("…致辞，随后全体合影")
           rf"(?=[。！；;!]|$|[，,](?:随后|然后|之后|接着|最后)?[^，。；,;]{{0,6}}?(?:合影|茶歇|休息|"
           rf"散会|午餐|闭幕|结束)[。！；;!]?$)",
           "subject", quotes=False, require=_VIEWISH),
    _frame("X在论坛上发言", rf"{_PL}{_ADV_ZH}*(?:在[^，。；,;]{{0,14}}?)?"
           rf"(?P<obj>就[^，。；,;]{{1,20}}?)?(?:作|做)?(?:了)?(?:主旨|总结|闭幕|开幕)?(?:发言|讲话|演讲|"
           rf"致辞)"
           rf"(?=[。！；;!]|$)", "subject", require=_VIEWISH),
    _frame("致辞由X发表", rf"{_SPEECH_ZH}由{_PL}(?:发表|作|做|致|进行)", "object"),
    _frame("由X作总结发言", rf"由{_PL}(?:作|做|致|发表|进行)(?:了)?"
           rf"(?:总结|闭幕|开幕|主旨|大会|专题)?"
           rf"(?:发言|致辞|讲话|演讲|报告)(?=[。！；;!]|$)", "object"),
    _frame("X的发言聚焦", rf"{_PL}的{_SPEECH_ZH}(?P<obj>(?:主要|重点|集中|大多|多|均|则)?(?:安排在|"
           rf"定于|将于|于|在|聚焦|围绕|涉及|关注|谈及|谈到|论及|提及|触及|"
           rf"主题是|主题为|题为|时长|持续|开始|结束|展开)[^。！？；;!?]*)", "subject", quotes=True,
           require=rf"^(?!.*[:：]){_VIEWISH[1:]}", strip="谈及|谈到|论及|提及"),
    # a speech or a question cut short or not given ("孙成昊的提问因超时被打断")
    _frame("X的提问被打断", rf"{_PL}的(?:{_SPEECH_ZH}|提问|问题)"
           rf"(?P<obj>[^。！？；;!?]{{0,16}}?)(?:被|遭)?"
           rf"(?:打断|中断|叫停|取消|推迟|搁置)(?=[。！；;!，,]|$)", "subject"),
    # the person asked, not answering ("有人…向孙成昊提问", "X was asked about …, but …
    # before he could answer"); an answer of their own is held by its own clause
    _frame("X被问及", rf"{_PL}被(?:人)?(?:问及|问到|追问|提问|询问|问)"
           rf"(?P<obj>[^，。；,;]{{0,40}}?)(?:时|之时)?"
           rf"(?=[，,。；;！!]|$)", "subject", nouns=None),
    _frame("X put a question to the panel", rf"{_PL}\s+(?:(?:then|later|also|first)\s+)?"
           rf"(?:put|puts|"
           rf"posed|poses|asked|asks|raised|raises)\s+(?:a|one|two|several|another|the\s+(?:first|"
           rf"last|final))\s+(?:brief\s+|short\s+|further\s+)?questions?\s+(?:to|of|for)\s+"
           rf"(?:the\s+)?(?:panel|speakers?|panell?ists?|floor|audience|presenters?|discussants?)"
           rf"(?=\s*[.!;]|$)", "subject"),
    _frame("X向嘉宾提问", rf"{_PL}{_ADV_ZH}*向[^，。；,;{_P[1:-1]}]{{0,12}}?"
           rf"(?:提了|提出了?|问了|提)"
           rf"(?:一个|几个|两个|一些)?(?:问题|提问)(?=[。！；;!]|$)", "subject"),
    _frame("向X提问", rf"(?:向|请教|追问){_PL}(?:提问|发问|提出(?:了)?(?:一个)?问题|请教)",
           "object"),
    _frame("X was asked", rf"{_PL}\s+(?:was|were|is|are|had\s+been|has\s+been)\s+(?:also\s+)?"
           rf"(?:asked|questioned|pressed)\b(?P<obj>[^,.!?;]*)", "subject", nouns="opinion",
           quotes=True),
    _frame("before X could answer", rf"(?:before|without)\s+{_PL}\s+(?:could|was\s+able\s+to|"
           rf"had\s+(?:a|the)\s+chance\s+to|got\s+to)\s+(?:answer|respond|reply|comment)\b",
           "object"),
    # "…, whose remarks addressed <a topic>": a speech with its topic only
    _frame("whose remarks addressed", rf"{_PL}\s*,\s*whose\s+{_SPEECH_EN}\s+(?P<obj>(?:addressed|"
           rf"covered|concerned|dealt\s+with|focused\s+on|focussed\s+on|touched\s+on|"
           rf"centred\s+on|centered\s+on|(?:was|were)\s+(?:about|on))\b[^.!?;]*)", "list",
           nouns="opinion", quotes=True, require=_VIEWISH, strip=r"(?i)^\s*addressed\b"),
    # procedural acts: reminders, announcements, calling to order, moving on
    _frame("X reminded the speakers", rf"{_PL}\s+(?:(?:also|then|later|first|briefly)\s+)?"
           rf"(?:reminded|reminds|remind|reminding)\s+{_PEOPLE_EN_EXT}\b(?P<obj>[^.!?;]*)",
           "subject", nouns=None, quotes=True, require=rf"{_VIEWISH_PROCEDURE}.*{_PROCEDURAL_EN}"),
    _frame("X announced the break", rf"{_PL}\s+(?:(?:also|then|later|first|briefly)\s+)?"
           rf"(?:announced|announces|announce|announcing)\b(?P<obj>[^.!?;]*)", "subject",
           nouns=None, quotes=True, require=rf"{_VIEWISH_PROCEDURE}.*{_PROCEDURAL_EN}"),
    _frame("X called the session to order", rf"{_PL}\s+(?:(?:then|later|first)\s+)?(?:called|"
           rf"calls|brought|brings)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}(?:forum|meeting|session|"
           rf"conference|room|panel|discussion)\s+(?:back\s+)?to\s+order\b{_OBJ_EN}", "subject",
           nouns="opinion", quotes=True),
    _frame("X moved the discussion on", rf"{_PL}\s+(?:(?:then|later|first|briefly)\s+)?(?:moved|"
           rf"moves|steered|steers|brought|brings|turned|turns|led|leads)\s+(?:the\s+)?"
           rf"(?:discussion|debate|conversation|session|panel)\s+(?:on|back|forward)?\s*"
           rf"(?:to\s+(?:the\s+)?(?:next|following|last|final|another|new)\s+(?:question|item|"
           rf"topic|point|speaker))?(?P<obj>[^.!?;]*)", "subject", nouns=None, quotes=True,
           require=r"^(?!.*\b(?:that|whether|how|why)\b)"),
    _frame("X提醒时间", rf"{_PL}{_ADV_ZH}*(?:提醒|告知|通知|宣布|重申)(?P<obj>[^。！？；;!?]*)",
           "subject", quotes=True, require=rf"{_VIEWISH_PROCEDURE}.*(?:{_PROCEDURAL_ZH})",
           strip="发言"),
    _frame("X宣布开始", rf"{_PL}{_ADV_ZH}*(?:宣布|宣告)(?:[^，。；,;]{{0,14}}?)"
           rf"(?:开幕|闭幕|开始|结束|休会|休息|茶歇|继续|截止|暂停|复会|开放讨论|进入)"
           rf"{_OBJ_ZH}", "subject", quotes=True, strip="发言"),
    _frame("X把讨论引向", rf"{_PL}{_ADV_ZH}*(?:把|将)(?:讨论|话题|话筒|麦克风|发言权|问题|提问)"
           rf"(?:引向|转向|交给|递给|"
           rf"转到|转给|带到|拉回)(?:了)?{_OBJ_ZH}", "subject", quotes=True),
    # thanks and welcome in other words
    _frame("X对专家表示感谢", rf"{_PL}{_ADV_ZH}*(?:对|向)(?P<who>[^，。；,;]{{0,30}}?)"
           rf"(?:表示|致以|表达|致)?(?:了)?(?:衷心|诚挚|热烈|热情|真诚|由衷)?(?:的)?"
           rf"(?:感谢|欢迎|谢意|致谢|谢|敬意)(?:之意)?{_OBJ_ZH}", "subject", quotes=True),
    _frame("X也在与会专家之列", rf"{_PL}{_ADV_ZH}*(?:在|位于|属于)(?:与会|参会|出席|受邀)"
           rf"[^，。；,;]{{0,8}}(?:之列|之中|当中)", "list"),

    # chairing, hosting, organising
    _frame("chaired by", rf"(?:(?:co-?)?(?:chaired|moderated|hosted|convened|organi[sz]ed|"
           rf"co-?organi[sz]ed|coordinated|facilitated|led|run|attended|welcomed|opened|"
           rf"presided\s+over|overseen|joined|introduced\s+and\s+moderated)\s+(?:jointly\s+)?"
           rf"by|(?:welcome|welcoming)\s+(?:address|remarks|speech|words)\s+(?:(?:was|were)\s+"
           rf"(?:given|delivered|made)\s+)?by)\s+{_PL}", "object"),
    _frame("under the chair of", rf"under\s+the\s+(?:chair(?:man|woman|person)?ship|chair|"
           rf"moderation|guidance|auspices|leadership)\s+of\s+{_PL}", "object"),
    _frame("chair:", rf"(?<![A-Za-z])(?:chairs?|co-?chairs?|chairperson|chairman|chairwoman|"
           rf"moderators?|hosts?|convenou?rs?|conveners?|organi[sz]ers?|participants?|speakers?|"
           rf"panell?ists?|discussants?|"
           rf"attendees?|guests?|photo|pictured|picture|image|from\s+left(?:\s+to\s+right)?|"
           rf"from\s+right(?:\s+to\s+left)?|left\s+to\s+right|l-r|l\s+to\s+r|clockwise\s+from\s+"
           rf"(?:top\s+)?left|in\s+the\s+photo|above|below|front\s+row|back\s+row)"
           rf"(?:\s*\([^)]*\))?\s*[:：\-]\s*{_PL}(?:\s*[;；]\s*{_PL})*", "object"),
    _frame("in the chair", rf"(?:with\s+)?{_PL}\s+(?:in|as)\s+(?:the\s+)?(?:chair|chairs|"
           rf"moderator|moderators|host|hosts|co-?chairs?)\b", "object"),
    _frame("as chair", rf"(?:with\s+)?{_PL}\s+as\s+(?:its\s+|the\s+)?(?:chair|moderator|host|"
           rf"convenor|organi[sz]er)s?\b", "object"),
    _frame("X chaired", rf"{_PL}\s+(?:(?:also|jointly|then|later|first)\s+)?{_CHAIR_EN}\b"
           rf"{_OBJ_EN}", "subject"),
    _frame("X will chair", rf"{_PL}\s+(?:(?:also|jointly|then|later|first)\s+)?(?:will|would|"
           rf"shall|is\s+to|was\s+to|are\s+to|is\s+set\s+to|is\s+due\s+to|is\s+going\s+to|"
           rf"agreed\s+to|has\s+agreed\s+to|plans\s+to|planned\s+to|(?:is|was|are|were)\s+"
           rf"(?:expected|scheduled|due|slated|invited|likely)\s+to)\s+(?:also\s+)?"
           rf"(?:{_CHAIR_EN}|{_ATTEND_EN})\b{_OBJ_EN}", "subject"),
    # logistics taken on: collecting or circulating papers, booking rooms ("X has kindly agreed
    # to collect the slides"); what is circulated must not be a view ("her proposal")
    _frame("X will collect the slides", rf"{_PL}\s+(?:(?:has|have|had)\s+)?(?:(?:kindly|also|then)"
           rf"\s+)?(?:(?:agreed|offered|volunteered|will|would|is\s+to|plans\s+to)\s+(?:to\s+)?)?"
           rf"(?:collect|collected|collects|collecting|gather|gathered|gathers|circulate|circulated|"
           rf"circulates|distribute|distributed|distributes|compile|compiled|compiles|book|booked|"
           rf"books|arrange|arranged|arranges|print|printed|prints)\b{_OBJ_EN}", "subject",
           nouns="opinion", quotes=True),
    _frame("X handed the floor", rf"{_PL}\s+(?:(?:then|later|also|first|next|briefly)\s+)?"
           rf"(?:handed|hands|hand|handing|gave|gives|give|giving|passed|passes|pass|passing|"
           rf"turned|turns|turning|yielded|yields|opened|opens|opening)\s+(?:the\s+)?(?:floor|"
           rf"microphone|mic|question|questions)\b(?P<obj>[^.!?;]*)", "subject", nouns="opinion",
           quotes=True,
           strip=r"(?i),?\s*(?:who|whom)\b[^\ue100-\ue3ff]*$"),
    _frame("X invited the participants to speak", rf"{_PL}\s+(?:(?:then|later|also|first|"
           rf"next|briefly|repeatedly)\s+)?(?:invited|invites|invite|inviting|asked|asks|ask|"
           rf"asking|called\s+(?:on|upon)|calls\s+(?:on|upon)|requested|requests|encouraged|"
           rf"encourages)\s+{_PEOPLE_EN_EXT}(?:\s+to\s+(?:{_PROCEDURE_EN})\b|(?=\s*(?:[.!?;]|$|"
           rf"for\s+(?:their\s+|written\s+|brief\s+)?(?:comments|questions|remarks|reactions|"
           rf"contributions|input))))(?P<obj>[^.!?;]*)", "subject", nouns=None, quotes=True,
           strip=r"(?i)\b(?:comments|questions|remarks|reactions|contributions|input|views)\b"),
    _frame("X invited comments", rf"{_PL}\s+(?:(?:then|later|also|first|next)\s+)?(?:invited|"
           rf"invites|took|takes|welcomed|asked\s+for|asks\s+for|sought|seeks|solicited|solicits|"
           rf"called\s+for|opened\s+the\s+floor\s+(?:to|for))\s+(?:written\s+|"
           rf"further\s+|brief\s+|more\s+|any\s+)?(?:comments|questions|reactions|contributions|"
           rf"responses|feedback|input)\b"
           rf"{_OBJ_EN}", "subject", nouns=None, quotes=True),
    _frame("X declared the forum open", rf"{_PL}\s+(?:(?:formally|officially|then|later)\s+)?"
           rf"(?:declared|declares|declare|declaring|pronounced)\s+(?:the\s+)?(?:forum|meeting|"
           rf"session|conference|dialogue|workshop|event|discussion|proceedings|panel)\s+"
           rf"(?:open|opened|closed|adjourned|over|concluded)\b{_OBJ_EN}", "subject",
           nouns="opinion", quotes=True),
    _frame("X closed the session", rf"{_PL}\s+(?:(?:formally|officially|then|later)\s+)?"
           rf"(?:adjourned|adjourns|closed|closes|concluded|concludes|ended|ends|wrapped\s+up|"
           rf"wraps\s+up|suspended|resumed|resumes|paused|reconvened)\s+(?:the\s+|his\s+|her\s+)?"
           rf"(?:forum|meeting|session|conference|dialogue|workshop|event|discussion|proceedings|"
           rf"panel|day|list\s+of\s+speakers|registration|floor)\b{_OBJ_EN}", "subject",
           nouns="opinion", quotes=True),
    _frame("with X in the front row", rf"(?:with\s+)?{_PL}\s+(?:(?:is|was|are|were|seated|"
           rf"standing|sits|sat|stands|stood|pictured|shown)\s+)?(?:in|on|at)\s+(?:the\s+)?"
           rf"(?:(?:front|back|second|third|first|middle|rear)\s+row|far\s+(?:left|right)|"
           rf"(?:left|right|centre|center)(?:\s+of\s+the\s+(?:photo|picture|image))?)\b"
           rf"{_OBJ_EN}", "subject", nouns="opinion", quotes=True),
    _frame("X introduced the speakers", rf"{_PL}\s+(?:also\s+)?(?:introduced|introduces|"
           rf"introducing|presented|presents|presenting)\s+(?:the\s+|each\s+of\s+the\s+|each\s+)?"
           rf"(?:(?:first|second|third|fourth|final|last|next|other|two|three)\s+)?"
           rf"(?:(?:session|panel)'s\s+)?"
           rf"(?:speakers?|panell?ists?|panel|session|participants|agenda|programme|program|guests?|"
           rf"discussants?|experts?|theme|themes|topics?|format|rules|chatham\s+house\s+rule)\b"
           rf"{_OBJ_EN}",
           "subject", nouns="opinion", quotes=True),
    _frame("X was the chair", rf"{_PL}\s+(?:was|were|is|are|served\s+as|serves\s+as|acted\s+as|"
           rf"acts\s+as)\s+(?:the\s+|a\s+|its\s+)?(?:co-?)?(?:chair|chairs|chairperson|"
           rf"moderator|moderators|host|hosts|convenou?r|convener|organi[sz]er|organi[sz]ers)"
           rf"\b{_OBJ_EN}", "subject"),
    # attendance
    _frame("X attended", rf"{_PL}\s+(?:(?:also|both|all)\s+)?{_ATTEND_EN}\b{_OBJ_EN}", "subject"),
    # welcome and thanks to the participants
    _frame("X welcomed the participants", rf"{_PL}\s+(?:(?:warmly|first|also)\s+)?"
           rf"(?:welcomed|welcomes|welcome|welcoming|greeted|greets|greeting|thanked|thanks|"
           rf"thanking)\s+(?P<obj>(?:the\s+|all\s+(?:the\s+)?|our\s+|each\s+of\s+the\s+)?"
           rf"{_PEOPLE_EN}\b(?:(?!{_STOP_EN})[^.!?;])*)", "subject", nouns="opinion", quotes=True),
    _frame("X met the students", rf"{_PL}\s+(?:(?:also|then|later|briefly|first|personally)\s+)?"
           rf"(?:met|meets|meet|meeting|met\s+with|meets\s+with|received|receives|greeted|"
           rf"greets|welcomed|welcomes|escorted|escorts|accompanied|accompanies|thanked|thanks|"
           rf"briefed|shook\s+hands\s+with)\s+(?P<obj>{_PEOPLE_EN_EXT}\b[^.!?;]*)", "subject",
           nouns="opinion", quotes=True),
    _frame("X gave the welcome", rf"{_PL}\s+(?:gave|delivered|made|offered|extended|gives|delivers|"
           rf"makes|offers|extends)\s+(?:a\s+|the\s+|brief\s+|short\s+|warm\s+)*"
           rf"(?:welcome|welcoming|opening\s+welcome)\s+(?:address|remarks|speech|words|note|"
           rf"to\s+{_PEOPLE_EN})(?P<obj>[^.!?;]*)", "subject", quotes=True),
    # lists of participants
    _frame("participants included", rf"(?:participants|attendees|guests|experts|scholars|"
           rf"those\s+present|those\s+attending|the\s+delegation|members|invitees|"
           rf"participating\s+experts)\s+(?:included|include|including|were|are|comprised|"
           rf"such\s+as|among\s+them)\s*:?\s*{_PL}", "list"),
    _frame("including X", rf"(?:including|among\s+them|among\s+whom|such\s+as|alongside|"
           rf"together\s+with|as\s+well\s+as)\s+{_PL}", "list"),
    # who someone is
    _frame("X is the director", rf"{_PL}\s+(?:also\s+)?(?:is|was|has\s+been|serves\s+as|"
           rf"served\s+as|"
           rf"works\s+as|worked\s+as|is\s+currently|currently\s+serves\s+as|became|is\s+now)\s+"
           rf"(?P<obj>(?:a|an|the|one\s+of\s+the|deputy|associate|assistant|senior|director|"
           rf"research|professor|ambassador|head|dean|president|chair|vice|based|affiliated|"
           rf"currently|also)\b[^.!?;]*|{_P}[^.!?;]*)", "subject", nouns="opinion", quotes=True,
           others=True),
    _frame("X works at", rf"{_PL}\s+(?:works|worked|studies|studied|teaches|taught|is\s+based|"
           rf"was\s+based|heads|headed|directs|directed)\s+(?P<obj>(?:at|for|in|with)\b"
           rf"[^.!?;]*)", "subject", nouns="opinion", quotes=True),
    # thanks to someone, someone's part in organising
    _frame("thanks to X", rf"(?:thanks?|thanked|thanking|gratitude|grateful|acknowledge[sd]?|"
           rf"acknowledging|appreciation)\s+(?:go(?:es)?\s+|is\s+due\s+|are\s+due\s+)?"
           rf"(?:to\s+)?{_PL}(?P<obj>\s+for\s+[^,.!?;]*)?", "object", nouns="opinion", quotes=True),
    _frame("X's session", rf"{_PL}'s?\s+(?:session|sessions|panel|chairing|chairmanship|"
           rf"moderation|team|colleagues?|institute|institution|centre|center|university|office|"
           rf"welcome|hospitality|organi[sz]ation|organi[sz]ing|leadership|invitation|support|"
           rf"help|assistance|photo|portrait|research|work|career|background|expertise|"
           rf"biography|bio|affiliation|affiliations|job|title)\b{_OBJ_EN}", "subject",
           nouns="opinion", quotes=True),
    # photo captions: who is pictured, and where
    _frame("caption", rf"^(?:(?:photo|pictured|picture|above|below|image|top|bottom|"
           rf"left|right)\s*[:,.\-]?\s*)?{_PL}(?:\s+(?:{_CAPTION_VERBS})\b(?P<obj>[^;]*?))?"
           rf"\s*[.!]?$", "subject", nouns="opinion", quotes=True, others=True,
           strip=r"(?i)\b(?:an?\s+|the\s+)?(?:questions?|comments?|remarks|presentation|talk)\s+"
                 r"(?:from|by|of)\s+(?:the\s+|an?\s+)?(?:floor|audience|participants?|"
                 r"speakers?|panel|room|student|guest|colleague)s?\b"),
    _frame("X聆听提问", rf"(?:^|(?<=[，,]))\s*{_PL}{_ADV_ZH}*(?:聆听|倾听|听取|记录|翻阅|查看|步入|"
           rf"走进|抵达|入场|就座)"
           rf"(?:了)?(?P<obj>[^。！？；;!?]*)", "subject", quotes=True, others=True,
           strip="(?:现场|听众|与会者|其他专家|嘉宾)?的?(?:提问|发言|问题|意见)|"
                 "(?:一|另一|几|多)(?:位|名)[^，。；,;]{0,24}?的(?:介绍|发言|报告|分析|提问|观点|看法)"),
    # "Dong Ting, Associate Research Fellow, CISS" (or, once the title is taken as a
    # description, "Dong Ting CISS")
    _frame("X, title", rf"^{_PL}(?P<obj>\s*,\s*(?=(?-i:[A-Z])|(?:an?|the|one\s+of|former|deputy|"
           rf"associate|assistant|senior|research|professor|director|head)\b)(?!(?:on|about|"
           rf"against|for|to|in\s+favou?r|who|whose)\b)[^;:：；.!?。！？\"“”]{{2,120}}?|"
           rf"(?-i:\s+[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){{0,5}}))\s*\.?$", "subject",
           nouns="opinion", quotes=True, others=True),
    _frame("X，职务", rf"^{_PL}(?P<obj>[，,]\s*[^;:：；.!?。！？\"“”]{{0,40}}"
           rf"(?:主任|教授|研究员|院长|所长|"
           rf"学者|专家|大使|将军|博士|官员|成员|主席|秘书长|记者|学生|编辑|顾问|中心|大学|研究院|"
           rf"研究所|学院))\s*[。.]?$", "subject", nouns="opinion", quotes=True, others=True),
    _frame("pictured with X", rf"(?:pictured|photographed|shown|seen)\s+(?:here\s+)?"
           rf"(?:with|alongside|beside|next\s+to)\s+{_PL}", "object"),
    # Chinese
    _frame("由X主持", rf"由{_PL}(?:共同|联合|担任)?(?:{_CHAIR_ZH}|致欢迎辞|致欢迎词|开场|主持开场)",
           "object"),
    _frame("X主持的环节", rf"{_PL}(?:所(?:{_CHAIR_ZH})的?|(?:{_CHAIR_ZH})的)"
           rf"(?:第[^，。；,;]{{1,3}})?(?:研讨|讨论|单元|环节|分论坛|专题|场次|会议|议题|部分|"
           rf"对话|座谈|研讨环节|讨论环节|研讨会|论坛)", "subject"),
    _frame("X主持", rf"{_PL}{_ADV_ZH}*(?:{_CHAIR_ZH})(?!人(?!工智能)){_OBJ_ZH}", "subject",
           strip="(?:自由)?(?:提问|问答|讨论|交流|互动)(?:环节|时间|阶段|部分)"),
    _frame("X会见学生", rf"{_PL}{_ADV_ZH}*(?:会见|接见|会晤|迎接|接待|看望|问候|招呼|陪同|"
           rf"引导|带领|送别|握手)(?:了)?{_OBJ_ZH}", "subject", quotes=True),
    _frame("X宣布开幕", rf"{_PL}{_ADV_ZH}*(?:宣布|宣告)(?:本次|本届|此次)?"
           rf"(?:论坛|会议|研讨会|本单元|本场研讨|研讨|活动|会议|单元|讨论)?(?:正式)?(?:开幕|闭幕|开始|结束|休会|休息|茶歇|继续|进入)"
           rf"{_OBJ_ZH}", "subject", quotes=True),
    _frame("X请与会者发言", rf"{_PL}{_ADV_ZH}*(?:邀请|请|示意|鼓励)(?:了)?(?:[^，。；,;{_P[1:-1]}]"
           rf"{{0,16}}?的)?(?:[一两几多另某](?:一)?(?:位|名))?{_PEOPLE_ZH_EXT}"
           rf"{_OBJ_ZH}", "subject", quotes=True,
           strip="(?:会后|书面|口头)?(?:提交|提出|发表|分享|补充|交流)?(?:书面)?(?:意见|看法|问题|评论|"
                 "建议)|发言|提问|补充|回应|交流|讨论|作答|自我介绍|介绍|分享"),
    _frame("X介绍嘉宾", rf"{_PL}{_ADV_ZH}*(?:按[^，。；,;]{{0,10}}?顺序)?(?:介绍|引荐)(?:了)?"
           rf"(?=[^，。；,;]{{0,20}}?(?:与谈嘉宾|"
           rf"与谈人|嘉宾|发言人|发言嘉宾|专家|学者|来宾|议程|规则|会议规则|查塔姆宫规则|日程|流程|"
           rf"安排|背景|讨论人|与会机构|机构|单位|议题)(?:们)?(?:的(?:简历|履历|背景|情况))?"
           rf"(?:后|之后|以后|并(?:负责|控制|把控|掌握|提醒)(?:发言)?(?:时间|计时))?"
           rf"(?:[。！；;!,，]|$))"
           rf"{_OBJ_ZH}", "subject", quotes=True,
           strip="并(?:负责|控制|把控|掌握|提醒)(?:发言)?(?:时间|计时)"),
    _frame("前排为X", rf"(?:前排|后排|中间|正中|居中|左侧|右侧|左边|右边)"
           rf"(?:[左右中][一二三四五六七八九]?)?(?:为|是|站着|坐着)\s*{_PL}", "object"),
    _frame("X位于前排", rf"{_PL}(?:位于|在|坐在|站在)(?:前排|后排|中间|正中|左侧|右侧)(?:[左右中]"
           rf"[一二三四五六七八九]?)?[。.]?$", "subject"),
    _frame("X担任主持人", rf"{_PL}{_ADV_ZH}*(?:担任|任|作为|为)(?P<obj>[^，。；,;]{{0,20}}?)"
           rf"(?:主持人|主席|召集人|"
           rf"主持)", "subject"),
    _frame("主持人：X", rf"(?:主持人|主持|召集人|会议主持|主席|摄影|摄|"
           rf"左起|右起|从左至右|"
           rf"从左到右|自左至右|前排左起|后排左起|与会者|参会者)[：:为是，,]\s*(?:依次为|分别为|为|是)?"
           rf"\s*{_PL}", "object"),
    _frame("图为X", rf"(?:图为|图中为|图中|照片为|照片中为|画面中为|左起|右起|"
           rf"从左至右|从左到右|自左至右|"
           rf"前排左起|后排左起)[：:，,]?(?:依次为|分别为|为|是)?\s*{_PL}", "object"),
    _frame("X出席", rf"{_PL}(?:等人|等|等(?:近|约)?[\d一二三四五六七八九十两几数多]*(?:位|名)?"
           rf"(?:专家|学者|嘉宾|代表))?"
           rf"(?:(?:与|和|同|及|以及)(?:其他|其余)?(?:近|约|共)?[\d一二三四五六七八九十两几数多余]*"
           rf"(?:位|名)?(?:其他|来自[^，。；,;]{{0,20}}的)?(?:专家学者|专家|学者|嘉宾|代表|同事|"
           rf"与会者|人))?"
           rf"{_ADV_ZH}*(?:{_ATTEND_ZH}){_OBJ_ZH}", "subject"),
    _frame("X致欢迎辞", rf"{_PL}(?:{_ADV_ZH}|代表[^，。；,;]{{0,30}})*"
           rf"(?:致欢迎辞|致欢迎词|致辞欢迎|"
           rf"欢迎|感谢|致谢)(?P<obj>(?:各位|全体|所有|与会|远道而来的|参会|来自[^，。；,;]{{0,20}}的)?"
           rf"(?:的)?(?:{_PEOPLE_ZH})[^。！？；;!?]*)", "subject", quotes=True,
           strip="(?:对|的)[^，。；,;]{0,16}?(?:支持|参与|帮助|付出|工作)"),
    _frame("X致欢迎辞。", rf"{_PL}(?:{_ADV_ZH}|代表[^，。；,;]{{0,30}})*(?:致欢迎辞|致欢迎词)"
           rf"(?=[。！；;!]|$)", "subject"),
    _frame("与会专家包括X", rf"(?:与会|参会|出席|参加)(?:本次|此次)?"
           rf"(?:论坛|会议|研讨会|活动)?(?:的)?"
           rf"(?:专家|学者|嘉宾|人员|代表)?(?:还)?(?:包括|有|为|是)[：:]?\s*(?:[^，。；,;]{{0,30}}?的)?{_PL}",
           "list"),
    _frame("X等专家", rf"{_PL}等(?:近|约|共)?[\d一二三四五六七八九十两几数多余]*(?:位|名|人)?"
           rf"(?:专家|学者|嘉宾|代表|人)", "list"),
    _frame("包括X", rf"(?:包括|其中有|其中包括|如|以及)\s*{_PL}", "list"),
    _frame("X现任", rf"{_PL}(?:均|都|皆|亦|也|同|分别|目前|现|同时|还|另外)?"
           # 为 is "is" only before a title or role; before a verb phrase it is "for"
           # ("周波为治理碎片化开出的药方")
           rf"(?:现任|现为|系|是|为(?=[^，。；,;]{{0,30}}?(?:员|长|任|授|家|者|士|师|人|顾问|"
           rf"成员|嘉宾|研究员|主持人|召集人|{_P})(?:[，。；,;]|$))|担任|任|曾任|就职于|任职于|"
           rf"供职于|来自|毕业于)"
           rf"(?P<obj>[^，。；,;]*)", "subject", quotes=True, others=True),
    _frame("感谢X的组织", rf"(?:感谢|致谢|谢谢|鸣谢)\s*{_PL}的?(?:精心|辛勤)?"
           rf"(?:组织|支持|帮助|主持|协调|邀请|"
           rf"付出|工作)(?:[和与及、](?:组织|支持|帮助|主持|协调|邀请|付出|工作))*(?=[。！；;!,，]|$)",
           "object"),
    _frame("感谢X", rf"(?:感谢|致谢|谢谢|鸣谢)\s*{_PL}(?P<obj>[^，。；,;]*)", "object",
           quotes=True),
    _frame("X的团队", rf"{_PL}的(?:团队|同事|单位|机构|单元|主持|组织|邀请|支持|帮助|照片|"
           rf"研究|研究领域|"
           rf"研究方向|专长|履历|简历|工作){_OBJ_ZH}", "subject", quotes=True),
    _frame("X在论坛现场", rf"^{_PL}(?:[(（]{_POSITION}[)）])?(?:在|于)(?P<obj>[^，。；,;]{{0,24}}?)"
           rf"(?:现场|会场|论坛|会议|会上|研讨会|活动|大会|单元|会议室|门前|合影区)(?:上|中|期间|现场)?"
           rf"(?:合影|留影|交流|座谈|留念|合影留念)?[。.]?$", "subject", quotes=True),
    _frame("X与Y交流", rf"^{_PL}(?:在[^，。；,;]{{0,12}}|进行了|进行)?"
           rf"(?:交流|交谈|握手|寒暄|合影)[。.]?$",
           "subject"),
    _frame("X合影", rf"^{_PL}(?:(?:与|和|同)(?:全体)?(?:与会|参会)?"
           rf"(?:专家|学者|嘉宾|代表|同事)(?:们)?)?"
           rf"(?:在|于)?(?P<obj>[^，。；,;]{{0,24}}?)(?:合影留念|合影|留影|留念)[。.]?$", "subject",
           quotes=True),
    # speech denied or not given: a named person and a negated verb of speech or view, with
    # no content clause of their own ("X did not comment on …", "X declined to be drawn on …",
    # "X expressed no view", "X未予置评", "X未就…表态", "X并未…发表看法")
    _frame("X did not comment", rf"{_PL}\s+(?:(?:also|then|later|again|pointedly|notably)\s+)?"
           rf"(?:did\s+not|didn't|does\s+not|doesn't|would\s+not|wouldn't|could\s+not|"
           rf"couldn't|was\s+unable\s+to|were\s+unable\s+to|declined\s+to|declines\s+to|"
           rf"refused\s+to|refuses\s+to|chose\s+not\s+to|has\s+not|had\s+not)\s+"
           rf"(?:(?:publicly|openly|directly|yet|immediately)\s+)?(?:comment|be\s+drawn|answer|"
           rf"respond|reply|speak|take\s+(?:a\s+)?(?:position|stance|side)|express\s+(?:a|any)\s+"
           rf"(?:view|opinion|position)|state\s+(?:a|any|his|her)\s+(?:view|position))\b"
           rf"{_OBJ_EN}", "subject", nouns=None, quotes=True),
    _frame("X expressed no view", rf"{_PL}\s+(?:(?:also|then|pointedly)\s+)?(?:expressed|"
           rf"expresses|offered|offers|gave|gives|made|makes|voiced|took|takes)\s+no\s+"
           rf"(?:view|views|opinion|position|stance|comment|comments|statement|remarks)\b"
           rf"{_OBJ_EN}", "subject", nouns=None, quotes=True),
    _frame("X未予置评", rf"{_PL}{_ADV_ZH}*(?:在[^，。；,;]{{0,14}}?)?(?:未|并未|没有|并没有|未曾|"
           rf"从未|不愿|拒绝|婉拒|未能|无法)(?:在[^，。；,;]{{0,14}}?)?(?:就[^，。；,;]{{0,30}}?)?"
           rf"(?:予以?|作出|做出|作|做)?(?:置评|表态|作答|回答|回应|评论|发言|表明立场|"
           rf"发表[^，。；,;]{{0,24}}?(?:看法|意见|评论|观点|见解))(?P<obj>[^。！？；;!?]*)",
           "subject", quotes=True),
    _frame("not from X but", rf"(?:not|n't)\s+(?:from|by|with)?\s*{_PL}\s*,?\s+but\b", "object"),
    # corrections: a view or a title said to have been given to the person wrongly
    # ("Correction: an earlier version … attributed the proposal … to X", "误将…归于肖茜",
    # "董汀为副研究员，而非研究员")
    _frame("wrongly attributed to X", rf"(?:(?:wrongly|mistakenly|erroneously|incorrectly|"
           rf"falsely)\s+(?:attributed|ascribed|credited)|misattributed|(?:correction|erratum|"
           rf"clarification)\s*:[^.!?;]*?\b(?:attributed|ascribed|credited))\b[^.!?;]*?\s+"
           rf"(?:to|with)\s+{_PL}", "object"),
    _frame("误将…归于X", rf"(?:误将|误把|错将|错把|误)[^。！？；;!?]{{0,40}}?"
           rf"(?:归于|归到|归为|记在|"
           rf"算在|记为|写成|说成是?)\s*{_PL}(?:名下|头上)?", "object"),
    _frame("而非X", rf"(?:而非|而不是|并非|rather\s+than)\s*{_PL}(?=\s*[。.；;!！]|$)", "object"),
    # a participant praised or described by others: the view is theirs ("多位与会者称赞董汀…",
    # "a professor described Xiao Qian as …"); the person's own words stay held
    _frame("praised X", rf"(?:praised|praises|commended|commends|applauded|applauds|hailed|hails|"
           rf"lauded|lauds|complimented|compliments|described|describes|称赞|赞扬|表扬|夸赞|夸奖|"
           rf"盛赞|赞誉|称颂|形容)(?:了)?\s*{_PL}(?P<obj>[^.!?;。！？；]*)", "object",
           nouns="opinion", quotes=True),
    # asking for comments ("周波就草案征求意见")
    _frame("X征求意见", rf"{_PL}{_ADV_ZH}*(?:就[^，。；,;]{{0,24}}?)?(?:向[^，。；,;]{{0,12}}?)?"
           rf"(?:征求|征询|收集|广泛听取)(?:了)?(?:与会者|大家|各方|专家|与会专家)?(?:的)?"
           rf"(?:意见|看法|建议|反馈|评论)(?=[。！；;!，,]|$)", "subject"),
    # slides shared ("孙成昊的演示文稿已分享给与会者", "Sun Chenghao's slides were circulated")
    _frame("X的演示文稿", rf"{_PL}(?:'s|的)\s*(?:演示文稿|幻灯片|课件|PPT|ppt|slides|"
           rf"slide\s+deck|deck|"
           rf"handouts?)(?P<obj>[^.!?;。！？；]*)", "subject", quotes=True,
           strip=r"(?:已经?|将|会后)?(?:分享|发送|转发|上传|发布|提供)(?:给|至|到)?|(?i:\b(?:shared|"
                 r"circulated|sent|uploaded|posted|distributed)\b)"),
    # an email's salutation: the person addressed, not quoted ("孙老师：感谢您…", "Dear Dr Sun,")
    _frame("Dear X,", rf"^\s*(?:(?:dear|hi|hello)\s+|尊敬的|亲爱的)?{_PL}"
           rf"(?:老师|女士|先生|教授|博士)?"
           rf"(?:您好)?\s*[：:,，](?=[^。.!?]*(?:感谢您|谢谢您|您好|辛苦|\bthank\s+you\b|\bthanks\b))"
           rf"(?P<obj>[^.!?。！？]*)", "object", nouns=None, quotes=True,
           strip="总结稿|纪要|草稿|会议记录|附件"),
    _frame("并非X提出", rf"(?:并非|不是|并不是)(?:由)?{_PL}(?:所)?(?:提出|提议|发起|说的|所说|"
           rf"的观点|的主张)", "object"),
    # present, listening or taking notes while someone else speaks: the view is the other
    # person's ("X listened as a CICIR researcher argued …", "…, while X took notes",
    # "…时，X也在场")
    _frame("X listened as", rf"{_PL}\s+(?:(?:also|quietly|attentively|silently)\s+)?"
           rf"(?:listened|listens|took\s+notes|takes\s+notes|looked\s+on|looks\s+on|"
           rf"(?:was|is)\s+(?:in\s+the\s+room|present|there|listening|in\s+attendance|"
           rf"in\s+the\s+audience))\s*,?\s*(?:(?:while|as|when|whilst)\s+(?:a|an|one|another|"
           rf"some|several|two|other|the\s+other|[A-Z][\w-]*)\b[^.!?;]*)?(?=[.!?;]|$)",
           "subject", nouns=None),
    _frame("while X took notes", rf"(?:,\s*)?(?:while|as|whilst)\s+{_PL}\s+(?:(?:quietly|"
           rf"attentively)\s+)?(?:took\s+notes|takes\s+notes|listened|listens|looked\s+on|"
           rf"looks\s+on)(?=\s*[.!?;]|$)", "object"),
    _frame("X也在场", rf"{_PL}(?:当时)?(?:也|都|亦|正)?(?:在场|在座|旁听|在会场|在现场)"
           rf"(?=[。！；;!]|$)", "subject"),
    # a programme line: a time, an item and a name ("09:00 Opening — X", "16:45 闭幕致辞 X（…）")
    _frame("programme line", rf"^\s*\d{{1,2}}\s*[:：.]\s*\d{{2}}(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
           rf"\s*(?:[-–—]\s*\d{{1,2}}\s*[:：.]\s*\d{{2}}\s*)?(?P<obj>[^.!?。！？{_P[1:-1]}]{{0,40}}?)"
           rf"\s*[-–—:：,，]?\s*{_PL}(?:\s*[,，(（][^.!?。！？]*)?\s*[.。]?$", "object",
           nouns=None),
    # credits, contacts and action items: a person as the one who edits, photographs or
    # receives something, not as a speaker
    _frame("edited by X", rf"(?:edited|photographed|compiled|translated|proofread|designed|"
           rf"typeset|filmed|recorded|transcribed|photos?|pictures?|images?)\s+(?:\w+\s+){{0,4}}?"
           rf"(?:by|of)\s+{_PL}(?=\s*(?:[.;,]|and\b|$))", "object"),
    _frame("Photos: X", rf"(?<![A-Za-z])(?:photos?|photography|pictures?|images?|editing|editor|"
           rf"edited|translation|translator|text|design|layout|credits?|camera|"
           rf"摄影|图片|编辑|责任编辑|翻译|校对|撰稿|整理|排版|设计|审校)\s*[:：]\s*{_PL}"
           rf"(?=\s*(?:[.;,。；，]|$))", "object"),
    _frame("contact X", rf"(?:contact|email|e-mail|write\s+to|call|reach|(?:be\s+)?(?:sent|"
           rf"forwarded|directed|addressed|submitted|returned|given|handed)\s+to|send\s+"
           rf"(?:\w+\s+){{0,4}}?to|(?:the\s+)?(?:office|assistant|secretary|team|staff|aide)s?\s+of)"
           rf"\s+{_PL}(?P<obj>[^.!?;]*)", "object", quotes=True),
    _frame("联系X", rf"(?:联系|发送至|发送给|发至|发给|交给|提交给|转交|交至|送至|寄给)\s*{_PL}"
           rf"(?:老师|女士|先生)?(?:的)?(?:办公室|邮箱|助理|团队|秘书)?(?P<obj>[^。！？；;!?]*)",
           "object", quotes=True),
    _frame("X's office", rf"{_PL}(?:'s|老师|女士|先生)?(?:的)?\s*(?:office|assistant|secretary|"
           rf"team|staff|aide|办公室|助理|团队|秘书)\b(?P<obj>[^.!?;。！？；]*)", "subject",
           quotes=True),
    _frame("Action: X to", rf"(?<![A-Za-z])(?:action(?:\s+items?)?|to-?do|follow-?up|待办(?:事项)?|"
           rf"行动项|后续事项)\s*[:：]\s*{_PL}\s*(?:to\b|将|于|负责)(?P<obj>[^.!?;。！？；]*)",
           "object"),
    # --- round 8: who holds the view -------------------------------------------------------
    # a view whose holder is someone unnamed, beside a participant in a neutral role: the
    # clause of the view is taken out, so what is left is judged on its own ("孙成昊和董汀坐在
    # 第一排，身后一位上海学者正在大声主张…", "X and Y sat through a debate in which an SASS
    # scholar argued that …", "…——这位老师认为…")
    _frame("an unnamed holder's view", rf"(?:[，,]|——|—|–)\s*(?:随即|随后|然后|当时|身后|旁边|"
           rf"其后|接着)?(?:有)?(?:一|另一|某|这|那|几|多|好几|两)(?:位|名)[^，。；！？{_P[1:-1]}]"
           rf"{{0,20}}?(?:学者|专家|老师|教授|研究员|与会者|代表|嘉宾|人士|官员|听众|学生)(?:们)?"
           rf"[^。！？；;!?{_P[1:-1]}]*", "object"),
    _frame("an unnamed holder's view (en)", rf",?\s+(?:in\s+which|during\s+which|where|while|"
           rf"whereas|as|when)\s+(?:a|an|one|another|some|several|two|three|other)\s+"
           rf"(?:[\w'-]+\s+){{0,4}}?(?:scholar|expert|participant|professor|researcher|academic|"
           rf"delegate|official|guest|attendee|colleague|economist|lawyer|diplomat|student|"
           rf"member|analyst)s?\b[^.;!?,{_P[1:-1]}]*(?=[.;!?]|$)", "object"),
    # procedure spoken: what a participant says is only about running the meeting (time,
    # the next speaker, where and when), with no view ("董汀（主持）：时间关系，每人限三分钟",
    # "zhou bo says we start in 2 min", "X: After the next speaker, please.")
    _frame("X: procedure", rf"{_PL}\s*[)）]?\s*(?:[:：]|\s+(?:says|said|announces|announced"
                           rf"|replies|"
           rf"replied|answers|"
           rf"answered)\s+|"
           rf"{_ADV_ZH}*(?:说|表示|回答|答|回应)[:：，,]?)\s*"
           rf"(?P<obj>[^。！？?!]{{1,80}}?)\s*[.。!！]?$", "subject", nouns=None, quotes=False,
           require=rf"^(?!.*\bthat\b){_VIEWISH_PROCEDURE[1:]}.*{_PROCEDURAL_SPOKEN}",
           strip=r"(?i)\b(?:called|calls|invited|invites)\s+(?:on\s+|upon\s+)?the\s+next\s+"
                 r"(?:speaker|question)|\bthe\s+question\s+belonged\s+to\s+another\s+meeting"),
    # a question asked of someone else: the asker holds no view ("X asked the participant
    # from Fudan to define …", "孙成昊请同济大学的与会者解释一下…", "周波问后排是否还有人要补充")
    _frame("X asked someone to explain", rf"{_PL}\s+(?:(?:then|also|first|later)\s+)?"
           rf"(?:asked|asks|invited|invites|pressed|presses|urged|challenged)\s+(?:the|a|an|one|"
           rf"another)\s+(?:[\w'-]+\s+){{0,3}}?(?:participant|scholar|expert|speaker|guest|"
           rf"attendee|delegate|discussant|panell?ist|colleague|researcher|professor|questioner)"
           rf"\b(?:\s+(?:from|at|of)\s+[\w'-]+(?:\s+[\w'-]+){{0,3}}?)?\s+to\s+(?:define|explain|"
           rf"clarify|elaborate|specify|spell\s+out|say\s+more|expand|repeat|rephrase)\b"
           rf"(?P<obj>[^.!?;]*)", "subject", nouns=None, others=True),
    _frame("X asked whether anyone", rf"{_PL}\s+(?:(?:then|also|first|later)\s+)?(?:asked|asks)"
           rf"\s+(?:whether|if)\s+(?:anyone|anybody|someone|others|any\s+\w+)\b(?P<obj>[^.!?;]*)",
           "subject", nouns=None,
           require=r"^(?!.*\bthat\b).*\b(?:wish\w*|want\w*|like|cared)\s+to\s+(?:respond|reply|"
                   r"add|comment|speak|answer|come\s+in|take\s+(?:it|this)\s+up)\b",
           strip=r"(?i)\b(?:wish\w*|want\w*|like|cared)\s+to\s+(?:respond|reply|add|comment|speak|"
                 r"answer|come\s+in|take\s+(?:it|this)\s+up)\b"),
    _frame("X请某人解释", rf"{_PL}{_ADV_ZH}*(?:点名)?(?:邀请|请|让|要求)(?:了)?"
           rf"(?:[^，。；,;{_P[1:-1]}]{{0,16}}?的?)?(?:[一两几多另某](?:一)?(?:位|名))?"
           rf"(?:{_PEOPLE_ZH_EXT}|老师|教授|研究员|提问者|提问人)(?:再)?(?:解释|说明|澄清|界定|定义|"
           rf"具体说明|举例说明|补充说明)(?:一下)?(?P<obj>[^。！？；;!?]*)", "subject", nouns=None,
           others=True),
    _frame("X问是否有人补充", rf"{_PL}{_ADV_ZH}*(?:问|询问|问了问)(?:[^，。；,;{_P[1:-1]}]{{0,8}}?)"
           rf"(?:是否|还有没有|有没有)(?:还)?有?(?:人|谁|哪位|其他人)(?:要|想|愿意|需要)?"
           rf"(?:补充|发言|提问|回应|评论|补充发言)(?=[。！？；;!?]|$)", "subject"),
    _frame("X点名请…发言", rf"{_PL}{_ADV_ZH}*点名(?:邀请|请)(?:[^，。；,;{_P[1:-1]}]{{0,16}}?)"
           rf"(?:{_PEOPLE_ZH_EXT}|老师|教授|研究员)(?:发言|回应|作答|补充)", "subject"),
    _frame("X took the next question", rf"{_PL}\s+(?:(?:then|quickly)\s+)?(?:took|takes|called|"
           rf"calls|invited|invites|moved\s+to|moves\s+to)\s+(?:on\s+|upon\s+)?(?:the\s+)?"
           rf"(?:next|following|last|final|another)\s+(?:question|questioner|speaker|"
           rf"intervention|item)s?\b{_OBJ_EN}", "subject", nouns="opinion", quotes=True),
    _frame("X就日程作了说明", rf"{_PL}{_ADV_ZH}*就(?P<obj>[^，。；,;]{{0,20}}?)(?:作|做)(?:了)?"
           rf"(?:说明|介绍|通报|安排)(?=[。！；;!]|$)", "subject",
           require=rf"{_VIEWISH_PROCEDURE}.*(?:{_PROCEDURAL_ZH}|安排)"),
    # timekeeping and running over time ("Zhou Bo timed each intervention on his phone",
    # "周波让工作人员在第八分钟摇铃提醒发言人", "The closing speaker ran four minutes over")
    _frame("X timed the speakers", rf"{_PL}\s+(?:(?:also|then|strictly)\s+)?(?:timed|times|"
           rf"kept\s+(?:the\s+)?time|keeps\s+(?:the\s+)?time|kept\s+track\s+of\s+(?:the\s+)?time|"
           rf"held\s+up\s+(?:a\s+)?cards?|rang\s+(?:a\s+|the\s+)?bell)\b(?P<obj>[^.!?;]*)",
           "subject", nouns=None, others=True, require=rf"{_VIEWISH_PROCEDURE}"),
    _frame("X让工作人员提醒", rf"{_PL}{_ADV_ZH}*(?:让|请|安排|叫|由)(?:会务|工作人员|助理|同事|"
           rf"秘书|志愿者|计时员|会务人员)(?P<obj>[^。！？；;!?]*)", "subject",
           require=rf"{_VIEWISH_PROCEDURE}.*(?:{_PROCEDURAL_ZH}|摇铃|举牌|计时)",
           strip="提醒|发言人|发言"),
    _frame("X ran over", rf"{_PL}\s+(?:ran|runs|went|goes|spoke|speaks|talked|overran)\s+"
           rf"(?:[\w-]+\s+){{0,3}}?(?:minutes?|seconds?|time)\s*(?:over|long|too\s+long)?\b"
           rf"(?P<obj>[^.!?;]*)", "subject", nouns=None, require=_VIEWISH_PROCEDURE,
           strip=r"(?i),?\s*according\s+to\s+[^,.;]*"),
    # a speech cut short ("Zhou Bo's opening words were cut short by a fire-alarm test",
    # "孙成昊的开场白说到一半，投影仪突然黑屏")
    _frame("X's remarks were cut short", rf"{_PL}'s?\s+(?:{_SPEECH_EN}|(?:opening|closing)\s+"
           rf"words|words)\s+(?:was|were|had\s+been|got)\s+(?:cut\s+short|interrupted|delayed|"
           rf"postponed|cancell?ed|drowned\s+out)\b(?P<obj>[^.!?;]*)", "subject", nouns=None,
           require=_VIEWISH_PROCEDURE),
    _frame("X的开场白说到一半", rf"{_PL}的(?:{_SPEECH_ZH}|开场白|提问|发言)"
           rf"(?:说到一半|讲到一半|刚开始|刚说完|进行到一半|开始不久)(?P<obj>[^。！？；;!?]*)",
           "subject", quotes=True),
    # reading out or summarising the rules or the programme ("Zhou Bo read out the Chatham
    # House rule", "Dong Ting summarised the agenda: …", "董汀又念了一遍查塔姆研究所规则")
    _frame("X read out the rule", rf"{_PL}\s+(?:(?:also|then|first|briefly|again)\s+)?"
           rf"(?:read\s+out|reads\s+out|read|re-?read|recalled|recalls|restated|restates|"
           rf"summari[sz]ed|summari[sz]es|explained|explains|outlined|outlines|went\s+through|"
           rf"goes\s+through|ran\s+through|announced|announces)\s+(?:the\s+)?(?:chatham\s+house\s+"
           rf"rule|house\s+rules?|ground\s+rules|rules?|agenda|programme|program|schedule|"
           rf"format|running\s+order|order\s+of\s+speakers|logistics)\b(?P<obj>[^;!?]*)",
           "subject", nouns=None, require=_VIEWISH_PROCEDURE),
    _frame("X念了一遍规则", rf"{_PL}{_ADV_ZH}*(?:又|再)?(?:念了一遍|念了|宣读了?|重申了?|复述了?|"
           rf"说明了?|介绍了?)(?:一遍)?(?:[^，。；,;]{{0,8}}?)(?:规则|议程|日程|流程|安排|发言顺序|"
           rf"议题和发言顺序|会议纪律)(?P<obj>[^。！？；;!?]*)", "subject",
           require=rf"{_VIEWISH_PROCEDURE}",
           strip="提醒(?:大家|与会者|各位)?(?:记录|发言|笔记)?(?:一律|均|都)?(?:不具名|匿名|不署名)"),
    # corrections of a name or a title, and a view said not to be the person's
    _frame("X's name was misspelt", rf"{_PL}'s?\s+(?:name|surname|title|affiliation|position)"
           rf"\s+(?:was|were|had\s+been|is)\s+(?:misspelt|misspelled|misprinted|mistranslated|"
           rf"given\s+(?:wrongly|incorrectly)|wrong|incorrect|listed\s+incorrectly)\b"
           rf"(?P<obj>[^.!?;]*)", "subject", nouns=None, quotes=False, others=True),
    _frame("X的职务应为", rf"{_PL}的(?:职务|职称|头衔|名字|姓名|称谓|单位|译名|拼写|英文名|"
           rf"所属机构)(?:应为|应是|是|为|有误|写错)(?P<obj>[^。！？；;!?]*)", "subject",
           nouns=None, quotes=False, others=True, require=r"^(?!.*(?:认为|主张|观点|看法))"),
    _frame("将“X”误写为", rf"(?:将|把)?[“\"「]?{_PL}[”\"」]?(?:误写为|误写成|错写为|错写成|误作|"
           rf"误译为|写错|拼错)", "object"),
    _frame("并非出自X", rf"(?:并非|不是|并不是|并未|非)(?:出自|来自|源自|出于)\s*{_PL}", "object"),
    # a view about a participant held by someone else ("A PKU professor called Xiao Qian's
    # organisation of the day 'flawless'", "在一位年轻学者眼里，董汀是…", "我觉得X…", "My own
    # view … is that X packed too much into one day"); X's own view stays held
    _frame("called X's organisation", rf"(?:called|calls|rated|rates|judged|judges|found|finds|"
           rf"thought|thinks)\s+{_PL}'s?\s+(?P<obj>(?:organi[sz]ation|organi[sz]ing|chairing|"
           rf"moderation|timekeeping|hospitality|handling|management|running|pacing|"
           rf"preparation)\b[^.!?;]*)", "object", nouns="opinion"),
    _frame("夸X", rf"(?:夸|夸了|赞|赞了|评价)\s*{_PL}(?P<obj>[^。！？；;!?]*)", "object",
           nouns=None, quotes=False, require=r"^(?!.*(?:认为|主张|观点|看法|提出|建议))"),
    _frame("在某人眼里X", rf"(?:在)?(?:一|几|多|好几|不少|有|某|两)(?:位|名|个)"
           rf"[^，。；,;{_P[1:-1]}]{{0,20}}?(?:眼里|眼中|看来|心目中|心中)[，,]?\s*{_PL}"
           rf"(?P<obj>[^。！？；;!?]*)", "object", nouns=None, quotes=False,
           require=r"^(?!.*(?:认为|主张|观点|看法|提出|建议|说|表示))"),
    _frame("某人说X那场", rf"(?:一|几|多|好几|不少|有|某|两)(?:位|名|个)[^，。；,;{_P[1:-1]}]"
           rf"{{0,20}}?(?:说|称|表示|评价|认为|觉得)[，,：:]?\s*{_PL}(?P<obj>[^。！？；;!?]*)",
           "object", nouns=None, quotes=False,
           require=r"^(?:老师|研究员|教授)?(?:那一?(?:单元|场|节)|的(?:单元|主持|控场))"),
    _frame("my view is that X", rf"(?:\b(?:I|we)\s+(?:think|thought|feel|felt|suspect|"
           rf"suspected)|\b(?:my|our)\s+(?:own\s+)?(?:view|impression|feeling|sense|guess)"
           rf"[^.;!?{_P[1:-1]}]{{0,40}}?\s+(?:is|was))\s+(?:that\s+)?{_PL}(?P<obj>[^.!?;]*)",
           "object", nouns="opinion", quotes=True),
    # someone's session as a place ("周老师那场在哪个会议室", "孙成昊那一单元的节奏")
    _frame("X那场", rf"{_PL}(?:老师|研究员|教授)?(?:那一?(?:场|单元|节|环节)|的那一?(?:场|单元))",
           "subject"),
    # a work cited without its content ("Sun Chenghao, “Unmanned Systems …”, CISS working
    # paper, 2025.", "董汀：《人工智能扩散与非国家行为体》，工作论文，2025年。")
    _frame("a reference", rf"^{_PL}\s*[,，.:：]\s*(?:[\"“][^\"“”]{{3,120}}[\"”]|《[^》]{{2,60}}》)"
           rf"\s*[,，.]?(?P<obj>[^\"“”。.]{{0,80}}?)(?:19|20)\d{{2}}\s*年?\s*[.。]?$", "subject",
           nouns=None, quotes=False, require=_VIEWISH_PROCEDURE),
    # a programme or podcast line: a time stamp, a name and a topic ("[05:10] Sun Chenghao on
    # military AI in the cyber domain", "【05:10】孙成昊聊无人机与现代战争")
    _frame("timestamp X on topic", rf"^\s*[\[【(（]?\s*\d{{1,2}}\s*[:：]\s*\d{{2}}(?:\s*[:：]\s*"
           rf"\d{{2}})?\s*[\]】)）]?\s*[-–—]?\s*{_PL}\s*(?:on|about|聊|谈|说说|讲讲|漫谈)\s*"
           rf"(?P<obj>[^.!?。！？]*?)\s*[.。]?$", "subject", nouns=None, quotes=False,
           require=_VIEWISH),
    # thanks for comments on a draft, and notes sent to someone
    _frame("thanks X for comments on a draft", rf"(?:thanks?|thanked|thanking|grateful\s+to|"
           rf"indebted\s+to)\s+{_PL}\s+for\s+(?:(?:his|her|their|helpful|useful|valuable|"
           rf"insightful|careful|detailed)\s+)*(?:comments|feedback|help|suggestions|input|"
           rf"review|reading)\s+on\s+(?:an?\s+|the\s+)?(?:earlier\s+|first\s+|previous\s+)?"
           rf"(?:draft|version|manuscript|paper|chapter|brief|text)\b[^.!?;]*", "object"),
    _frame("send a note to X", rf"(?:send|sent|sends|write|wrote|mail|post)\s+(?:[\w'-]+\s+)"
           rf"{{0,4}}?(?:note|card|letter|email|e-mail|gift|flowers|message)\s+to\s+{_PL}"
           rf"(?P<obj>[^.!?;]*)", "object", nouns="opinion"),
    # with someone in a calendar line or a shared room ("S2 dry run with Sun Chenghao, Tue 13
    # Jan", "Honoured to have shared a room with X, Y and Z")
    _frame("meeting with X", rf"(?:dry\s+run|rehearsal|meeting|call|lunch|dinner|coffee|"
           rf"catch-up|sync|prep(?:aration)?\s+call|shared\s+(?:a|the)\s+(?:room|stage|panel|"
           rf"table|platform))\s+with\s+{_PL}(?P<obj>[^.!?;]*)", "object", nouns="opinion"),
    # being there, arriving, sitting, taking notes (with a dash in notes)
    _frame("X arrived late", rf"{_PL}\s*(?:[—–-]+\s*)?(?:(?:also|then)\s+)?(?:arrived|arrives|"
           rf"came|left|leaves|sat|sits|stood|stands|took\s+notes|walked|walks|went|"
           rf"was\s+late)\b(?P<obj>[^.!?;]*)", "subject", nouns=None, quotes=True,
           strip=r"(?i)\btook\s+notes\b"),
    _frame("X走上讲台", rf"{_PL}{_ADV_ZH}*(?:走上|登上|走下|步上|走向)(?:了)?(?:讲台|台|主席台|"
           rf"发言席)(?:[，,]\s*(?:调整|调试|拿起|打开|接过)(?:了)?(?:话筒|麦克风|电脑|翻页笔))?",
           "subject"),
    _frame("X与与会专家交谈", rf"{_PL}(?:[(（]{_POSITION}[)）])?(?:与|和|同)(?:与会|参会|在场)?"
           rf"(?:专家|学者|嘉宾|代表|同事|与会者|听众)(?:们)?(?:交谈|交流|寒暄|握手|合影|聊天)"
           rf"(?P<obj>[^。！？；;!?]*)", "subject", quotes=True),
    _frame("X talking with participants", rf"{_PL}(?:\s*\({_POSITION}\))?\s+(?:talking|talks|"
           rf"chatting|chats|speaking|speaks|shaking\s+hands)\s+with\s+(?:the\s+|other\s+)?"
           rf"(?:{_PEOPLE_EN}|participant|guests?)\b(?P<obj>[^.!?;]*)", "subject",
           nouns="opinion", quotes=True),
    # checked or reviewed by someone ("体例经主持人周波审阅")
    _frame("经X审阅", rf"经(?:主持人|主席|编者|作者)?\s*{_PL}"
           rf"(?:审阅|审定|审核|校对|把关|核对|确认)",
           "object"),
    # declining to talk about the forum ("他表示论坛内容不便对外谈")
    _frame("X不便对外谈", rf"{_PL}{_ADV_ZH}*(?:表示|称|说)?[^，。；,;{_P[1:-1]}]{{0,12}}?"
           rf"(?:不便|不方便|不宜|无法|不能|不会)(?:对外|公开|多|向外界|向媒体)?"
           rf"(?:谈|谈论|透露|评论|置评|回应|发表|接受采访)(?=[。！；;!]|$)", "subject"),
    # --- round 9: holder or speaker, not a participant in another role ---------------------
    # the other person's view after a hand-over: "…，对方认为…", "…, who argued …"
    _frame("对方认为", rf"[，,]\s*(?:对方|此人|该学者|该专家|那位|这位)"
                   rf"(?:[^，。；,;{_P[1:-1]}]{{0,6}})?"
           rf"(?:则|随即|随后)?(?:认为|表示|主张|指出|强调|提出|说)[^。！？；;!?{_P[1:-1]}]*",
           "object"),
    # logistics: someone's table, office, address or team as a place or a service ("badges can
    # be picked up from X's table", "会务由X团队安排", "签到处是X带着两个学生在管")
    _frame("from X's table", rf"(?:from|at|to|by|via|through|near|beside|behind)\s+{_PL}'s?\s+"
           rf"(?:table|desk|office|booth|stand|room|seat|inbox|address|account|team|staff|"
           rf"assistant|secretary|car|door)\b(?P<obj>[^.!?;]*)", "object", nouns="opinion",
           quotes=True),
    _frame("由X团队安排", rf"由{_PL}(?:老师)?(?:的)?(?:团队|课题组|办公室|助理|秘书|学生)?"
           rf"{_ADV_ZH}*(?:安排|负责|统筹|协调|组织|提供|接待|打理|张罗|操办|发放|办理|对接)",
           "object"),
    _frame("X带着学生在管", rf"{_PL}{_ADV_ZH}*(?:带着|带领|领着)?[^，。；,;{_P[1:-1]}]{{0,8}}?"
           rf"(?:在)?(?:管|管理|看管|张罗|打理|操办|安排|统筹|发放)(?:着)?(?=[。！；;!]|$)",
           "subject"),
    # a message header: who sent it, when what it says is only logistics ("From: X  Subject:
    # room change — …", "发件人：X 主题：会议室调整")
    _frame("From: X Subject", rf"^\s*(?:from|sender|sent\s+by|发件人|来自)\s*[:：]\s*{_PL}\s*"
           rf"(?:[(（][^)）]{{0,40}}[)）]\s*)?(?:[;；,，]\s*)?(?:subject|re|主题)\s*[:：]"
           rf"(?P<obj>[^\"“”「」]*)$", "subject", nouns="opinion", quotes=True,
           require=_VIEWISH_PROCEDURE),
    # registering and signing in
    _frame("X registered", rf"{_PL}\s+(?:(?:had\s+)?(?:already|also|only)\s+)?(?:registered|"
           rf"registers|signed\s+in|signs\s+in|checked\s+in|checks\s+in|collected\s+(?:a|her|"
           rf"his|their|the)\s+badges?)\b(?P<obj>[^.!?;]*)", "subject", nouns=None, quotes=True),
    _frame("X签到", rf"{_PL}{_ADV_ZH}*(?:于|在)?[^，。；,;{_P[1:-1]}]{{0,10}}?(?:签到|报到|"
           rf"领取(?:了)?(?:胸牌|材料|资料))(?:了)?"
           rf"(?P<obj>[^。！？；;!?]*)", "subject", nouns="opinion",
           quotes=True),
    # the programme: a speech given at a time, moved or scheduled ("The closing address, at
    # 4.30 p.m., was given by X", "把X的闭幕致辞排在下午四点半")
    _frame("the address, at 4.30, was given by X", rf"{_SPEECH_EN}\s*,[^,;!?]{{1,40}},\s*"
           rf"(?:was|were|is|are|will\s+be)\s+(?:given|delivered|made|presented)\s+by\s+{_PL}",
           "object"),
    _frame("把X的致辞排在", rf"(?:把|将){_PL}的{_SPEECH_ZH}(?P<obj>(?:排在|安排在|放在|挪到|改到|"
           rf"改在|推迟到|提前到|定在|调到)[^，。；,;!?！？]*)", "object", nouns=None,
           require=_VIEWISH),
    _frame("X's address was moved to", rf"{_PL}'s?\s+{_SPEECH_EN}\s+(?:was|is|has\s+been|will\s+be)"
           rf"\s+(?:moved|rescheduled|brought\s+forward|pushed\s+back|postponed|put)\s+"
           rf"(?:to|until|at|back)\b(?P<obj>[^.!?;]*)", "subject", nouns=None, require=_VIEWISH),
    # a speech with only its topic ("孙成昊在发言中谈到了出口管制", "X's remarks centred on red
    # lines and risk management": the topic is a noun phrase, with no verb of view)
    _frame("X在发言中谈到了", rf"{_PL}{_ADV_ZH}*在(?:[^，。；,;{_P[1:-1]}]{{0,8}}的)?"
           rf"(?:发言|讲话|致辞|报告|演讲)(?:中|里)(?:还|也|主要|重点|简要)?(?:谈到|提到|谈及|"
           rf"涉及|讲到|聊到|论及|触及)(?:了)?(?P<obj>[^，。；,;！!？?：:“”\"]{{1,16}})"
           rf"(?=[。！；;!]|$)", "subject", nouns=None, quotes=True, require=_VIEWISH),
    _frame("X's remarks centred on topic", rf"{_PL}'s?\s+{_SPEECH_EN}\s+(?:centred|centered|"
           rf"focused|focussed|touched|dwelt|concentrated)\s+on\s+(?P<obj>(?:(?:the|a|an)\s+)?"
           rf"[\w'-]+(?:\s+[\w'-]+){{0,4}}(?:\s*(?:,|and)\s*(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)"
           rf"{{0,3}}){{0,3}})\s*[.]?$", "subject", nouns="opinion", quotes=True,
           require=r"^(?!.*\b(?:that|whether|how|why|need|needs|should|must|ought|case\s+for|"
                   r"case\s+against|dangers?|failures?|favou?r|against|urg\w*|warn\w*|argu\w*|"
                   r"threats?|folly|wisdom|perils?)\b)"),
    # social and biographical lines: a photo or a chat with someone, alumni notes, jobs
    _frame("和X合影", rf"(?:和|与|跟|同){_PL}(?:[^，。；,;{_P[1:-1]}]{{0,12}}?)(?:合了?(?:张"
                   rf"|个)?影|"
           rf"合照|自拍|拍了?(?:张|个)?(?:照|合照|照片)|吃了?(?:顿)?饭|喝了?(?:杯)?咖啡|"
           rf"多?聊(?:了)?(?:几句|一会儿?|两句)|打了?(?:个)?招呼)", "object"),
    _frame("a photo with X", rf"(?:photo|photos|picture|pictures|selfie|selfies|snapshot|"
           rf"group\s+photo|chat|chats|word|words)\s+with\s+{_PL}(?P<obj>[^.!?;]*)", "object",
           nouns="opinion", quotes=True),
    _frame("X now works at", rf"{_PL}(?:,\s*who\s+[^,;.!?]{{1,60}},)?\s+(?:(?:now|currently"
                             rf"|still|later|also|then)\s+)?(?:works|worked|"
           rf"is\s+based|was\s+based|teaches|taught|studied|studies|graduated|lectures|"
           rf"is\s+employed|was\s+employed|is\s+a\s+(?:fellow|professor|researcher)|"
           rf"completed|received|earned|obtained)\s+(?:at|in|for|from|as|with|(?:a|an|her|his|"
           rf"their|the)\s+(?:doctorate|phd|master's|degree|ba|ma))\b{_OBJ_EN}", "subject",
           nouns=None, quotes=True),
    _frame("X现任", rf"{_PL}(?:校友|老师|博士|教授)?{_ADV_ZH}*(?:现任|曾任|现为|时任|历任|"
           rf"现就职于|就职于|任职于|供职于|任教于|毕业于|博士毕业于|本科毕业于|获得|"
           rf"(?:现在|目前|仍|依然|仍然|一直)在)(?P<obj>[^。！？；;!?]*)",
           "subject", nouns=None, quotes=True,
           require=r"^(?!.*(?:认为|主张|观点|看法|提出|建议|说|表示|强调|指出))"),
    # a volume someone edits, translates or writes, named without its content ("肖茜主编的论坛
    # 文集预计明年出版", "the volume Xiao Qian is editing is due next year")
    _frame("X主编的文集", rf"{_PL}(?:老师|教授)?(?:主编|编辑|编选|编著|翻译|主持翻译|策划|参编)的"
           rf"(?:[^，。；,;{_P[1:-1]}]{{0,10}}?)(?:文集|论文集|书|丛书|报告集|刊物|期刊|专辑|译本|"
           rf"集子|专刊|特刊|教材|手册)", "subject"),
    _frame("the volume X edits", rf"(?:volume|book|collection|anthology|journal|series|issue|"
           rf"special\s+issue|handbook|proceedings)\s+(?:(?:that|which)\s+)?(?:(?:edited|"
           rf"co-edited|translated|compiled)\s+by\s+{_PL}|{_PL}\s+(?:is\s+)?(?:edits|edited|"
           rf"co-edits|co-edited|is\s+editing|translates|translated|compiled|compiles))"
           rf"(?P<obj>[^.!?;]*)", "object", nouns="opinion", quotes=True,
           require=r"^(?!.*\b(?:that|argu\w*|claim\w*)\b)"),
    # someone's manner of speaking, and praise of their chairing by others
    _frame("X说话慢条斯理", rf"{_PL}{_ADV_ZH}*(?:说话|讲话|发言|语速|声音|口音)(?:一向|总是|向来|"
           rf"很|非常|特别|比较|有点|有些|偏|极)?(?:慢条斯理|慢|快|不紧不慢|温和|幽默|风趣|简洁|干脆|"
           rf"洪亮|轻|轻声细语|平和|从容|带着?[^，。；,;]{{0,6}}口音)"
           rf"(?P<obj>[^。！？；;!?]*)", "subject",
           nouns="opinion", quotes=True),
    _frame("X speaks slowly", rf"{_PL}\s+(?:(?:always|usually|often|also)\s+)?(?:speaks|spoke|"
           rf"talks|talked)\s+(?:very\s+|rather\s+|quite\s+)?(?:slowly|softly|quietly|quickly|"
           rf"fast|calmly|gently|deliberately|briskly|with\s+(?:a|an)\s+[\w-]+\s+accent|"
           rf"with\s+(?:humou?r|wit|precision))(?=\s*[,.;!?]"
           rf"|$){_OBJ_EN}", "subject", nouns="opinion",
           quotes=True),
    _frame("给X点赞", rf"(?:给|为|替|向){_PL}(?:老师)?(?:点赞|点了?(?:个)?赞|鼓掌|叫好|喝彩"
                   rf"|竖大拇指)",
           "object"),
    _frame("说X主持得很专业", rf"(?:说|称|夸|赞|觉得|都说)\s*{_PL}(?:的)?(?:主持|控场|组织|安排|"
           rf"翻译|讲|介绍|时间把控)?得(?:很|非常|特别|挺|真|相当|十分|太|极)(?P<obj>[^，。；,;！!？?]"
           rf"{{0,8}})", "object", nouns=None),
    _frame("praised X's chairing", rf"(?:praised|applauded|complimented|congratulated|thanked|"
           rf"admired|commended)\s+{_PL}(?:'s?\s+(?:chairing|moderation|organi[sz]ation|"
           rf"timekeeping|handling|running|translation)|\s+for\s+(?:(?:his|her|their|the)\s+)?"
           rf"(?:chairing|moderating|organi[sz]ing|running|keeping|smooth|excellent|skilful|"
           rf"skillful|translation|hospitality))\b(?P<obj>[^.!?;]*)", "object", nouns="opinion",
           quotes=True),
    # a fact-check or a rumour about a participant's attendance or job ("A post claims X did
    # not attend", "网传“X已离开清华”不实")
    _frame("a post claims X did not attend", rf"(?:post|tweet|report|rumou?r|story|article|"
           rf"message|claim|video|blog|account|someone|it)\s+(?:online\s+)?(?:claims?|claimed|"
           rf"says|said|alleges?|alleged|suggests?|suggested|reports?|reported|that)\s+"
           rf"(?:that\s+)?{_PL}\s+(?P<obj>(?:did\s+not|didn't|never|had|has|was|is|no\s+longer|"
           rf"left|resigned|quit|skipped|missed)\b[^.!?;]*)", "object", nouns="opinion",
           require=r"(?i)\b(?:attend\w*|present|there|left|leave|leaving|resign\w*|quit|job|post|"
                   r"position|retire\w*|skipped|missed|absent|moved|fired|dismissed|works?|"
                   r"working|employ\w*)\b"),
    _frame("网传X不实", rf"(?:网传|传言|有人称|有传言称|据传"
                    rf"|网上称)[“\"「]?[^”\"」，。；,;{_P[1:-1]}]"
           rf"{{0,6}}?{_PL}(?P<obj>[^”\"」。；;]{{0,30}}?)[”\"」]?[，,]?\s*(?:不实|系谣言|是谣言|为谣言|"
           rf"不属实|纯属谣言|并不属实|有误)", "object", nouns=None),
    _frame("the programme lists X as", rf"(?:programme|program|agenda|list|schedule|website|"
           rf"record|records|minutes|brochure|timetable)\s+(?:lists?|listed|names?|named|shows?|"
           rf"showed|has|had|gives|gave)\s+{_PL}(?:\s+as\s+{_PL}|\s+as\s+[^.!?;]{{0,60}})?",
           "object"),
    # chairing in other words: introducing people, handing over the microphone, asking
    # someone to respond, silencing phones
    _frame("X介绍了两位评议人", rf"{_PL}{_ADV_ZH}*(?:在[^，。；,;{_P[1:-1]}]{{0,14}}?)?"
                        rf"(?:逐一|依次|"
           rf"分别|简要|首先|先)?介绍(?:了)?(?:[^，。；,;{_P[1:-1]}]{{0,10}}?)(?:评议人|主持人|"
           rf"发言人|嘉宾|与会者|与会专家|专家|学者|讲者|来宾|发言嘉宾|主讲人|讨论人|参会者)(?:们)?"
           rf"(?P<obj>[^。！？；;!?]*)", "subject", nouns="opinion", quotes=True),
    _frame("X introduced the discussants", rf"{_PL}\s+(?:(?:also|then|first|briefly|formally)\s+)?"
           rf"(?:introduced|introduces|introducing|presented)\s+(?:the\s+|each\s+of\s+the\s+|both\s+"
           rf"|two\s+|three\s+|all\s+(?:the\s+)?|her\s+|his\s+)?(?:discussants|speakers|"
           rf"panell?ists|guests|chairs|moderators|participants|commentators|respondents|"
           rf"discussant|speaker|panell?ist|guest|respondent)\b{_OBJ_EN}", "subject",
           nouns="opinion", quotes=True),
    _frame("X把话筒交给", rf"{_PL}{_ADV_ZH}*(?:把|将)(?:话筒|麦克风|发言权)(?:递给|交给|转给|让给)"
           rf"(?:了)?(?P<obj>[^。！？；;!?]*)", "subject", nouns="opinion", quotes=True),
    _frame("X handed the microphone to", rf"{_PL}\s+(?:(?:then|later|also)\s+)?(?:handed|hands|"
           rf"passed|passes|gave|gives|turned|turns)\s+(?:the\s+)?(?:microphone|mic|floor)\s+"
           rf"(?:over\s+)?to\b{_OBJ_EN}", "subject", nouns="opinion", quotes=True),
    _frame("X请学者回应", rf"{_PL}{_ADV_ZH}*(?:点名)?(?:邀请|请|让)(?:了)?(?:[^，。；,;{_P[1:-1]}]"
           rf"{{0,16}}?的?)?(?:[一两几多另某](?:一)?(?:位|名))?(?:{_PEOPLE_ZH_EXT}|老师|教授|研究员|"
           rf"提问者|提问人)(?:来)?(?:回应|回答|作答|点评|评议|回复|发言|补充|谈谈(?:看法)?)(?:一下)?(?P<obj>[^。！？；;!?]*)",
           "subject", nouns="opinion", quotes=True),
    _frame("X asked a scholar to respond", rf"{_PL}\s+(?:(?:then|also|first|later)\s+)?(?:asked|"
           rf"asks|invited|invites)\s+(?:the|a|an|one|another)\s+(?:[\w'-]+\s+){{0,3}}?"
           rf"(?:participant|scholar|expert|speaker|guest|attendee|delegate|discussant|"
           rf"panell?ist|colleague|researcher|professor|questioner)\b(?:\s+(?:from|at|of)\s+"
           rf"[\w'-]+(?:\s+[\w'-]+){{0,3}}?)?\s+to\s+(?:respond|reply|answer|comment)\b"
           rf"(?=\s*[,.;]|$){_OBJ_EN}", "subject", nouns="opinion", quotes=True),
    _frame("X致欢迎辞，并请大家关闭手机", rf"{_PL}{_ADV_ZH}*(?:在[^，。；,;]{{0,14}}?)?(?:致"
                             rf"|作|做|发表)"
           rf"(?:了)?{_SPEECH_ZH}[，,]\s*(?:并|然后|随后|同时)?(?:请|提醒|要求)(?:大家|各位|与会者|"
           rf"全体|在场的?(?:各位)?|来宾)[^，。；,;]{{0,12}}?(?:关闭|调至|调成|调为|静音|入座|就座|"
           rf"准时|遵守|佩戴)[^，。；,;]{{0,12}}(?=[。！；;!]|$)", "subject"),
    _frame("X welcomed the room and asked for phones", rf"{_PL}\s+(?:(?:warmly|first|also)\s+)?"
           rf"(?:welcomed|welcomes|greeted|greets)\s+(?:the\s+)?(?:room|hall|audience|"
           rf"{_PEOPLE_EN})\s+and\s+(?:asked|asks|reminded|reminds)\s+(?:everyone|all|them|"
           rf"the\s+room|people|participants)?\s*(?:to\s+)?[^.!?;]{{0,40}}?(?:phones?|seats?|"
           rf"badges?|silent|silence|on\s+time|microphones?)\b[^.!?;]*", "subject"),
    # asked for a view and declining, smiling, shrugging: no view given
    _frame("asked for X's view", rf"(?:asked|pressed|approached)\s+(?:[^,.;!?{_P[1:-1]}]{{0,40}}?"
           rf"\s+)?(?:for|about|on)\s+{_PL}(?:'s?)?\s+(?:own\s+)?(?:view|views|opinion|"
           rf"opinions|comment|comments|thoughts|take|reaction|position)\b", "object"),
    _frame("asked whether X agreed", rf"asked\s+(?:whether|if)\s+{_PL}\s+(?:agreed|agrees|"
           rf"disagreed|shared|accepted|would|could|had|was|wanted|cared)\b[^,.;!?]{{0,40}}",
           "object"),
    _frame("问及X的看法", rf"(?:问|问及|问到|询问|征询|请教)[^，。；,;{_P[1:-1]}]{{0,6}}?{_PL}"
           rf"(?:对[^，。；,;]{{0,12}})?的(?:看法|观点|意见|态度|评论|立场)", "object"),
    _frame("X smiled", rf"{_PL}\s+(?:(?:just|only|simply|merely)\s+)?(?:smiled|laughed|shrugged|"
           rf"paused|hesitated|grinned)\b(?:\s+and\s+(?:took|moved\s+on\s+to|called|turned\s+"
           rf"to|went\s+on\s+to)\s+(?:the\s+|a\s+)?(?:next|another|a\s+different|following)\s+"
           rf"(?:question|speaker|topic|point|item)\b)?(?=\s*[.;!]|$)(?P<obj>[^.!?]*)", "subject",
           nouns="opinion", quotes=True),
    _frame("X笑了笑", rf"{_PL}{_ADV_ZH}*(?:只是)?(?:笑了笑|笑笑|笑而不答|摆摆手|摆了摆手|耸耸肩|"
           rf"耸了耸肩|沉默不语)(?:[，,]\s*(?:没有|未|并未|不置可否)(?:回答|作答|回应|表态)?)?"
           rf"(?=[。！；;!]|$)", "subject"),
    _frame("X declined to comment", rf"{_PL}\s+(?:(?:politely|again|also)\s+)?(?:declined|"
           rf"declines|refused|refuses|would\s+not|wouldn't)\s+(?:to\s+)?(?:comment|be\s+drawn|"
           rf"answer|say\s+more|elaborate)\b(?=\s*[.;!]|$)", "subject"),
    _frame("X拒绝置评", rf"{_PL}{_ADV_ZH}*(?:拒绝|婉拒|不予|谢绝|没有|未)(?:了)?(?:置评|评论|回应|"
           rf"表态|作答|回答)(?=[。！；;!]|$)", "subject"),
    # translating someone else's question or words
    _frame("X translated a question", rf"{_PL}\s+(?:(?:also|then|kindly)\s+)?(?:translated|"
           rf"translates|interpreted|interprets|relayed|relays|read\s+out|reads\s+out)\s+(?:a|"
           rf"the|one|two|each|another|several|this|that)\s+(?:\w+\s+)?(?:questions?|remarks?|"
           rf"comments?|statement|intervention)\b(?P<obj>[^.!?;]*)", "subject", nouns=None,
           quotes=True, strip=r"(?i)\b[\w-]+-speaking\b"),
    _frame("X帮忙翻译", rf"{_PL}{_ADV_ZH}*(?:把|将|帮|替|为)[^，。；,;{_P[1:-1]}]{{0,20}}?"
                    rf"(?:翻译|译|"
           rf"做翻译|当翻译|传译)(?:成|为)?(?:了)?(?:中文|英文|汉语|英语|中英文)?(?P<obj>[^。！？；;!?]*)",
           "subject", nouns="opinion", quotes=True),
    # a namesake: someone said to be unrelated to the forum ("X, the heroine of a ghost story,
    # has nothing to do with this forum", "此X非彼X")
    # The rest of the clause after the frame is looked at (not taken) as part of ``obj``: "X,
    # who has nothing to do with this forum, said …" and "X虽与本论坛无关，但认为……" report her
    # view; a concessive clause about someone else ("…, whatever the search engine thinks")
    # does not.
    _frame("X has nothing to do with the forum", rf"{_PL}(?P<obj>[^.!?;]{{0,60}}?)\s+(?:has|had|"
           rf"have)\s+nothing\s+to\s+do\s+with\s+(?:this|the|our)\s+(?:forum|meeting|event|"
           rf"conference|workshop|session)\b(?=(?P<obj_rest>(?:(?!{_STOP_EN})[^.!?;])*))",
           "subject", nouns="opinion", quotes=True, strip=_NAMESAKE_ASIDE),
    _frame("X与本论坛无关", rf"{_PL}(?P<obj>[^。！？；;!?]{{0,30}}?)(?:与|跟|和)(?:本|这次|此次|"
           rf"这个)(?:论坛|会议|活动)(?:毫无|没有|并无|无)(?:任何)?(?:关系|关联)"
           rf"(?=(?P<obj_rest>{_REST_ZH}))|"
           rf"{_PL}(?P<obj2>[^。！？；;!?]{{0,30}}?)(?:与|跟|和)(?:本|这次|此次)(?:论坛|会议)无关"
           rf"(?=(?P<obj2_rest>{_REST_ZH}))",
           "subject", nouns=None, strip=_NAMESAKE_ASIDE),
    # a sentence that is only names (a caption or a list)
    _frame("names only", rf"^(?:[^，。；,;]{{0,12}}(?:期间|时|间隙|现场|会上|会后|会前)的)?"
           rf"{_PL}\s*[.。;；]?$",
           "object"),
)

# Modifiers: a description of a mention that leaves the mention in place.
_MODIFIERS: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(rf"({_P})\s*[(（](?P<obj>[^()（）]{{0,100}})[)）]"), True),
    (re.compile(rf"({_P}),\s*(?P<obj>(?:[Tt]he|[Aa]n?|[Oo]ne\s+of\s+the|[Bb]oth|[Aa]ll|[A-Z])"
                rf"[^,;:.!?]{{0,100}}),"), True),
    (re.compile(rf"(?<=host|hair|ator|izer|iser|enor|ener|ctor|llow|icer|pert|olar|cher),\s*"
                rf"({_P}),(?=\s)", re.IGNORECASE), False),
    (re.compile(rf"({_P}),?\s+who\s+(?P<obj>(?:is|was|are|were|serves\s+as|served\s+as|has\s+been|"
                rf"also\s+|{_CHAIR_EN}|{_ATTEND_EN})\b[^,;:.!?]*),?", re.IGNORECASE), True),
    (re.compile(rf"(?<![A-Za-z])(?:[A-Z][\w.&-]*)'s\s+({_P})"), False),
    (re.compile(rf"({_P})\s*[(（](?P<obj>{_POSITION})[)）]"), False),
    (re.compile(rf"({_P}),\s*(?P<obj>{_POSITION}),", re.IGNORECASE), False),
    (re.compile(rf"({_P}),\s*(?P<obj>(?:现任|系|时任)?[^，。；,]{{2,40}}(?:主任|教授|研究员|院长|所长|"
                rf"学者|专家|大使|将军|博士)),"), True),
)
# Labels in front of a caption or a list ("Photo:", "From left:", "图为"): what follows is judged
# on its own.
_LABEL = re.compile(
    r"^\s*(?:(?:photo\s+caption|caption|photo|photograph|pictured|picture|image|above|below|top|bottom|in\s+the\s+photo|"
    r"from\s+left(?:\s+to\s+right)?|from\s+right(?:\s+to\s+left)?|left\s+to\s+right|l-r|"
    r"l\s+to\s+r|clockwise\s+from\s+(?:top\s+)?left|front\s+row|back\s+row)\s*(?:\([^)]*\))?"
    r"\s*[:：\-,]\s*|(?:图为|图中为|图中|照片为|照片中为|画面中为|图片为|图|照片|图片|画面|图\s*photo)[：:]?\s*|"
    r"(?:左起|右起|从左至右|从左到右|自左至右|前排左起|后排左起)[：:，,]?\s*(?:依次为|分别为|为|是)?\s*|"
    r"(?:[上下左右]图|图[一二三四五六七八九十\d]+|嘉宾简介|人物简介|简介|bios?)"
    r"\s*[：:]?\s*)",
    re.IGNORECASE)
_RELATIVE = re.compile(rf"{_F}\s*,?\s*(?:who|whose|whom)\b", re.IGNORECASE)
_PRONOUN = re.compile(
    # "his session", "her team": a possessive before a neutral noun says nothing of a view
    r"(?<![A-Za-z])(?:he|she|him|hers|himself|herself|(?:his|her)(?!\s+(?:own\s+)?(?:session|"
    r"sessions|panel|chairing|chairmanship|moderation|team|colleagues?|institute|institution|"
    r"centre|center|university|office|seat|turn|welcome|introduction|hospitality|invitation|"
    r"support|help|assistance|photo|portrait|career|background|biography|bio)\b))(?![A-Za-z])|"
    r"(?<![其吉利])(?:他|她)(?![们人国者乡方日处物])", re.IGNORECASE)

# "the latter" / "the former" after two names in the sentence ("Both Dong Ting and Zhou Bo spoke
# after lunch; the latter argued …")
_LATTER = re.compile(r"(?<![A-Za-z])the\s+(?:latter|former)(?![A-Za-z])|后者|前者", re.IGNORECASE)
# a message that opens by addressing a participant ("Hi Dong Ting, …", "董老师：…"), and the
# second person in its later sentences ("Your point that …", "您提出的…")
_SALUTATION = re.compile(r"^\W*(?:(?:dear|hi|hello)\s+|尊敬的|亲爱的)?$", re.IGNORECASE)
_SALUTATION_AFTER = re.compile(r"(?:老师|女士|先生|教授|博士)?(?:您好|你好)?\s*[：:,，]")
_SECOND_PERSON = re.compile(r"(?<![A-Za-z])(?:you|your|yours|yourself)(?![A-Za-z])|您(?!们)|"
                            r"你(?![们好])", re.IGNORECASE)

# "the chair" / "主持人" in a sentence that names nobody, after a sentence that named a chair
# ("Session 4 (chair: Zhou Bo). The chair argued …"): it stands for whom that sentence named
_ROLE_ANAPHORA = re.compile(
    r"(?<![A-Za-z])the\s+(?:session\s+|panel\s+)?(?:chair|chairperson|chairman|chairwoman|"
    r"moderator)(?![A-Za-z])(?!\s+(?:of|for)\b)|(?:(?<![\u4e00-\u9fff])|(?<=该)|(?<=这位))"
    r"(?:单元)?主持人(?!之一)", re.IGNORECASE)


# A view owned through a possessive or a source at the end ("The image of … as '…' is Zhou
# Bo's.", "That line was Dong Ting's", "这个比喻是周波的。", "这一说法出自肖茜。"): the subject is a
# quotation or a noun of a view; and a quotation signed with a dash.
_OWNED = re.compile(
    rf"(?:[\"“”'‘’「」]|\b(?:image|idea|phrase|metaphor|view|line|formula|argument|proposal|"
    rf"point|words|coinage|notion|analogy|framing|quip|remark|slogan|term)s?\b)"
    rf"[^.!?;{_P[1:-1]}]{{0,120}}?\b(?:is|was|are|were)\s+(?:all\s+|originally\s+|in\s+fact\s+)?"
    rf"{_P}'s?\s*[.!]?\s*$|"
    rf"(?:[“”「」\"]|比喻|说法|观点|提法|主张|判断|意象|表述|金句|论断|这句话|那句话|这番话|"
    rf"这个词|这一概念)[^。！？；{_P[1:-1]}]{{0,60}}?(?<!并非)(?<!不是)(?:是|出自|来自|源自|"
    rf"属于)\s*{_P}(?:的)?\s*[。！]?\s*$|"
    # a quotation signed with a dash ("'If you can't verify it …' — Zhou Bo", "“……”——周波")
    rf"[\"”’'」』]\s*[.。!！?？]?\s*(?:[—–]+|-{{1,2}})\s*{_P}\s*[.。]?\s*$", re.IGNORECASE)
# A quotation signed on its own line or after its closing mark ("'…' — Zhou Bo", "“……”——董汀"):
# the sentence after a quotation that is only a dash and a name.
_QUOTATION_END = re.compile(r"[\"”’'」』]\s*$")
_SIGNATURE = re.compile(rf"^\s*(?:[—–]+|-{{1,2}})\s*{_P}\s*[.。]?\s*$")
# A question asking who holds a view ("问：是谁认为……？", "Q: Who argued that …?"): the
# sentence after it answers with the holder.
_WHO_ASKED = re.compile(
    r"(?:是)?谁(?:在|曾|最早|首先|最先)?(?:认为|主张|提出|建议|表示|说|指出|强调|反对|支持|呼吁|"
    r"警告)[^？?]*[？?]\s*$|(?<![A-Za-z])who\s+(?:first\s+)?(?:argued|argues|said|says|proposed|"
    r"proposes|suggested|suggests|warned|warns|claimed|claims|thinks|thought|believes|believed|"
    r"holds|held|called\s+for|calls\s+for|insisted|maintained|made\s+the\s+(?:point|case))"
    r"\b[^?]*\?\s*$", re.IGNORECASE)


# --- findings --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """A sentence that attributes speech or a view to a participant it names or identifies.

    Attributes
    ----------
    sentence : str
        The sentence as written (spacing normalised).
    people : tuple of Participant
        Whom it names or identifies.
    mentions : tuple of str
        The words that name or identify them.
    """

    sentence: str
    people: tuple[Participant, ...]
    mentions: tuple[str, ...]

    @property
    def names(self) -> str:
        """Who, in both scripts: ``Xiao Qian (肖茜)``."""
        return "; ".join(p.label for p in self.people)

    def __str__(self) -> str:
        return f"“{self.sentence}” identifies {self.names}"


# Checked texts: ((participants, sessions), text) -> findings. Bounded; cleared when full.
_RESULTS: dict[tuple[tuple[tuple[Participant, ...], tuple[SessionTopic, ...], bool], str],
               tuple[Finding, ...]] = {}
_RESULTS_MAX = 10_000


class AttributionChecker:
    """The attribution policy on free text, for the participants of one event.

    Parameters
    ----------
    participants : iterable of Participant
        Everyone who took part. With none, :meth:`check` finds nothing (the event allows
        attribution, or has no records of people).
    sessions : iterable of SessionTopic
        The event's sessions and what they are about, so that a chair named through the
        session's order or topic ("the chair of the session on non-state actors") is found.

    Examples
    --------
    >>> checker = AttributionChecker([Participant("xq", "Xiao Qian", "肖茜")])
    >>> [f.names for f in checker.check("XIAO\\u200bQIAN urged restraint.")]
    ['Xiao Qian (肖茜)']
    >>> checker.check("The first session was chaired by Xiao Qian.")
    []
    """

    def __init__(self, participants: Iterable[Participant] = (),
                 sessions: Iterable[SessionTopic] = (), *, use_model: bool = True) -> None:
        self.participants = tuple(participants)
        self.sessions = tuple(sessions)
        self.use_model = use_model
        self._finder = MentionFinder(self.participants, self.sessions)
        self._key = (self.participants, self.sessions, use_model)

    @property
    def applies(self) -> bool:
        """Whether there is anyone to protect."""
        return bool(self.participants)

    def check(self, text: str | None) -> list[Finding]:
        """Every sentence of ``text`` that attributes speech or a view to a participant.

        Results are remembered per people, sessions and text (texts are checked again each
        time they are shown), so a page that shows many stored texts costs one lookup each."""
        if not text or not self.applies:
            return []
        key = (self._key, text)
        found = _RESULTS.get(key)
        if found is None:
            found = tuple(self._check(text))
            if len(_RESULTS) >= _RESULTS_MAX:
                _RESULTS.clear()
            _RESULTS[key] = found
        return list(found)

    def _check(self, text: str) -> list[Finding]:
        findings: list[Finding] = []
        for paragraph in re.split(r"\n\s*\n", text):
            previous: frozenset[str] = frozenset()
            addressee: frozenset[str] = frozenset()
            asked_who = quoted = False
            for position, sentence in enumerate(sentences(paragraph)):
                finding, named = self._check_sentence(sentence, previous, addressee,
                                                      answers_who=asked_who, signs=quoted)
                if finding is not None:
                    findings.append(finding)
                previous = named
                asked_who = bool(_WHO_ASKED.search(normalise(sentence)))
                quoted = bool(_QUOTATION_END.search(sentence))
                if position == 0:
                    addressee = self._addressee(sentence)
        return findings

    def _addressee(self, sentence: str) -> frozenset[str]:
        """Whom a message opening with ``sentence`` is addressed to ("Hi Dong Ting, …",
        "董老师：…"): the second person in the sentences after it stands for them."""
        norm = normalise(sentence)
        mentions = self._finder.find(norm)
        if not mentions or not _SALUTATION.match(norm[:mentions[0].start]) or not \
                _SALUTATION_AFTER.match(norm, mentions[0].end):
            return frozenset()
        return mentions[0].people

    def templates(self, text: str) -> list[tuple[str, bool]]:
        """Each sentence of ``text`` that names or identifies a participant, as the template
        the model reads (:func:`detente.forum._model.masked`), and whether the rules alone
        hold it (what the model is trained on)."""
        found: list[tuple[str, bool]] = []
        for paragraph in re.split(r"\n\s*\n", text):
            previous: frozenset[str] = frozenset()
            addressee: frozenset[str] = frozenset()
            for position, sentence in enumerate(sentences(paragraph)):
                norm = normalise(sentence)
                mentions = self._finder.find(norm)
                named = frozenset().union(*(m.people for m in mentions)) if mentions \
                    else frozenset()
                template, people = _template(norm, mentions, named or previous,
                                             anaphora=not named, addressee=addressee)
                if people:
                    found.append((_model_text(template), bool(_attributed(template))))
                previous = named or previous
                if position == 0:
                    addressee = self._addressee(sentence)
        return found

    def _check_sentence(self, sentence: str, previous: frozenset[str],
                        addressee: frozenset[str] = frozenset(), *,
                        answers_who: bool = False, signs: bool = False
                        ) -> tuple[Finding | None, frozenset[str]]:
        norm = normalise(sentence)
        mentions = self._finder.find(norm)
        named = frozenset().union(*(m.people for m in mentions)) if mentions else frozenset()
        template, people = _template(norm, mentions, named or previous, anaphora=not named,
                                     addressee=addressee)
        if not people:
            return None, named
        flagged = _attributed(template)
        # a view owned outright ("The image … is Zhou Bo's", "这个比喻出自周波") and the answer
        # to a question asking who holds a view ("问：是谁认为……？答：是……周波。") are the
        # holder's whatever the model weighs: their words of view are in the quotation or in
        # the question before
        strong = answers_who or bool(_OWNED.search(template)) or (
            signs and bool(_SIGNATURE.match(template)))
        if flagged and self.use_model and not strong and \
                _model_releases(_model_text(template)):
            flagged = []
        if not flagged:
            return None, named or previous
        keys = {k for index in flagged for k in people[index][0]}
        found = tuple(p for p in self.participants if p.key in keys)
        words = tuple(dict.fromkeys(people[index][1] for index in flagged))
        return Finding(sentence, found, words), named or previous


def _template(norm: str, mentions: Sequence[Mention], pronoun_people: frozenset[str],
              *, anaphora: bool = False, addressee: frozenset[str] = frozenset()
              ) -> tuple[str, dict[int, tuple[frozenset[str], str]]]:
    """``norm`` with each mention (and each pronoun standing for one, with ``anaphora`` "the
    chair" standing for whom the sentence before named, "the latter" and "the former" for one
    of the names before them, and "you" for the ``addressee`` of a message) replaced by a
    placeholder character; returns the placeholders' people and words."""
    people: dict[int, tuple[frozenset[str], str]] = {}
    pieces: list[str] = []
    cursor = 0
    for index, mention in enumerate(mentions):
        pieces.append(norm[cursor:mention.start])
        pieces.append(chr(_MENTION_BASE + index))
        people[index] = (mention.people, mention.text)
        cursor = mention.end
    pieces.append(norm[cursor:])
    template = "".join(pieces)

    def latter(match: re.Match[str]) -> str:
        before = [ord(c) - _MENTION_BASE for c in template[:match.start()]
                  if _MENTION_BASE <= ord(c) < _FRAME_BASE]
        if len({people[i][0] for i in before}) < 2 or len(people) >= 0x300:
            return match.group(0)
        chosen = before[0] if match.group(0).lower().endswith(("former", "前者")) else before[-1]
        index = len(people)
        people[index] = (people[chosen][0], match.group(0))
        return chr(_MENTION_BASE + index)
    template = _LATTER.sub(latter, template)
    if addressee and not mentions:
        def you(match: re.Match[str]) -> str:
            index = len(people)
            if index >= 0x300:
                return match.group(0)
            people[index] = (addressee, match.group(0))
            return chr(_MENTION_BASE + index)
        template = _SECOND_PERSON.sub(you, template)
    if pronoun_people:
        def pronoun(match: re.Match[str]) -> str:
            index = len(people)
            if index >= 0x300:
                return match.group(0)
            people[index] = (pronoun_people, match.group(0))
            return chr(_MENTION_BASE + index)
        template = _PRONOUN.sub(pronoun, template)
        if anaphora:
            template = _ROLE_ANAPHORA.sub(pronoun, template)
    return template, people


def _attributed(template: str) -> list[int]:
    """Indexes of the mentions that ``template`` attributes speech or a view to (empty when
    every mention stands in a neutral construction)."""
    template, consumed = _reduce(template)
    left = [ord(c) - _MENTION_BASE for c in template if _MENTION_BASE <= ord(c) < _FRAME_BASE]
    if left:
        return left
    flagged: list[int] = []
    for match in _RELATIVE.finditer(template):
        marker = next(c for c in match.group(0) if ord(c) >= _FRAME_BASE)
        flagged += consumed[ord(marker) - _FRAME_BASE][1]
    lists = [inside for kind, inside in consumed.values() if kind == "list"]
    if lists and _has_cue(re.sub(_F, " ", template)):
        flagged += [i for inside in lists for i in inside]
    return sorted(set(flagged))


# Appended to what the model reads: whether the words left outside the neutral constructions
# report speech or a view by the lexicons (a verb, a noun of opinion, a quotation or a colon).
# The rules hold a mention whatever its verb; the model weighs that with the words around it.
MODEL_CUE, MODEL_NO_CUE = CUE, NO_CUE


def _model_text(template: str) -> str:
    """The template as the model reads it: itself and the lexicons' verdict on what the
    neutral constructions leave."""
    reduced, _consumed = _reduce(template)
    rest = re.sub(f"{_F}|{_P}", " ", reduced)
    cue = _has_cue(rest, nouns="opinion", quotes=True, others=True) or ":" in rest
    return template + (MODEL_CUE if cue else MODEL_NO_CUE)


def _reduce(template: str) -> tuple[str, dict[int, tuple[str, list[int]]]]:
    """``template`` with its modifiers folded and each neutral construction replaced by a
    marker, and what each marker took (its kind and its mentions)."""
    consumed: dict[int, tuple[str, list[int]]] = {}
    template = _LABEL.sub("", template, count=1)
    changed = True
    while changed:
        changed = False
        for regex, check in _MODIFIERS:
            def modify(match: re.Match[str], check: bool = check) -> str:
                obj = match.groupdict().get("obj")
                if check and obj and _has_cue(obj, nouns="opinion", quotes=True):
                    return match.group(0)
                return match.group(1)
            reduced = regex.sub(modify, template)
            if reduced != template:
                template, changed = reduced, True
        for frame in _FRAMES:
            match = _first_neutral(frame, template)
            if match is None:
                continue
            marker = chr(_FRAME_BASE + len(consumed))
            inside = [ord(c) - _MENTION_BASE for c in match.group(0) if
                      _MENTION_BASE <= ord(c) < _FRAME_BASE]
            consumed[ord(marker) - _FRAME_BASE] = (frame.kind, inside)
            template = template[:match.start()] + marker + template[match.end():]
            changed = True
            break
    return template, consumed


def _first_neutral(frame: _Frame, template: str) -> re.Match[str] | None:
    for match in frame.regex.finditer(template):
        # every part of the object ("obj", "obj2", "obj_rest" …) is checked
        obj = " ".join(v for k, v in match.groupdict().items() if k.startswith("obj") and v) \
            or None
        if frame.require is not None and not frame.require.search(obj or ""):
            continue
        if obj and frame.strip is not None:
            obj = frame.strip.sub(" ", obj)
        if obj:
            obj = _PROCEDURAL_ACTS.sub(" ", obj)
        if obj and _has_cue(obj, nouns=frame.nouns, quotes=frame.quotes, others=frame.others):
            continue
        return match
    return None


# --- the builder from an event's records -----------------------------------------------------

def _participant(person: Person, roles: Sequence[str]) -> Participant:
    affiliation = person.affiliation
    names = tuple(n for n in (affiliation.name, affiliation.short_name) if n) if affiliation \
        else ()
    local = (affiliation.name_local,) if affiliation and affiliation.name_local else ()
    return Participant(
        key=person.slug, name=person.name, name_local=person.name_local,
        titles=(person.title,) if person.title else (),
        titles_local=(person.title_local,) if person.title_local else (),
        affiliations=names, affiliations_local=local, roles=tuple(dict.fromkeys(roles)),
    )


def event_participants(event: Event, extra: Iterable[Person] = ()) -> list[Participant]:
    """Everyone who took part in ``event`` (any role, chairs, the closing speaker, and
    ``extra`` people such as deliberation participants linked to a person), with their roles."""
    roles: dict[int, list[str]] = {}
    people: dict[int, Person] = {}

    def add(person: Person | None, role: str) -> None:
        if person is None:
            return
        people.setdefault(person.id, person)
        roles.setdefault(person.id, []).append(role)

    positions = {s.id: s.position for s in event.sessions}
    for participation in event.participations:
        position = positions.get(participation.session_id) if participation.session_id else None
        if participation.role in (Role.CHAIR, Role.SPEAKER) and position:
            add(participation.person, f"{participation.role.value}:{position}")
        else:
            add(participation.person, participation.role.value)
    for session in event.sessions:
        add(session.chair, f"chair:{session.position}")
    add(event.closing_speaker, "closing")
    for person in extra:
        add(person, "participant")
    return [_participant(people[i], roles[i]) for i in people]


def event_sessions(event: Event) -> list[SessionTopic]:
    """What each session of ``event`` is about: its title and its themes, in both languages."""
    return [SessionTopic(
        s.position,
        tuple(t for t in (s.title, *(theme.name for theme in s.themes)) if t),
        tuple(t for t in (s.title_local, *(theme.name_local for theme in s.themes)) if t),
    ) for s in event.sessions]


def event_checker(event: Event, extra: Iterable[Person] = ()) -> AttributionChecker:
    """The checker for ``event``: its participants under the Chatham House rule, nobody (a
    checker that finds nothing) where the event allows attribution."""
    if not event.is_chatham_house:
        return AttributionChecker(())
    return AttributionChecker(event_participants(event, extra), event_sessions(event))
