"""The ``Consensus`` estimator: Polis's conversation update as named, testable steps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from numbers import Integral, Real
from typing import Any

import numpy as np

from detente.errors import InvalidParameterError, InvalidVotesError

from ._clustering import Clustering, KSmoother, kmeans, pairwise_distances, silhouette
from ._matrix import VoteMatrix, _map_ids
from ._pca import center, pca_components, project
from ._repness import (
    VoteCounts,
    count_votes,
    count_votes_delta,
    divisiveness,
    group_informed_consensus,
    group_stats,
    select_consensus,
    select_representative,
    z_to_alpha,
)
from ._result import (
    ConsensusResult,
    ConsensusStatement,
    DivisiveStatement,
    Group,
    RepresentativeStatement,
)

__all__ = ["Consensus", "ConsensusState"]


@dataclass(frozen=True, eq=False)
class ConsensusState:
    """What one Polis math update hands to the next (warm-start state).

    Attributes
    ----------
    in_conv : ndarray of bool, shape (n_participants,)
        Participants admitted to clustering; monotone across updates.
    components : ndarray of float64, shape (2, n_statements) or None
        PCA axes of the previous update (power-iteration start vectors).
    base : Clustering or None
        Base clusters (keys = participant rows), recentred at the next update.
    by_k : dict of int to Clustering
        Group clustering per candidate k (keys = base-cluster ids), warm starts per k.
    smoother : KSmoother
        Group-count smoother state.
    """

    in_conv: np.ndarray
    components: np.ndarray | None = None
    base: Clustering | None = None
    by_k: dict[int, Clustering] = field(default_factory=dict)
    smoother: KSmoother = field(default_factory=KSmoother)

    def padded(self, n_rows: int, n_cols: int) -> ConsensusState:
        """The same state for a matrix that grew to ``(n_rows, n_cols)`` (appended ids)."""
        if self.in_conv.size > n_rows or (
            self.components is not None and self.components.shape[1] > n_cols
        ):
            raise InvalidVotesError(
                "init_state comes from a larger matrix; warm starts need the previous "
                "participants and statements first, in the same order (use VoteMatrix.merge)",
                location="init_state",
            )
        in_conv = np.zeros(n_rows, dtype=bool)
        in_conv[: self.in_conv.size] = self.in_conv
        comps = self.components
        if comps is not None and comps.shape[1] < n_cols:
            comps = np.hstack([comps, np.zeros((comps.shape[0], n_cols - comps.shape[1]))])
        return replace(self, in_conv=in_conv, components=comps)


def _is_int(v: Any) -> bool:
    return isinstance(v, Integral) and not isinstance(v, bool)


def _k_range_ok(v: Any) -> bool:
    return isinstance(v, tuple) and len(v) == 2 and all(_is_int(x) for x in v) and 1 <= v[0] <= v[1]


#: Participants above which Polis switches to mini-batch PCA (conversation.clj ``large-cutoff``);
#: a cold ``pca_solver="auto"`` runs Polis's power iteration up to this size.
_POLIS_LARGE_CUTOFF = 10_000

#: Parameter constraints as data: name -> (predicate, description used in the error).
#: The order is the constructor's; ``get_params`` and ``_validate_params`` follow it.
_PARAMETER_CONSTRAINTS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "min_votes": (lambda v: _is_int(v) and v >= 1, "an int >= 1"),
    "min_participants_topup": (lambda v: _is_int(v) and v >= 0, "an int >= 0"),
    "k_range": (_k_range_ok, "a tuple (k_min, k_max) of ints with 1 <= k_min <= k_max"),
    "force_k": (lambda v: v is None or (_is_int(v) and v >= 1), "None or an int >= 1"),
    "base_k": (lambda v: _is_int(v) and v >= 2, "an int >= 2"),
    "base_iters": (lambda v: _is_int(v) and v >= 1, "an int >= 1"),
    "group_iters": (lambda v: _is_int(v) and v >= 1, "an int >= 1"),
    "group_k_buffer": (lambda v: _is_int(v) and v >= 1, "an int >= 1"),
    "significance": (
        lambda v: isinstance(v, Real) and not isinstance(v, bool) and float(v) > 0,
        "a positive number",
    ),
    "max_representative": (lambda v: _is_int(v) and v >= 1, "an int >= 1"),
    "n_consensus": (lambda v: _is_int(v) and v >= 0, "an int >= 0"),
    "n_divisive": (lambda v: _is_int(v) and v >= 0, "an int >= 0"),
    "pca_iters": (lambda v: _is_int(v) and v >= 1, "an int >= 1"),
    "pca_solver": (
        lambda v: v in ("auto", "exact", "power", "lanczos"),
        "one of 'auto', 'exact', 'power', 'lanczos'",
    ),
    "random_state": (  # numpy's default_rng takes no negative seed
        lambda v: v is None or (_is_int(v) and v >= 0) or isinstance(v, np.random.Generator),
        "None, an int >= 0 or a numpy Generator",
    ),
}


@dataclass(frozen=True, eq=False)
class _Fitted:
    state: ConsensusState
    projection: np.ndarray
    labels: np.ndarray
    k: int
    silhouettes: dict[int, float] = field(default_factory=dict)


class Consensus:
    """Polis-faithful opinion groups, representative and consensus statements.

    Parameters
    ----------
    min_votes : int, default 7
        Votes (passes included) needed to enter clustering, capped by the number of
        statements (Polis: min(7, n_cmts)).
    min_participants_topup : int, default 15
        If fewer are admitted, the most active voters are added up to this many.
    k_range : tuple (k_min, k_max), default (2, 5)
        Candidate group counts; Polis also caps k_max at 2 + #base clusters // 12.
    force_k : int or None
        Use this many groups instead of the silhouette choice (for comparisons).
    base_k : int, default 100
        Number of base clusters (fine k-means on the 2-D projection).
    base_iters, group_iters : int, default 100, 20
        k-means iteration caps at base and group level (as Polis runs them).
    group_k_buffer : int, default 4
        Updates a new best k must persist before it is published.
    significance : float, default 1.2816
        z threshold (one-sided 90%) for representative, consensus and divisive statements.
    max_representative, n_consensus, n_divisive : int, default 5, 5, 5
        List lengths (per group, per direction, overall).
    pca_iters : int, default 100
        Power-iteration rounds per component.
    pca_solver : {"auto", "exact", "power", "lanczos"}, default "auto"
        ``power`` is Polis's deflated power iteration (``pca_iters`` rounds from a random
        start); ``exact`` the converged top eigenvectors; ``lanczos`` ARPACK on a row
        sample for big data. ``auto``, cold: power up to 10,000 participants (Polis's
        ``large-cutoff``), above that exact when the Gram matrix is cheap, else lanczos; an
        update refines the previous axes (docs/consensus.md).
    random_state : int >= 0, numpy Generator or None
        Seed of the PCA start vector on a cold start; fixed seeds give identical results.

    Attributes
    ----------
    result_ : ConsensusResult
        The typed result of the last fit or update (groups, statements, ``to_json()``).
    labels_ : ndarray of int64, shape (n_participants,)
        Opinion group of each participant (row of ``matrix_``), -1 = not clustered.
    k_ : int
        Number of opinion groups (0 when nobody is clustered).
    projection_ : ndarray of float64, shape (n_participants, 2)
        Polis's scaled 2-D projection of every participant.
    in_conv_ : ndarray of bool, shape (n_participants,)
        Participants admitted to clustering.
    silhouettes_ : dict of int to float
        Silhouette of each candidate group count at the last update (empty when forced).
    state_ : ConsensusState
        Warm-start state for :meth:`update`.
    matrix_ : VoteMatrix
    moderated_ : ndarray of bool, shape (n_statements,)
    history_ : list of dict
        One entry per replayed update (:meth:`fit_history`; empty after :meth:`fit`).

    Examples
    --------
    >>> m = VoteMatrix.from_long(["a", "b", "c", "d"] * 2, [1] * 4 + [2] * 4,
    ...                          [1, 1, -1, -1, 1, 1, -1, -1])
    >>> est = Consensus(random_state=0).fit(m)
    >>> est.k_, est.labels_.tolist()
    (2, [0, 0, 1, 1])
    >>> est.result_.groups[0].members.tolist()
    ['a', 'b']
    """

    def __init__(
        self,
        *,
        min_votes: int = 7,
        min_participants_topup: int = 15,
        k_range: tuple[int, int] = (2, 5),
        force_k: int | None = None,
        base_k: int = 100,
        base_iters: int = 100,
        group_iters: int = 20,
        group_k_buffer: int = 4,
        significance: float = 1.2816,
        max_representative: int = 5,
        n_consensus: int = 5,
        n_divisive: int = 5,
        pca_iters: int = 100,
        pca_solver: str = "auto",
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        self.min_votes = min_votes
        self.min_participants_topup = min_participants_topup
        self.k_range = k_range
        self.force_k = force_k
        self.base_k = base_k
        self.base_iters = base_iters
        self.group_iters = group_iters
        self.group_k_buffer = group_k_buffer
        self.significance = significance
        self.max_representative = max_representative
        self.n_consensus = n_consensus
        self.n_divisive = n_divisive
        self.pca_iters = pca_iters
        self.pca_solver = pca_solver
        self.random_state = random_state

    # ------------------------------------------------------------------ sklearn-style API
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters as a dict (``deep`` is accepted for scikit-learn; no
        parameter is itself an estimator)."""
        return {name: getattr(self, name) for name in _PARAMETER_CONSTRAINTS}

    def set_params(self, **params: Any) -> Consensus:
        """Set constructor parameters (validated at the next fit).

        Raises
        ------
        InvalidParameterError
            For a name that is not a parameter.
        """
        for name, value in params.items():
            if name not in _PARAMETER_CONSTRAINTS:
                raise InvalidParameterError(
                    f"unknown parameter {name!r}; valid: {', '.join(_PARAMETER_CONSTRAINTS)}",
                    location="Consensus",
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = Consensus.__init__.__kwdefaults__ or {}
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not (name in defaults and _same_param(defaults[name], value))
        ]
        return f"Consensus({', '.join(changed)})"

    def _validate_params(self) -> None:
        for name, (ok, description) in _PARAMETER_CONSTRAINTS.items():
            value = getattr(self, name)
            if not ok(value):
                raise InvalidParameterError(
                    f"parameter {name} must be {description}, got {value!r}", location="Consensus"
                )

    def fit(
        self,
        matrix: VoteMatrix,
        moderated_out: Iterable[Any] | None = None,
        *,
        init_state: ConsensusState | None = None,
    ) -> Consensus:
        """Run one Polis math update on ``matrix``.

        Parameters
        ----------
        matrix : VoteMatrix
        moderated_out : iterable of statement ids, optional
            Statements moderated out (zeroed for the PCA, excluded from all lists).
        init_state : ConsensusState, optional
            Start from this state (as an update does) instead of a cold start.

        Returns
        -------
        Consensus
            The estimator itself; results are in ``result_``, ``labels_``, ``k_``, ...

        Raises
        ------
        InvalidParameterError
            When a constructor parameter is out of range (named in the message).
        """
        self._fit(matrix, moderated_out, init_state, None)
        self.history_: list[dict[str, Any]] = []
        return self

    def _fit(
        self,
        matrix: VoteMatrix,
        moderated_out: Iterable[Any] | None,
        init_state: ConsensusState | None,
        touched: np.ndarray | None,
    ) -> ConsensusResult:
        self._validate_params()
        self._check_matrix(matrix)
        moderated = self._moderated_mask(matrix, moderated_out)
        rng = np.random.default_rng(self.random_state)
        state = None if init_state is None else init_state.padded(*matrix.shape)
        fitted = self._step(matrix, moderated, state, rng)
        return self._finish(matrix, moderated, fitted, touched)

    def update(
        self, batch: VoteMatrix | tuple[Any, Any, Any], moderated_out: Iterable[Any] | None = None
    ) -> Consensus:
        """Add a batch of votes and update warm-started from the previous fit.

        ``batch`` is a VoteMatrix or a ``(participants, statements, votes)`` tuple in long
        format (optionally with timestamps as a fourth item). The result equals
        ``fit(matrix_.merge(batch), init_state=state_)`` on a fresh estimator with the same
        parameters: PCA starts from the previous axes, base clusters are recentred, each
        k's group clustering restarts from its previous one, in-conv only grows and the
        k smoother carries on. Returns the estimator (results in ``result_`` etc.).
        """
        if not hasattr(self, "state_"):
            raise InvalidVotesError(
                "update() needs a fitted Consensus; call fit() first", location="Consensus"
            )
        if isinstance(batch, tuple):
            ts = batch[3] if len(batch) > 3 else None
            batch = VoteMatrix.from_long(batch[0], batch[1], batch[2], timestamps=ts)
        merged = self.matrix_.merge(batch)
        if moderated_out is None:
            moderated_out = self.statement_ids_moderated_
        # rows that received votes: only they (and moved participants) are recounted
        rmap, _ = _map_ids(self.matrix_.participant_ids, batch.participant_ids)
        touched = np.unique(rmap[batch.row_of_vote()])
        self._fit(merged, moderated_out, self.state_, touched)
        return self

    partial_fit = update

    def fit_history(
        self,
        matrix: VoteMatrix,
        moderated_out: Iterable[Any] | None = None,
        *,
        update_every: int | None = None,
        window: float | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Consensus:
        """Replay the conversation's update history from vote timestamps.

        The matrix is cut at successive times and one warm-started update runs per cut, so
        that the in-conv set, the k smoother and all warm starts evolve as on Polis.

        Parameters
        ----------
        update_every : int, optional
            One update per this many new votes.
        window : float, optional
            One update per time window (timestamp units) that received votes.
            Exactly one of ``update_every`` and ``window`` must be given.
        progress : callable(done, total), optional
            Called after each replayed update.

        Returns
        -------
        Consensus
            The estimator; ``history_`` lists the replayed updates.
        """
        self._validate_params()
        self._check_matrix(matrix)
        if matrix.timestamps is None:
            raise InvalidVotesError("fit_history needs vote timestamps", location="timestamps",
                                    code="needs-timestamps")
        if (update_every is None) == (window is None):
            raise InvalidParameterError(
                "give exactly one of update_every and window", location="fit_history"
            )
        ts = np.sort(matrix.timestamps)
        if update_every is not None:
            if not (_is_int(update_every) and update_every >= 1):
                raise InvalidParameterError(
                    "update_every must be an int >= 1", location="fit_history"
                )
            cuts = ts[update_every - 1 :: update_every]
        else:
            if not (isinstance(window, Real) and window > 0):
                raise InvalidParameterError(
                    "window must be a positive number", location="fit_history"
                )
            cuts = np.unique(np.floor((ts - ts[0]) / window)) * window + ts[0] + window
            cuts = np.minimum(cuts, ts[-1])
        cuts = np.unique(np.append(cuts, ts[-1])) if ts.size else np.zeros(0)
        moderated = self._moderated_mask(matrix, moderated_out)
        rng = np.random.default_rng(self.random_state)
        state: ConsensusState | None = None
        history: list[dict[str, Any]] = []
        fitted = None
        for cut in cuts.tolist():
            sub = matrix.until(cut)
            fitted = self._step(sub, moderated, state, rng)
            state = fitted.state
            if progress is not None:
                progress(len(history) + 1, len(cuts))
            history.append(
                {
                    "until": cut,
                    "votes": sub.n_votes,
                    "k": fitted.k,
                    "in_conv": int(state.in_conv.sum()),
                }
            )
        if fitted is None:
            fitted = self._step(matrix, moderated, None, rng)
        self._finish(matrix, moderated, fitted)
        self.history_ = history
        return self

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _check_matrix(matrix: Any) -> None:
        if not isinstance(matrix, VoteMatrix):
            raise InvalidVotesError(
                f"expected a VoteMatrix, got {type(matrix).__name__}", location="matrix"
            )

    @staticmethod
    def _moderated_mask(matrix: VoteMatrix, moderated_out: Iterable[Any] | None) -> np.ndarray:
        mask = np.zeros(matrix.shape[1], dtype=bool)
        if moderated_out is None:
            return mask
        wanted = set(moderated_out)
        if wanted:
            mask[[i for i, s in enumerate(matrix.statement_ids.tolist()) if s in wanted]] = True
        return mask

    def _finish(
        self,
        matrix: VoteMatrix,
        moderated: np.ndarray,
        fitted: _Fitted,
        touched: np.ndarray | None = None,
    ) -> ConsensusResult:
        k = fitted.k
        # buckets 0..k-1 are the groups, bucket k the unclustered
        bucket = np.where(fitted.labels < 0, k, fitted.labels)
        prior = getattr(self, "_counts", None)
        if touched is not None and prior is not None and prior[2].agree.shape[0] == k + 1:
            every = count_votes_delta(prior[0], prior[1], prior[2], matrix, bucket, touched)
        else:
            every = count_votes(matrix, bucket, k + 1)
        self._counts = (matrix, bucket, every)
        result = self._build_result(matrix, moderated, fitted, every)
        self.state_ = fitted.state
        self.matrix_ = matrix
        self.moderated_ = moderated
        self.statement_ids_moderated_ = matrix.statement_ids[moderated].tolist()
        self.result_ = result
        self.labels_ = fitted.labels
        self.k_ = fitted.k
        self.projection_ = fitted.projection
        self.in_conv_ = fitted.state.in_conv
        self.silhouettes_ = dict(fitted.silhouettes)
        return result

    # ------------------------------------------------------------------ the update steps
    def _in_conv(self, counts: np.ndarray, n_cols: int, prev: np.ndarray | None) -> np.ndarray:
        """conversation.clj ``:in-conv``: monotone, >= min(7, n_cmts) votes, top-up to 15."""
        threshold = min(self.min_votes, n_cols)
        in_conv = (counts >= max(threshold, 1)) & (counts > 0)
        if prev is not None:
            in_conv |= prev
        missing = self.min_participants_topup - int(in_conv.sum())
        if missing > 0:
            candidates = np.flatnonzero(~in_conv & (counts > 0))
            order = candidates[np.argsort(-counts[candidates], kind="stable")]
            in_conv[order[:missing]] = True
        return in_conv

    def _groups(
        self, base: Clustering, prev: ConsensusState | None
    ) -> tuple[Clustering | None, dict[int, Clustering], KSmoother, dict[int, float]]:
        """Group k-means on base centres for each candidate k, silhouette, k smoother."""
        smoother = KSmoother() if prev is None else prev.smoother
        prev_by_k = {} if prev is None else prev.by_k
        n_base = base.ids.size
        if n_base == 0:
            return None, {}, smoother, {}
        weights = base.sizes().astype(np.float64)
        if n_base == 1:
            single = Clustering(
                np.zeros(1, np.int64), base.centers.copy(), base.ids.copy(), np.zeros(1, np.int64)
            )
            return single, {}, smoother, {}
        k_min, k_max = self.k_range
        # conversation.clj ``:group-clusterings``: max k = min(max-k, 2 + n_base / 12).
        k_hi = min(k_max, 2 + n_base // 12, n_base)
        ks = list(range(max(k_min, 2), k_hi + 1)) or [min(max(k_min, 2), n_base)]
        if self.force_k is not None:
            ks = [min(self.force_k, n_base)]
        by_k: dict[int, Clustering] = {}
        scores: dict[int, float] = {}
        distances = pairwise_distances(base.centers)  # shared by every k's silhouette
        for k in ks:
            cl = kmeans(
                base.centers,
                k,
                keys=base.ids,
                weights=weights,
                prev=prev_by_k.get(k),
                max_iters=self.group_iters,
            )
            by_k[k] = cl
            scores[k] = self._silhouette(base, cl, distances) if k > 1 else 0.0
        # conversation.clj ``(apply max-key silhouettes ks)``: on ties Clojure's max-key
        # returns the last candidate, i.e. the largest k.
        best = max(ks, key=lambda k: (scores[k], k))
        smoother = smoother.step(best, self.group_k_buffer)
        chosen = ks[0] if self.force_k is not None else smoother.published
        if self.force_k is not None:
            scores = {}
        chosen_k = best if chosen is None else chosen
        return by_k.get(chosen_k, by_k[best]), by_k, smoother, scores

    def _silhouette(self, base: Clustering, groups: Clustering, distances: np.ndarray) -> float:
        """Polis's score of one candidate grouping: the plain mean silhouette over the base
        clusters' centres (clusters.clj ``silhouette``). A hook for measured alternatives."""
        return silhouette(base.centers, groups.labels, distances)

    def _step(
        self,
        matrix: VoteMatrix,
        moderated: np.ndarray,
        prev: ConsensusState | None,
        rng: np.random.Generator,
    ) -> _Fitted:
        n_rows = matrix.shape[0]
        counts = matrix.row_counts()
        cv = center(matrix, moderated)
        in_conv = self._in_conv(counts, cv.n_cols_active, None if prev is None else prev.in_conv)
        solver = self.pca_solver
        if solver == "auto" and prev is None and n_rows <= _POLIS_LARGE_CUTOFF:
            solver = "power"  # Polis's own cold-start PCA (pca.clj power iteration)
        comps = pca_components(
            cv,
            prev=None if prev is None else prev.components,
            iters=self.pca_iters,
            rng=rng,
            solver=solver,
        )
        proj = project(cv, comps)
        rows = np.flatnonzero(in_conv)
        base = kmeans(
            proj[rows],
            self.base_k,
            keys=rows,
            prev=None if prev is None else prev.base,
            max_iters=self.base_iters,
        )
        group_cl, by_k, smoother, scores = self._groups(base, prev)
        labels = np.full(n_rows, -1, dtype=np.int64)
        k = 0
        if group_cl is not None:
            base_group = group_cl.labels  # position of each base cluster's group
            labels[rows] = base_group[base.labels]
            k = int(group_cl.ids.size)
        state = ConsensusState(
            in_conv=in_conv, components=comps, base=base, by_k=by_k, smoother=smoother
        )
        return _Fitted(state, proj, labels, k, scores)

    def _build_result(
        self, matrix: VoteMatrix, moderated: np.ndarray, fitted: _Fitted, every: VoteCounts
    ) -> ConsensusResult:
        k, labels = fitted.k, fitted.labels
        z = float(self.significance)
        overall = VoteCounts(
            *(a.sum(axis=0, keepdims=True) for a in (every.agree, every.disagree, every.passes))
        )
        by_group = VoteCounts(every.agree[:k], every.disagree[:k], every.passes[:k])
        sids = matrix.statement_ids
        groups: list[Group] = []
        if k:
            st = group_stats(by_group)
            for g in range(k):
                reps = select_representative(st, g, moderated, z, self.max_representative)
                rep_objs = tuple(
                    RepresentativeStatement(
                        sids[c.statement],
                        c.direction,
                        float(c.repness),
                        float(c.repness_test),
                        float(c.p_success),
                        float(c.p_test),
                        int(by_group.agree[g, c.statement]),
                        int(by_group.disagree[g, c.statement]),
                        int(by_group.passes[g, c.statement]),
                    )
                    for c in reps
                )
                groups.append(Group(g, matrix.participant_ids[labels == g], rep_objs))
        seen = overall.seen[0]
        voters = int(np.count_nonzero(matrix.row_counts()))
        consensus = tuple(
            ConsensusStatement(
                sids[j], d, int(overall.agree[0, j]), int(overall.disagree[0, j]), int(seen[j]), s
            )
            for j, d, s in select_consensus(overall, moderated, z, self.n_consensus)
            if voters >= 2  # agreement needs at least two voters
        )
        divisive: tuple[DivisiveStatement, ...] = ()
        if k >= 2:
            score, p_value, significant = divisiveness(by_group, z_to_alpha(z))
            cand = np.flatnonzero(significant & ~moderated)
            order = cand[np.argsort(-score[cand], kind="stable")][: self.n_divisive]
            gseen = by_group.seen
            divisive = tuple(
                DivisiveStatement(
                    sids[j],
                    float(score[j]),
                    float(p_value[j]),
                    {g: float(by_group.agree[g, j] / gseen[g, j]) for g in range(k) if gseen[g, j]},
                )
                for j in order.tolist()
            )
        gic = group_informed_consensus(by_group) if k else np.full(matrix.shape[1], np.nan)
        return ConsensusResult(
            matrix.participant_ids,
            sids,
            matrix.n_votes,
            k,
            labels,
            fitted.projection,
            tuple(groups),
            consensus,
            divisive,
            overall,
            by_group,
            gic,
            moderated,
        )


def _same_param(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return a is b
