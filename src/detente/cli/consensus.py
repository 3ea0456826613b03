"""``detente consensus PATH``: opinion groups and statements of a conversation as JSON.

A thin layer over :mod:`detente.consensus`; see docs/consensus.md for the JSON schema.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

from detente.errors import DetenteError, InvalidVotesError

__all__ = ["consensus_command", "register"]

#: Above this many votes (or with history replay) progress goes to stderr.
_PROGRESS_VOTES = 200_000


def _load(path: Path):  # type: ignore[no-untyped-def]
    from detente.consensus import read_polis_conversation, read_votes_csv

    if path.is_dir():
        conv = read_polis_conversation(path)
        return conv.matrix, conv.moderated_out
    if not path.exists():
        raise InvalidVotesError("no such file or folder", location=str(path))
    return read_votes_csv(path), []


def consensus_command(
    path: Path = typer.Argument(
        ...,
        help="Polis export folder (votes.csv, comments.csv) or a "
        "CSV with columns participant,statement,vote.",
    ),
    json_out: Path = typer.Option(None, "--json", help="Write the JSON here (default: stdout)."),
    history: int = typer.Option(
        0,
        "--history",
        min=0,
        help="Replay the update history, one update per N votes "
        "(needs timestamps; 0 = one fit on the final votes).",
    ),
    force_k: int = typer.Option(None, "--k", min=1, help="Use this many groups."),
    min_votes: int = typer.Option(7, "--min-votes", min=1, help="Votes needed to be clustered."),
    seed: int = typer.Option(0, "--seed", help="Random seed (results are deterministic)."),
) -> None:
    """Find opinion groups, representative, consensus and divisive statements (Polis math)."""
    from detente.consensus import Consensus

    try:
        matrix, moderated = _load(path)
        est = Consensus(force_k=force_k, min_votes=min_votes, random_state=seed)
        loud = matrix.n_votes >= _PROGRESS_VOTES or history > 0
        if loud:
            typer.echo(
                f"{matrix.shape[0]:,} participants, {matrix.shape[1]:,} statements, "
                f"{matrix.n_votes:,} votes",
                err=True,
            )
        if history:
            steps = max(1, -(-matrix.n_votes // history))
            with typer.progressbar(length=steps, label="replaying updates", file=sys.stderr) as bar:
                result = est.fit_history(
                    matrix,
                    moderated,
                    update_every=history,
                    progress=lambda done, total: bar.update(1),
                ).result_
        else:
            started = time.perf_counter()
            result = est.fit(matrix, moderated).result_
            if loud:
                typer.echo(
                    f"fitted in {time.perf_counter() - started:.1f} s: k = {result.k}, "
                    f"{int((result.labels >= 0).sum()):,} participants grouped",
                    err=True,
                )
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=1)
        if json_out is None:
            typer.echo(text)
        else:
            try:
                json_out.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise InvalidVotesError(
                    f"cannot write: {exc.strerror}", location=str(json_out)
                ) from None
            if loud:
                typer.echo(f"wrote {json_out}", err=True)
    except DetenteError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def register(app: typer.Typer) -> None:
    """Add ``consensus`` to the root command."""
    app.command("consensus")(consensus_command)
