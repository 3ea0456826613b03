"""``detente consensus PATH``: opinion groups and statements of a conversation.

Prints a summary for people (English or Chinese); ``--json FILE`` or ``--json -`` writes the
JSON of docs/consensus.md. numpy and scipy are imported inside the command only, so that
``detente --help`` stays quick.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

import typer

from detente.capabilities import command_help
from detente.cli._common import bad_language, error_line, json_option, write_json
from detente.errors import DetenteError, InvalidVotesError

__all__ = ["consensus_command", "register", "render_summary"]

def _(message: str) -> str:
    """The message in the current language (gettext, imported when first needed so that
    ``detente --help`` does not load the catalogs)."""
    from detente.i18n import gettext

    return gettext(message)


#: Statement texts are cut to this many characters in the summary.
_TEXT_WIDTH = 90
#: Unclustered participants listed by id before "and N more".
_LIST_IDS = 10


class _Progress:
    """Progress lines on stderr, only for work that takes more than a second.

    ``stage`` records what is being done; a timer prints it once a second has passed, and
    later stages are printed as they start. ``done`` closes with the elapsed time.
    """

    def __init__(self, delay: float = 1.0) -> None:
        self._start = time.perf_counter()
        self._delay = delay
        self._stage = ""
        self._shown = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(delay, self._late)
        self._timer.daemon = True
        self._timer.start()

    def _late(self) -> None:
        with self._lock:
            if not self._shown and self._stage:
                self._shown = True
                typer.echo(f"{self._stage}…", err=True)

    def stage(self, text: str) -> None:
        with self._lock:
            self._stage = text
            if self._shown or time.perf_counter() - self._start >= self._delay:
                self._shown = True
                typer.echo(f"{text}…", err=True)

    def close(self) -> None:
        """Stop the timer (on every way out of the command)."""
        self._timer.cancel()

    def done(self, text: str) -> None:
        self._timer.cancel()
        with self._lock:
            if self._shown:
                seconds = f"{time.perf_counter() - self._start:.1f}"
                typer.echo(_("%(what)s in %(seconds)s s") % {"what": text, "seconds": seconds},
                           err=True)

    @property
    def shown(self) -> bool:
        return self._shown


def _load(path: Path) -> tuple[Any, list, dict]:
    """The vote matrix, moderated-out statement ids and statement texts of ``path``."""
    from detente.consensus import read_polis_conversation, read_votes_csv

    if path.is_dir():
        conv = read_polis_conversation(path)
        texts = {c["id"]: c["body"] for c in conv.comments}
        return conv.matrix, conv.moderated_out, texts
    if not path.exists():
        raise InvalidVotesError(_("no such file or folder"), location=str(path))
    return read_votes_csv(path), [], {}


def _share(value: float) -> str:
    return f"{100 * value:.0f}%"


def _vote_share(direction: str, share: float, votes: int) -> str:
    values = {"share": _share(share), "n": f"{votes:,}"}
    if direction == "agree":
        return _("%(share)s agree (%(n)s votes)") % values
    return _("%(share)s disagree (%(n)s votes)") % values


def _text(statement: Any, texts: dict) -> str:
    body = " ".join(str(texts.get(statement, "")).split())
    if len(body) > _TEXT_WIDTH:
        body = body[: _TEXT_WIDTH - 1].rstrip() + "…"
    return f"[{statement}] {body}".rstrip()


def render_summary(result: Any, texts: dict, *, min_votes: int, source: str) -> str:
    """The summary a person reads: k, groups with their representative statements,
    consensus and divisive statements, and who was left out (current language)."""
    from detente.charts import group_label, group_name

    lines = [
        source,
        _("%(participants)s participants, %(statements)s statements, %(votes)s votes")
        % {
            "participants": f"{len(result.participant_ids):,}",
            "statements": f"{len(result.statement_ids):,}",
            "votes": f"{result.n_votes:,}",
        },
    ]
    grouped = sum(len(g.members) for g in result.groups)
    if result.k:
        lines.append(
            _("%(k)s opinion groups: %(sizes)s")
            % {
                "k": result.k,
                "sizes": _(", ").join(
                    _("%(name)s %(n)s") % {"name": group_name(g.id), "n": f"{len(g.members):,}"}
                    for g in result.groups
                ),
            }
        )
    else:
        lines.append(_("No opinion groups: too few votes to group anyone."))
    for g in result.groups:
        lines += ["", _("%(name)s — %(n)s participants") % {
            "name": group_name(g.id), "n": f"{len(g.members):,}"}]
        lines.append("  " + _("Representative statements:"))
        if not g.representative:
            lines.append("    " + _("none"))
        for r in g.representative:
            seen = r.n_agree + r.n_disagree + r.n_pass
            share = (r.n_agree if r.direction == "agree" else r.n_disagree) / max(seen, 1)
            vote = _vote_share(r.direction, share, seen)
            lines.append(f"    {vote}  {_text(r.statement, texts)}")
    lines += ["", _("Consensus statements (shared across the conversation):")]
    if not result.consensus:
        lines.append("  " + _("none"))
    for c in result.consensus:
        share = (c.n_agree if c.direction == "agree" else c.n_disagree) / max(c.n_votes, 1)
        lines.append(f"  {_vote_share(c.direction, share, c.n_votes)}  {_text(c.statement, texts)}")
    lines += ["", _("Divisive statements (the groups split):")]
    if not result.divisive:
        lines.append("  " + _("none"))
    for d in result.divisive:
        shares = _(", ").join(
            f"{group_label(g)} {_share(s)}" for g, s in sorted(d.group_agree_shares.items())
        )
        lines.append(
            "  " + _("divisiveness %(d)s, agree by group: %(shares)s")
            % {"d": f"{d.divisiveness:.2f}", "shares": shares}
            + f"  {_text(d.statement, texts)}"
        )
    left = [str(p) for p in result.unclustered.tolist()]
    lines.append("")
    if left:
        shown = ", ".join(left[:_LIST_IDS])
        more = (
            " " + _("and %(n)s more") % {"n": f"{len(left) - _LIST_IDS:,}"}
            if len(left) > _LIST_IDS
            else ""
        )
        lines.append(
            _("Not in a group: %(n)s participants with fewer than %(m)s votes: %(ids)s")
            % {"n": f"{len(left):,}", "m": min_votes, "ids": shown + more}
        )
    else:
        lines.append(_("Every participant is in a group (%(n)s).") % {"n": f"{grouped:,}"})
    return "\n".join(lines)


def consensus_command(
    path: Path = typer.Argument(
        ...,
        help="Polis export folder (votes.csv or participants-votes.csv, comments.csv) or a "
        "CSV with columns participant,statement,vote[,timestamp].",
    ),
    json_out: str = json_option,
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="Language of the summary: en or zh (default: the locale, e.g. LANG=zh_CN.UTF-8).",
    ),
    history: int = typer.Option(
        0,
        "--history",
        min=0,
        help="Replay the update history, one update per N votes "
        "(needs timestamps; 0 = one fit on the final votes).",
    ),
    force_k: int = typer.Option(None, "--k", min=1, help="Use this many groups."),
    min_votes: int = typer.Option(7, "--min-votes", min=1, help="Votes needed to be clustered."),
    seed: int = typer.Option(0, "--seed", min=0,
                             help="Random seed (results are deterministic)."),
) -> None:
    """``detente consensus`` (its help: :func:`detente.capabilities.command_help`)."""
    from detente.i18n import current_language, use_language

    try:
        if lang not in (None, "en", "zh"):
            raise bad_language(lang, "--lang")
        with use_language(lang or current_language()):
            _run(path, json_out, history, force_k, min_votes, seed)
    except DetenteError as exc:
        typer.echo(error_line(exc), err=True)
        raise typer.Exit(2) from exc


def _run(
    path: Path, json_out: str | None, history: int, force_k: int | None, min_votes: int, seed: int
) -> None:
    progress = _Progress()
    try:
        _fit_and_render(progress, path, json_out, history, force_k, min_votes, seed)
    finally:
        progress.close()


def _fit_and_render(
    progress: _Progress,
    path: Path,
    json_out: str | None,
    history: int,
    force_k: int | None,
    min_votes: int,
    seed: int,
) -> None:
    progress.stage(_("reading %(path)s") % {"path": path})
    from detente.consensus import Consensus

    matrix, moderated, texts = _load(path)
    if history and matrix.timestamps is None:  # said before any progress is shown
        raise InvalidVotesError(_("--history needs vote timestamps: a timestamp column"),
                                location=str(path))
    est = Consensus(force_k=force_k, min_votes=min_votes, random_state=seed)
    progress.stage(
        _("finding opinion groups in %(votes)s votes of %(participants)s participants")
        % {"votes": f"{matrix.n_votes:,}", "participants": f"{matrix.shape[0]:,}"}
    )
    if history:
        steps = max(1, -(-matrix.n_votes // history))
        with typer.progressbar(
            length=steps, label=_("replaying updates"), file=sys.stderr
        ) as bar:
            est.fit_history(
                matrix,
                moderated,
                update_every=history,
                progress=lambda done, total: bar.update(1),
            )
    else:
        est.fit(matrix, moderated)
    result = est.result_
    progress.done(_("%(k)s opinion groups found") % {"k": result.k})
    if json_out is not None:
        write_json(result.to_json(), json_out)
        if json_out == "-":
            return
    typer.echo(render_summary(result, texts, min_votes=min(min_votes, max(matrix.shape[1], 1)),
                              source=str(path)))


def register(app: typer.Typer) -> None:
    """Add ``consensus`` to the root command."""
    app.command("consensus", help=command_help("consensus"))(consensus_command)
