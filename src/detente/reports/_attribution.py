"""The Chatham House check on free text that organizers write into public output.

Composed text never attributes a view (it is built from :func:`detente.forum.public_event`),
but an organizer's edits of a news item or a caption could. Under the rule, a sentence that
names a person who took part *and* uses a verb of speaking or holding a view is refused; naming
a chair as chair ("chaired by ...") stays allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from detente.store.models.forum import Event

__all__ = ["attribution_problems", "event_names"]

_EN_VERBS = (
    r"said|says|say|argued|argues|argue|noted|notes|stressed|stresses|emphasi[sz]ed|"
    r"emphasi[sz]es|stated|states that|remarked|remarks|observed|observes|warned|warns|"
    r"suggested|suggests|proposed|proposes|believes|believed|thinks|thought|thanked|thanks|"
    r"pointed out|according to|in (?:his|her|their) view|told|called for|calls for|"
    r"delivered|delivers|speech|spoke|speaks|concluded|concludes|insisted|insists|"
    r"maintained|maintains|contended|contends|claimed|claims|explained|explains"
)
_EN = re.compile(rf"\b(?:{_EN_VERBS})\b", re.IGNORECASE)
_ZH = re.compile(r"表示|指出|强调|认为|说|建议|感谢|致辞|发言|提出|主张|呼吁|谈到|提到|坦言|称")
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]?")


def event_names(event: Event) -> list[str]:
    """Every name (both scripts) of a person who took part in ``event`` in any role."""
    people = [p.person for p in event.participations]
    people += [s.chair for s in event.sessions if s.chair is not None]
    if event.closing_speaker is not None:
        people.append(event.closing_speaker)
    names: list[str] = []
    for person in people:
        for name in (person.name, person.name_local):
            if name and name not in names:
                names.append(name)
    return names


def attribution_problems(text: str | None, names: Iterable[str]) -> list[str]:
    """Sentences of ``text`` that attribute a view or a speech to one of ``names``."""
    if not text:
        return []
    names = [n for n in names if n]
    problems = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        if not sentence or not any(name in sentence for name in names):
            continue
        if _EN.search(sentence) or _ZH.search(sentence):
            problems.append(sentence)
    return problems
