"""Sparse participant × statement vote matrix.

Votes use the Polis export convention: agree = +1, disagree = -1, pass = 0. A pass is a
*seen* cell holding 0; a cell a participant never voted on is simply absent from the
sparse structure. We keep our own CSR arrays (``indptr``, ``indices``, ``values``) rather
than relying on scipy to preserve explicit zeros, and hand out scipy views on demand.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from detente.errors import InvalidVotesError

__all__ = ["VoteMatrix"]

#: Batches up to this many votes are merged cell by cell (no pass over the whole matrix).
_SMALL_BATCH = 200_000
#: Marks a batch cell that replaced no earlier vote (column-total deltas).
_ABSENT = -2


def _bad_id(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        hash(value)
    except TypeError:
        return True
    return False


def _factorize(ids: Sequence[Hashable], order: np.ndarray, field: str) -> tuple[np.ndarray, list]:
    """Codes for ``ids`` numbered by first appearance in ``order``; validates each id."""
    codes = np.empty(len(ids), dtype=np.int64)
    seen: dict[Hashable, int] = {}
    uniques: list = []
    for i in order.tolist():
        value = ids[i]
        if isinstance(value, np.generic):
            value = value.item()
        code = seen.get(value)
        if code is None:
            if _bad_id(value):
                raise InvalidVotesError(
                    f"empty or missing {field} id {value!r}", location=f"index {i}"
                )
            code = len(uniques)
            seen[value] = code
            uniques.append(value)
        codes[i] = code
    return codes, uniques


def _check_votes(votes: Any) -> np.ndarray:
    try:
        arr = np.asarray(votes, dtype=np.float64)
    except (TypeError, ValueError):
        raw = list(votes)
        for i, value in enumerate(raw):
            try:
                float(value)
            except (TypeError, ValueError):
                raise InvalidVotesError(
                    f"vote {value!r} is not one of -1, 0, 1", location=f"index {i}"
                ) from None
        raise
    if arr.ndim != 1:
        raise InvalidVotesError("votes must be one-dimensional", location="votes")
    bad = ~np.isin(arr, (-1.0, 0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidVotesError(f"vote {votes[i]!r} is not one of -1, 0, 1", location=f"index {i}")
    return arr.astype(np.int8)


def _check_timestamps(timestamps: Any, n: int) -> np.ndarray:
    try:
        ts = np.asarray(timestamps, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidVotesError("timestamps must be numbers", location="timestamps") from None
    if ts.shape != (n,):
        raise InvalidVotesError(
            f"timestamps has length {ts.size}, expected {n}", location="timestamps"
        )
    bad = ~np.isfinite(ts)
    if bad.any():
        raise InvalidVotesError(
            "timestamp is missing or not finite", location=f"index {int(np.flatnonzero(bad)[0])}"
        )
    return ts


def _dedupe_to_csr(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    n_rows: int,
    n_cols: int,
    timestamps: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """CSR arrays from COO triples in processing order; the last vote per cell stands.

    Polis overwrites a matrix cell on every new vote, votes being processed in creation
    order (polismath/math/named_matrix.clj ``update-nmat``), so the last one wins.
    """
    key = rows.astype(np.int64) * np.int64(max(n_cols, 1)) + cols.astype(np.int64)
    order = np.argsort(key, kind="stable")
    key_sorted = key[order]
    last = np.ones(key_sorted.size, dtype=bool)
    if key_sorted.size:
        last[:-1] = key_sorted[1:] != key_sorted[:-1]
    keep = order[last]
    r = rows[keep]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n_rows), out=indptr[1:])
    ts = None if timestamps is None else timestamps[keep].astype(np.float64)
    return indptr, cols[keep].astype(np.int32), values[keep].astype(np.int8), ts


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants × statements votes in compressed sparse row form.

    Attributes
    ----------
    indptr : ndarray of int64, shape (n_participants + 1,)
        Row pointers: votes of participant ``i`` are ``indptr[i]:indptr[i + 1]``.
    indices : ndarray of int32, shape (n_votes,)
        Statement index of each stored vote, strictly increasing within a row.
    values : ndarray of int8, shape (n_votes,)
        +1 agree, -1 disagree, 0 pass. Cells not stored were never voted on.
    participant_ids, statement_ids : ndarray, shape (n_participants,), (n_statements,)
        The ids as given, in row/column order (first appearance).
    timestamps : ndarray of float64, shape (n_votes,), or None
        Time of the standing vote of each cell, when known (enables history replay).

    Examples
    --------
    >>> m = VoteMatrix.from_long(["a", "a", "b"], [1, 2, 1], [1, 0, -1])
    >>> m.shape, m.n_votes, m.n_passes
    ((2, 2), 3, 1)
    """

    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    participant_ids: np.ndarray
    statement_ids: np.ndarray
    timestamps: np.ndarray | None = None
    _column_totals: tuple[np.ndarray, np.ndarray] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_long(
        cls,
        participants: Sequence[Hashable],
        statements: Sequence[Hashable],
        votes: Sequence[float],
        *,
        timestamps: Sequence[float] | None = None,
    ) -> VoteMatrix:
        """Build from one row per vote (long format).

        Parameters
        ----------
        participants, statements : sequence of hashable, length n
            Ids of any hashable type (not None, NaN or blank strings).
        votes : sequence of {-1, 0, 1}, length n
        timestamps : sequence of float, length n, optional
            When given, votes are processed in timestamp order (ties keep input order) and
            the latest vote per (participant, statement) stands; otherwise input order.

        Raises
        ------
        InvalidVotesError
            On mismatched lengths, bad vote values or missing ids; the message names the index.
        """
        participants = list(participants)
        statements = list(statements)
        n = len(participants)
        vote_list = list(votes)
        if len(statements) != n or len(vote_list) != n:
            raise InvalidVotesError(
                f"participants, statements and votes have lengths {n}, {len(statements)}, "
                f"{len(vote_list)}; they must be equal",
                location="votes",
            )
        values = _check_votes(vote_list)
        ts = None if timestamps is None else _check_timestamps(timestamps, n)
        order = np.arange(n) if ts is None else np.argsort(ts, kind="stable")
        rows, pids = _factorize(participants, order, "participant")
        cols, sids = _factorize(statements, order, "statement")
        return cls._from_ordered(
            rows[order], cols[order], values[order], None if ts is None else ts[order], pids, sids
        )

    @classmethod
    def from_codes(
        cls,
        participant_codes: Any,
        statement_codes: Any,
        votes: Any,
        *,
        shape: tuple[int, int] | None = None,
        participant_ids: Any = None,
        statement_ids: Any = None,
        timestamps: Any = None,
    ) -> VoteMatrix:
        """Fast constructor from integer row/column codes (vectorised, for big data).

        Codes index ``participant_ids`` / ``statement_ids`` (default ``arange``). Votes are
        processed in input order (or timestamp order when given); the last one per cell stands.
        """
        r = np.asarray(participant_codes)
        c = np.asarray(statement_codes)
        values = _check_votes(votes)
        n = values.size
        if r.shape != (n,) or c.shape != (n,):
            raise InvalidVotesError(
                "participant, statement and vote arrays must have equal length", location="votes"
            )
        for name, arr in (("participant", r), ("statement", c)):
            if n and (not np.issubdtype(arr.dtype, np.integer) or arr.min() < 0):
                raise InvalidVotesError(
                    f"{name} codes must be non-negative integers", location=name
                )
        n_rows = (int(r.max()) + 1 if n else 0) if shape is None else int(shape[0])
        n_cols = (int(c.max()) + 1 if n else 0) if shape is None else int(shape[1])
        if n and (r.max() >= n_rows or c.max() >= n_cols):
            raise InvalidVotesError("codes exceed the given shape", location="shape")
        ts = None if timestamps is None else _check_timestamps(timestamps, n)
        if ts is not None:
            order = np.argsort(ts, kind="stable")
            r, c, values, ts = r[order], c[order], values[order], ts[order]
        pids = np.arange(n_rows) if participant_ids is None else participant_ids
        sids = np.arange(n_cols) if statement_ids is None else statement_ids
        return cls._from_ordered(r, c, values, ts, pids, sids, n_rows, n_cols)

    @classmethod
    def from_csr(
        cls,
        indptr: Any,
        indices: Any,
        values: Any,
        *,
        n_statements: int,
        participant_ids: Any = None,
        statement_ids: Any = None,
    ) -> VoteMatrix:
        """Zero-copy constructor from canonical CSR arrays (indices sorted, unique per row).

        This is the path for very large synthetic or pre-aggregated data: only cheap
        vectorised checks are made and the arrays are adopted when their dtypes already
        are int64/int32/int8.
        """
        indptr = np.asarray(indptr, dtype=np.int64)
        indices = np.asarray(indices, dtype=np.int32)
        vals = np.asarray(values)
        if vals.dtype != np.int8:
            vals = _check_votes(vals)
        elif vals.size and (vals.min() < -1 or vals.max() > 1):
            raise InvalidVotesError("votes must be -1, 0 or 1", location="values")
        if (
            indptr.ndim != 1
            or indptr.size < 1
            or indptr[0] != 0
            or indptr[-1] != indices.size
            or indices.size != vals.size
            or np.any(np.diff(indptr) < 0)
        ):
            raise InvalidVotesError("inconsistent CSR arrays", location="indptr")
        if indices.size and (indices.min() < 0 or indices.max() >= n_statements):
            raise InvalidVotesError("statement index out of range", location="indices")
        step = np.diff(indices)
        row_start = np.zeros(indices.size, dtype=bool)
        row_start[indptr[:-1][np.diff(indptr) > 0]] = True
        if np.any((step <= 0) & ~row_start[1:]):
            raise InvalidVotesError(
                "indices must be strictly increasing within each row "
                "(use from_codes for unsorted or duplicated votes)",
                location="indices",
            )
        n_rows = indptr.size - 1
        pids = np.arange(n_rows) if participant_ids is None else participant_ids
        sids = np.arange(n_statements) if statement_ids is None else statement_ids
        return cls._make(indptr, indices, vals, pids, sids, None, n_statements)

    @classmethod
    def _from_ordered(
        cls, rows, cols, values, ts, pids, sids, n_rows=None, n_cols=None
    ) -> VoteMatrix:
        n_rows = len(pids) if n_rows is None else n_rows
        n_cols = len(sids) if n_cols is None else n_cols
        indptr, indices, vals, tsk = _dedupe_to_csr(rows, cols, values, n_rows, n_cols, ts)
        return cls._make(indptr, indices, vals, pids, sids, tsk, n_cols)

    @classmethod
    def _make(cls, indptr, indices, values, pids, sids, ts, n_cols) -> VoteMatrix:
        pid_arr = _as_id_array(pids)
        sid_arr = _as_id_array(sids)
        if pid_arr.size != indptr.size - 1 or sid_arr.size != n_cols:
            raise InvalidVotesError("id arrays do not match the matrix shape", location="ids")
        return cls(indptr, indices, values, pid_arr, sid_arr, ts)

    # ------------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple[int, int]:
        """``(n_participants, n_statements)``."""
        return (self.indptr.size - 1, self.statement_ids.size)

    @property
    def n_votes(self) -> int:
        """Number of seen cells (agree, disagree and pass)."""
        return int(self.indices.size)

    @property
    def n_passes(self) -> int:
        """Number of passes (seen cells holding 0)."""
        return int(np.count_nonzero(self.values == 0))

    def row_counts(self) -> np.ndarray:
        """Votes (passes included) per participant, int64 of shape (n_participants,)."""
        return np.diff(self.indptr)

    def column_totals(self) -> tuple[np.ndarray, np.ndarray]:
        """Seen votes and sum of votes per statement (int64, shape (n_statements,) each).

        Computed once per matrix (two passes over the votes) and kept; :meth:`merge` derives
        the merged matrix's totals from these and the batch alone, so that an update never
        recounts every vote. The arrays are shared: do not modify them.
        """
        if self._column_totals is None:
            n_cols = self.shape[1]
            counts = np.bincount(self.indices, minlength=n_cols).astype(np.int64)
            sums = np.bincount(self.indices, weights=self.values, minlength=n_cols)
            self._set_column_totals(counts, sums.astype(np.int64))
        assert self._column_totals is not None
        return self._column_totals

    def _set_column_totals(self, counts: np.ndarray, sums: np.ndarray) -> None:
        object.__setattr__(self, "_column_totals", (counts, sums))

    def _derive_column_totals(
        self, merged: VoteMatrix, cols: np.ndarray, new: np.ndarray, old: np.ndarray
    ) -> None:
        """Give ``merged`` this matrix's column totals plus a batch's delta (O(batch)).

        ``cols``/``new`` are the batch cells' columns (in ``merged``) and votes, ``old`` the
        vote each replaced (``_ABSENT`` where the cell was new).
        """
        counts, sums = self.column_totals()
        n_cols = merged.shape[1]
        fresh = old == _ABSENT
        counts = _grow(counts, n_cols) + np.bincount(cols[fresh], minlength=n_cols)
        delta = new.astype(np.int64) - np.where(fresh, 0, old).astype(np.int64)
        sums = _grow(sums, n_cols) + np.bincount(cols, weights=delta, minlength=n_cols).astype(
            np.int64
        )
        merged._set_column_totals(counts, sums)

    def row_of_vote(self) -> np.ndarray:
        """Row index of every stored vote, int32 of shape (n_votes,)."""
        return np.repeat(np.arange(self.shape[0], dtype=np.int32), self.row_counts())

    def to_scipy(self, dtype: Any = np.int8) -> sp.csr_matrix:
        """scipy CSR view with passes as explicit zeros (do not call ``eliminate_zeros``)."""
        return sp.csr_matrix(
            (self.values.astype(dtype, copy=False), self.indices, self.indptr), shape=self.shape
        )

    def seen_mask(self) -> sp.csr_matrix:
        """Boolean CSR of seen cells (passes included), shape (n_participants, n_statements)."""
        return sp.csr_matrix(
            (np.ones(self.n_votes, dtype=bool), self.indices, self.indptr), shape=self.shape
        )

    def to_dense(self) -> np.ndarray:
        """Dense float array with NaN for unseen cells (small matrices only)."""
        out = np.full(self.shape, np.nan)
        out[self.row_of_vote(), self.indices] = self.values
        return out

    def to_long(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(participant codes, statement codes, votes)`` in row-major order."""
        return self.row_of_vote(), self.indices.copy(), self.values.copy()

    # ------------------------------------------------------------------ derived matrices
    def until(self, cutoff: float) -> VoteMatrix:
        """Same shape, keeping only votes with timestamp <= ``cutoff`` (needs timestamps).

        Used by history replay; cells whose standing vote is later are dropped (earlier,
        overwritten votes are not kept by the matrix).
        """
        if self.timestamps is None:
            raise InvalidVotesError("history replay needs vote timestamps", location="timestamps")
        keep = self.timestamps <= cutoff
        rows = self.row_of_vote()[keep]
        indptr = np.zeros(self.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=self.shape[0]), out=indptr[1:])
        return VoteMatrix(
            indptr,
            self.indices[keep],
            self.values[keep],
            self.participant_ids,
            self.statement_ids,
            self.timestamps[keep],
        )

    def _merge_small(self, rows, cols, vals, shape, pids, sids) -> VoteMatrix:
        indptr = np.concatenate([self.indptr, np.full(shape[0] - self.shape[0], self.indptr[-1])])
        indptr, indices, values, old = _merge_small_arrays(
            indptr, self.indices, self.values, rows, cols, vals
        )
        merged = VoteMatrix(indptr, indices, values, _as_id_array(pids), _as_id_array(sids), None)
        self._derive_column_totals(merged, cols, vals, old)
        return merged

    def merge(self, batch: VoteMatrix) -> VoteMatrix:
        """Votes of ``self`` followed by ``batch`` (batch wins), existing ids keep their index.

        New participants and statements are appended after the existing ones, so row and
        column indices of ``self`` stay valid in the result (warm starts rely on this).
        Without timestamps on both sides the merge is one sparse addition (linear time);
        with them, votes are re-sorted so timestamps follow their cells.
        """
        rmap, pids = _map_ids(self.participant_ids, batch.participant_ids)
        cmap, sids = _map_ids(self.statement_ids, batch.statement_ids)
        shape = (len(pids), len(sids))
        r1, c1, v1 = batch.to_long()
        rows1, cols1 = rmap[r1], cmap[c1]
        if self.timestamps is not None and batch.timestamps is not None:
            r0, c0, v0 = self.to_long()
            rows = np.concatenate([r0.astype(np.int64), rows1])
            cols = np.concatenate([c0.astype(np.int64), cols1])
            ts = np.concatenate([self.timestamps, batch.timestamps])
            return VoteMatrix._from_ordered(rows, cols, np.concatenate([v0, v1]), ts, pids, sids)
        if r1.size <= _SMALL_BATCH:
            return self._merge_small(rows1, cols1, v1, shape, pids, sids)
        # Encode votes as 1..3 (never 0) so that scipy keeps passes; batch cells are scaled
        # by 4 so that one addition both merges and tells which side each cell came from.
        indptr = np.concatenate([self.indptr, np.full(shape[0] - self.shape[0], self.indptr[-1])])
        old = sp.csr_matrix(((self.values + 2).astype(np.int8), self.indices, indptr), shape=shape)
        new = sp.csr_matrix((((v1 + 2) * 4).astype(np.int8), (rows1, cols1)), shape=shape)
        both = (old + new).tocsr()
        both.sort_indices()
        code = both.data
        values = np.where(code >= 4, code // 4 - 2, code - 2).astype(np.int8)
        merged = VoteMatrix(
            both.indptr.astype(np.int64),
            both.indices.astype(np.int32, copy=False),
            values,
            _as_id_array(pids),
            _as_id_array(sids),
            None,
        )
        if self._column_totals is not None:
            touched = code >= 4
            rest = code[touched] % 4
            old = np.where(rest == 0, _ABSENT, rest - 2).astype(np.int64)
            self._derive_column_totals(merged, both.indices[touched], values[touched], old)
        return merged


def _lower_bound(indptr, indices, rows, cols) -> np.ndarray:
    """Per cell, the position of ``cols`` in its row's sorted ``indices`` (vectorised
    binary search, like ``searchsorted(side='left')`` within each row)."""
    lo, hi = indptr[rows].astype(np.int64), indptr[rows + 1].astype(np.int64)
    last = max(indices.size - 1, 0)
    active = lo < hi
    while active.any():
        mid = (lo + hi) // 2
        right = indices[np.minimum(mid, last)] < cols if indices.size else active
        lo = np.where(active & right, mid + 1, lo)
        hi = np.where(active & ~right, mid, hi)
        active = lo < hi
    return lo


def _merge_small_arrays(indptr, indices, values, rows, cols, vals):
    """Overwrite or insert a batch of distinct cells into canonical CSR arrays.

    One vectorised binary search per cell locates it; overwrites are done in place on a
    copy and insertions in one ``np.insert``. Returns the new ``indptr, indices, values``
    and, per batch cell, the vote it replaced (``_ABSENT`` where the cell was new).
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    vals = np.asarray(vals, dtype=np.int8)
    values = values.copy()
    old = np.full(rows.size, _ABSENT, dtype=np.int64)
    pos = _lower_bound(indptr, indices, rows, cols)
    found = pos < indptr[rows + 1]
    if indices.size:
        found &= indices[np.minimum(pos, indices.size - 1)] == cols
    old[found] = values[pos[found]]
    values[pos[found]] = vals[found]
    ins = ~found
    if not ins.any():
        return indptr, indices, values, old
    ins_pos, ins_row, ins_col = pos[ins], rows[ins], cols[ins]
    order = np.lexsort((ins_col, ins_row, ins_pos))
    indices = np.insert(indices, ins_pos[order], ins_col[order].astype(np.int32))
    values = np.insert(values, ins_pos[order], vals[ins][order])
    added = np.bincount(ins_row, minlength=indptr.size - 1)
    indptr = indptr.copy()
    indptr[1:] += np.cumsum(added)
    return indptr, indices, values, old


def _grow(a: np.ndarray, n: int) -> np.ndarray:
    """``a`` padded with zeros to length ``n`` (appended statements)."""
    return a if a.size == n else np.concatenate([a, np.zeros(n - a.size, dtype=a.dtype)])


def _map_ids(existing: np.ndarray, incoming: np.ndarray) -> tuple[np.ndarray, list | np.ndarray]:
    """Index of each incoming id in the union (existing ids first, new ones appended)."""
    if existing.dtype.kind in "iu" and incoming.dtype.kind in "iu":
        order = np.argsort(existing, kind="stable")
        pos = np.searchsorted(existing[order], incoming)
        pos_c = np.minimum(pos, max(existing.size - 1, 0))
        found = (
            (pos < existing.size) & (existing[order][pos_c] == incoming)
            if existing.size
            else np.zeros(incoming.size, dtype=bool)
        )
        out = np.empty(incoming.size, dtype=np.int64)
        out[found] = order[pos_c[found]]
        fresh, first, inverse = np.unique(incoming[~found], return_index=True, return_inverse=True)
        rank = np.empty(fresh.size, dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(fresh.size)
        out[~found] = existing.size + rank[inverse]
        appended = fresh[np.argsort(first, kind="stable")]
        return out, np.concatenate([existing, appended.astype(existing.dtype)])
    index = {v: i for i, v in enumerate(existing.tolist())}
    out = np.array([index.setdefault(v, len(index)) for v in incoming.tolist()], dtype=np.int64)
    return out, list(index)


def _as_id_array(ids: Any) -> np.ndarray:
    if isinstance(ids, np.ndarray):
        return ids
    arr = np.empty(len(ids), dtype=object)
    arr[:] = list(ids)
    if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in arr.tolist()):
        return arr.astype(np.int64) if arr.size else np.zeros(0, dtype=np.int64)
    return arr
