"""The pairwise agreement index of UN voting studies, for all pairs at once.

Default convention (``"half"``), after Lijphart (1963) as used by Voeten's UN voting data:
over the roll calls on which both states cast yes, no or abstain,

    agreement = (full agreements + 0.5 × half agreements) / joint votes,

where a full agreement is the same vote (abstain-abstain included) and a half agreement is an
abstention against a yes or a no. Alternatives: ``"abstain-as-no"`` (an abstention counts as
a no) and ``"exclude-abstain"`` (roll calls where either abstains are left out). Absent and
non-member states take no part in a roll call.

References
----------
Lijphart, A. (1963). The analysis of bloc voting in the General Assembly. *American Political
Science Review* 57(4), 902-917.
Voeten, E. (2013). Data and analyses of voting in the United Nations General Assembly. In
*Routledge Handbook of International Organization*.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from detente.errors import InputError
from detente.i18n import current_language, ngettext
from detente.i18n import gettext as _
from detente.states._countries import successor
from detente.states._select import CODES, VoteData, session_year
from detente.states._text import full_stop, join

__all__ = [
    "CONVENTIONS",
    "THIN_BELOW",
    "agreement_matrix",
    "agreement_over_time",
    "alignment_notes",
    "lineage",
    "pair_agreement",
]

CONVENTIONS = ("half", "abstain-as-no", "exclude-abstain")
#: A session in which two states share fewer joint votes than this is *thin*: its agreement
#: rests on too few votes to stand beside sessions of about ninety (2023-2025 hold one
#: autonomous-weapons vote each), so it is flagged everywhere and left out of the line.
THIN_BELOW = 5
_Y, _A, _N = CODES["yes"], CODES["abstain"], CODES["no"]


def _check(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise InputError(_("unknown agreement convention %(convention)r (one of %(choices)s)")
                         % {"convention": convention, "choices": ", ".join(CONVENTIONS)},
                         location="--convention")


def _indicators(codes: np.ndarray, convention: str) -> tuple[np.ndarray, ...]:
    yes = (codes == _Y).astype(np.float64)
    no = (codes == _N).astype(np.float64)
    abstain = (codes == _A).astype(np.float64)
    if convention == "abstain-as-no":
        return yes, no + abstain, np.zeros_like(yes)
    if convention == "exclude-abstain":
        return yes, no, abstain  # abstain returned to exclude
    return yes, no, abstain


def agreement_matrix(codes: np.ndarray, convention: str = "half") -> tuple[np.ndarray, np.ndarray]:
    """Agreement of every pair of rows of ``codes`` and the number of joint votes.

    Parameters
    ----------
    codes : ndarray of int, shape (n_states, n_roll_calls)
        Vote codes (see :data:`detente.states._select.CODES`).
    convention : {"half", "abstain-as-no", "exclude-abstain"}

    Returns
    -------
    agreement : ndarray of float, shape (n_states, n_states)
        NaN where two states share no vote.
    joint : ndarray of int, shape (n_states, n_states)

    Examples
    --------
    >>> import numpy as np
    >>> a, n = agreement_matrix(np.array([[1, 1, 3], [1, 2, 1]]))
    >>> float(a[0, 1]), int(n[0, 1])
    (0.5, 3)
    """
    _check(convention)
    yes, no, abstain = _indicators(codes, convention)
    if convention == "exclude-abstain":
        voted = yes + no
        full = yes @ yes.T + no @ no.T
        half = np.zeros_like(full)
    else:
        voted = yes + no + abstain
        full = yes @ yes.T + no @ no.T + abstain @ abstain.T
        half = abstain @ (yes + no).T
        half = half + half.T
    joint = voted @ voted.T
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(joint > 0, (full + 0.5 * half) / joint, np.nan)
    return agreement, joint.astype(np.int64)


def pair_agreement(a: np.ndarray, b: np.ndarray, convention: str = "half") -> tuple[float, int]:
    """Agreement of two code vectors and their number of joint votes (NaN when none)."""
    agreement, joint = agreement_matrix(np.vstack([a, b]), convention)
    return float(agreement[0, 1]), int(joint[0, 1])


def lineage(state: str) -> tuple[str, ...]:
    """``state`` and every historical state whose series continues into it."""
    from detente.states._countries import countries

    return (state, *sorted(c for c in countries() if c != state and successor(c) == state))


def _series(data: VoteData, state: str, succession: bool) -> np.ndarray:
    """A state's votes, filled from its predecessors' where it has none (SUN for RUS...)."""
    codes = np.zeros(len(data.statements), dtype=np.int8)
    index = {s: i for i, s in enumerate(data.states)}
    if state in index:
        codes[:] = data.codes[index[state]]
    if succession:
        for other, i in index.items():
            if other != state and successor(other) == state:
                fill = (codes == 0) & (data.codes[i] != 0)
                codes[fill] = data.codes[i][fill]
    return codes


def agreement_over_time(data: VoteData, a: str, b: str, convention: str = "half",
                        succession: bool = True) -> list[dict[str, Any]]:
    """Per-session agreement of states ``a`` and ``b`` (ISO3).

    Every roll call of the session on which both voted counts. With ``succession`` a state's
    series continues through its predecessors (RUS through SUN, SRB through YUG, CZE
    through CSK, DEU through DDR where DEU has no vote, YEM through YAR and YMD).

    Returns
    -------
    list of dict
        ``{"session", "year", "agreement", "roll_calls", "thin"}`` per session with a joint
        vote; ``thin`` when the joint votes are fewer than :data:`THIN_BELOW`, and then
        ``joint`` lists them (``key``, ``resolution``, ``title``).
    """
    _check(convention)
    series_a, series_b = _series(data, a, succession), _series(data, b, succession)
    sessions = np.array([s["session"] if s["session"] is not None else -1
                         for s in data.statements])
    counted = (_Y, _N) if convention == "exclude-abstain" else (_Y, _N, _A)
    both = np.isin(series_a, counted) & np.isin(series_b, counted)
    out = []
    for session in sorted(set(sessions.tolist()) - {-1}):
        mask = sessions == session
        value, joint = pair_agreement(series_a[mask], series_b[mask], convention)
        if joint:
            row: dict[str, Any] = {"session": int(session), "year": session_year(int(session)),
                                   "agreement": round(value, 6), "roll_calls": joint,
                                   "thin": joint < THIN_BELOW}
            if row["thin"]:
                row["joint"] = [{"key": data.statements[j]["key"],
                                 "resolution": data.statements[j].get("resolution"),
                                 "title": data.statements[j].get("title") or ""}
                                for j in np.flatnonzero(mask & both)]
            out.append(row)
    return out


#: Thin sessions whose roll calls a note names one by one; past this many, only their years.
_NAMED_THIN = 6


def alignment_notes(series: list[dict[str, Any]], missing: list[list[int]],
                    titles: dict[str, str] | None = None) -> list[str]:
    """What a reader of two states' agreement over time must know, as sentences in the
    interface language: the runs of sessions of which no roll call is stored ("Sessions 75–77
    (2020–2022): no roll call in the data."), and the thin sessions with the roll calls they
    rest on ("2023, 2024, 2025: fewer than five joint roll calls each ... A/RES/78/241
    Lethal autonomous weapons systems (2023); ..."). ``titles`` maps UN symbols to Chinese
    titles."""
    zh = current_language() == "zh"
    notes = []
    for first, last in missing:
        years = (f"{session_year(first)}" if first == last
                 else f"{session_year(first)}{'—' if zh else '–'}{session_year(last)}")
        if first == last:
            notes.append(_("Session %(first)d (%(years)s): no roll call in the data.")
                         % {"first": first, "years": years})
        else:
            notes.append(_("Sessions %(first)d–%(last)d (%(years)s): no roll call in the data.")
                         % {"first": first, "last": last, "years": years})
    thin = [row for row in series if row.get("thin")]
    if thin:
        years = join(_year(row["year"]) for row in thin)
        text = ngettext(
            "%(years)s: fewer than %(num)d joint roll calls, too few to compare with the other "
            "sessions; shown in the table, left out of the line",
            "%(years)s: fewer than %(num)d joint roll calls each, too few to compare with the "
            "other sessions; shown in the table, left out of the line", len(thin)) % {
            "years": years, "num": THIN_BELOW}
        if len(thin) <= _NAMED_THIN:
            named = ("；" if zh else "; ").join(
                _roll_call_words(entry, row["year"], titles or {})
                for row in thin for entry in row.get("joint", []))
            text += ("：" if zh else ": ") + named
        notes.append(full_stop(text))
    return notes


def _year(year: int) -> str:
    return f"{year}年" if current_language() == "zh" else str(year)


def _roll_call_words(entry: dict[str, Any], year: int, titles: dict[str, str]) -> str:
    symbol = entry.get("resolution") or entry["key"]
    title = (titles.get(symbol) if current_language() == "zh" else None) or entry["title"]
    when = f"（{year}年）" if current_language() == "zh" else f" ({year})"
    return f"{symbol} {title}".strip() + when
