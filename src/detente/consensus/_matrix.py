"""Sparse participant × statement vote matrix.

Votes use the Polis export convention: agree = +1, disagree = -1, pass = 0. A pass is a
*seen* cell holding 0; a cell a participant never voted on is simply absent from the
sparse structure. We keep our own CSR arrays (``indptr``, ``indices``, ``values``) rather
than relying on scipy to preserve explicit zeros, and hand out scipy views on demand.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Hashable, Iterator
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


#: Vectorised passes over big inputs work in blocks of this many votes (bounded temporaries).
_BLOCK = 1 << 20
#: Integer ids are factorized through a dense lookup table when their range is at most this
#: many times the number of votes (or below ``_DENSE_MIN``); otherwise by sorting.
_DENSE_RATIO = 4
_DENSE_MIN = 1 << 22


def _bad_id(value: Any) -> bool:
    """None, NaN, pandas' NA, blank strings and unhashable values are not ids."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        hash(value)
        return bool(value != value)  # NaN; pandas' NA raises here
    except (TypeError, ValueError):
        return True


def _blocks(n: int) -> Iterator[tuple[int, int]]:
    for s in range(0, n, _BLOCK):
        yield s, min(s + _BLOCK, n)


def _as_1d(values: Any, field: str) -> np.ndarray:
    """A 1-D numpy array of ids from a list, tuple, iterable, numpy array or pandas Series.

    Lists of ints become int64 and lists of strings fixed-width unicode, both converted in
    C; tuples as ids, mixed types or missing values give an object array (the slow path).
    """
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = values.to_numpy()  # pandas Series or Index: no pandas import needed
    if isinstance(values, np.ndarray):
        arr = values
    else:
        seq = values if isinstance(values, (list, tuple)) else list(values)
        kinds = set(map(type, seq))
        if kinds and all(issubclass(k, (int, np.integer)) for k in kinds) and not any(
            issubclass(k, (bool, np.bool_)) for k in kinds
        ):
            try:
                arr = np.asarray(seq, dtype=np.int64)
            except OverflowError:
                arr = np.fromiter(seq, dtype=object, count=len(seq))
        elif kinds == {str}:
            arr = np.asarray(seq, dtype=str)
        else:
            arr = np.fromiter(seq, dtype=object, count=len(seq))
    if arr.ndim != 1:
        raise InvalidVotesError(f"{field} ids must be one-dimensional", location=field)
    if arr.dtype == object and arr.size:
        kinds = set(map(type, arr.tolist()))
        if kinds == {int}:
            with contextlib.suppress(OverflowError):
                arr = arr.astype(np.int64)
        elif kinds == {str}:
            arr = arr.astype(str)
    return arr


def _where(position: int, order: np.ndarray | None) -> str:
    """``index i`` of the input row at ``position`` in processing order."""
    return f"index {position if order is None else int(order[position])}"


def _factorize(
    arr: np.ndarray, field: str, order: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``arr`` numbered by first appearance, and the distinct ids in that order.

    ``arr`` is in processing order; ``order`` maps its positions back to input indices for
    error messages. Integer ids of a compact range go through a dense table (O(n), no
    sort), other numbers and strings through one sort (``np.unique``), and only object
    arrays (tuples, mixed types) through a Python dictionary.
    """
    n = arr.size
    if n == 0:
        return np.zeros(0, dtype=np.int64), arr[:0]
    kind = arr.dtype.kind
    if kind == "O":
        return _factorize_objects(arr, field, order)
    if kind in "iu":
        lo, hi = int(arr.min()), int(arr.max())
        span = hi - lo + 1
        if span <= max(_DENSE_RATIO * n, _DENSE_MIN):
            first = np.full(span, n, dtype=np.int64)
            rel = np.empty(min(n, _BLOCK), dtype=np.intp)
            for s, e in _blocks(n):
                np.subtract(arr[s:e], lo, out=rel[: e - s], casting="unsafe")
                np.minimum.at(first, rel[: e - s], np.arange(s, e))
            present = np.flatnonzero(first < n)
            ranked = present[np.argsort(first[present], kind="stable")]
            code_type = np.int32 if ranked.size < 2**31 else np.int64
            code_of = np.empty(span, dtype=code_type)
            code_of[ranked] = np.arange(ranked.size, dtype=code_type)
            codes = np.empty(n, dtype=code_type)
            for s, e in _blocks(n):
                np.subtract(arr[s:e], lo, out=rel[: e - s], casting="unsafe")
                np.take(code_of, rel[: e - s], out=codes[s:e])
            return codes, (ranked + lo).astype(np.int64)
    if kind == "f":
        missing = np.flatnonzero(np.isnan(arr))
        if missing.size:
            raise InvalidVotesError(
                f"empty or missing {field} id nan", location=_where(int(missing[0]), order)
            )
    uniq, first_pos, inverse = np.unique(arr, return_index=True, return_inverse=True)
    rank = np.argsort(first_pos, kind="stable")
    code_of = np.empty(uniq.size, dtype=np.int64)
    code_of[rank] = np.arange(uniq.size)
    uniques = uniq[rank]
    if kind == "U":
        blank = np.flatnonzero(np.char.strip(uniques) == "")
        if blank.size:
            raise InvalidVotesError(
                f"empty or missing {field} id {str(uniques[blank[0]])!r}",
                location=_where(int(first_pos[rank][blank[0]]), order),
            )
        uniques = uniques.astype(object)
    return code_of[inverse.ravel()], uniques


def _factorize_objects(
    arr: np.ndarray, field: str, order: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The slow path for object ids (tuples, mixed types): one dictionary pass."""
    codes = np.empty(arr.size, dtype=np.int64)
    seen: dict[Hashable, int] = {}
    uniques: list[Any] = []
    for i, value in enumerate(arr.tolist()):
        code = seen.get(value) if not isinstance(value, list) else None
        if code is None:
            if _bad_id(value):
                raise InvalidVotesError(
                    f"empty or missing {field} id {value!r}", location=_where(i, order)
                )
            code = len(uniques)
            seen[value] = code
            uniques.append(value)
        codes[i] = code
    out = np.empty(len(uniques), dtype=object)
    for i, value in enumerate(uniques):
        out[i] = value
    return codes, out


def _check_votes(votes: Any) -> np.ndarray:
    """Votes as int8, checking each is -1, 0 or 1 (the message names the first bad index)."""
    if hasattr(votes, "to_numpy") and not isinstance(votes, np.ndarray):
        votes = votes.to_numpy()
    raw = votes if isinstance(votes, np.ndarray) else list(votes)
    try:
        arr = np.asarray(raw) if isinstance(raw, np.ndarray) else np.asarray(raw, dtype=np.float64)
        if arr.dtype.kind not in "iubf":
            arr = arr.astype(np.float64)
    except (TypeError, ValueError):
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
    if arr.dtype.kind in "iub":
        ok_range = arr.size == 0 or (int(arr.min()) >= -1 and int(arr.max()) <= 1)
        if ok_range:
            return arr.astype(np.int8)
        bad = (arr < -1) | (arr > 1)
    else:
        bad = ~((arr == 1) | (arr == 0) | (arr == -1))
        if not bad.any():
            return arr.astype(np.int8)
    i = int(np.flatnonzero(bad)[0])
    value = raw[i]
    if isinstance(value, np.generic):
        value = value.item()
    raise InvalidVotesError(f"vote {value!r} is not one of -1, 0, 1", location=f"index {i}")


def _check_timestamps(timestamps: Any, n: int) -> np.ndarray:
    if hasattr(timestamps, "to_numpy") and not isinstance(timestamps, np.ndarray):
        timestamps = timestamps.to_numpy()
    raw = np.asarray(timestamps) if isinstance(timestamps, np.ndarray) else None
    try:
        if raw is not None and raw.dtype.kind == "M":  # datetimes: milliseconds, as Polis
            ms = raw.astype("datetime64[ms]")
            ts = ms.astype(np.int64).astype(np.float64)
            ts[np.isnat(ms)] = np.nan
        else:
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


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")``, by one value sort when the keys are integral
    numbers whose range and position fit together in 63 bits (much faster on big inputs)."""
    n = keys.size
    if n < 2:
        return np.arange(n)
    lo, hi = keys.min(), keys.max()
    pbits = (n - 1).bit_length()
    if np.all(keys == np.floor(keys)) and hi - lo < 2.0**52:
        kbits = max(int(hi - lo), 1).bit_length()
        if kbits + pbits <= 63:
            packed = (keys - lo).astype(np.int64)
            packed <<= pbits
            packed |= np.arange(n, dtype=np.int64)
            packed.sort()
            packed &= (1 << pbits) - 1
            return packed
    return np.argsort(keys, kind="stable")


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

    Each vote's cell key (row * n_cols + col), its position and the vote itself are packed
    into one int64 and sorted by value (several times faster than an argsort); the last entry
    of each run of equal keys is the standing vote, read back from the low bits without a
    random gather. Inputs whose keys and positions need more than 61 bits take a stable
    argsort instead.
    """
    n = rows.size
    width = max(n_cols, 1)
    pbits = max(n - 1, 1).bit_length()
    kbits = max(n_rows * width - 1, 1).bit_length()
    vals_packed: np.ndarray | None = None
    if kbits + pbits + 2 <= 63:
        low = pbits + 2  # position and vote + 1 (2 bits) below the cell key
        packed = np.empty(n, dtype=np.int64)
        ramp = np.arange(min(n, _BLOCK), dtype=np.int64) << 2
        for s, e in _blocks(n):
            # (key << low) | (position << 2) | (vote + 1), as sums of disjoint bit fields
            block = packed[s:e]
            np.multiply(rows[s:e], np.int64(width << low), out=block, dtype=np.int64)
            block += cols[s:e].astype(np.int64) << low
            block += ramp[: e - s]
            block += s << 2
            block += values[s:e]
            block += 1
        packed.sort()
        last = np.ones(n, dtype=bool)
        for s, e in _blocks(n - 1):
            last[s:e] = (packed[s:e] >> low) != (packed[s + 1 : e + 1] >> low)
        kept = packed[last]
        del packed, last
        vals_packed = (kept & 3).astype(np.int8)
        vals_packed -= 1
        pos = (kept >> 2) & ((1 << pbits) - 1) if timestamps is not None else None
        kept >>= low
        key = kept
    else:
        key_all = rows.astype(np.int64) * width + cols
        order = np.argsort(key_all, kind="stable")
        ks = key_all[order]
        last = np.ones(n, dtype=bool)
        if n:
            last[:-1] = ks[1:] != ks[:-1]
        pos, key = order[last], ks[last]
    # keys are sorted: row boundaries by binary search, no division per vote
    indptr = np.searchsorted(key, np.arange(n_rows + 1, dtype=np.int64) * width).astype(np.int64)
    m = key.size
    indices = np.empty(m, dtype=np.int32)
    vals = np.empty(0, dtype=np.int8) if vals_packed is not None else np.empty(m, dtype=np.int8)
    starts = np.searchsorted(indptr, np.arange(0, m, _BLOCK), side="right") - 1
    row_chunks = [*np.unique(np.append(starts, 0)).tolist(), n_rows]
    for r0, r1 in itertools.pairwise(row_chunks):
        a, b = int(indptr[r0]), int(indptr[r1])
        if a == b:
            continue
        offsets = np.repeat(np.arange(r0, r1, dtype=np.int64) * width, np.diff(indptr[r0 : r1 + 1]))
        np.subtract(key[a:b], offsets, out=indices[a:b], casting="unsafe")
    if vals_packed is not None:
        vals = vals_packed
    else:
        assert pos is not None
        for s, e in _blocks(m):
            np.take(values, pos[s:e], out=vals[s:e])
    ts = None if timestamps is None or pos is None else timestamps[pos].astype(np.float64)
    return indptr, indices, vals, ts


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
        participants: Any,
        statements: Any,
        votes: Any,
        *,
        timestamps: Any = None,
    ) -> VoteMatrix:
        """Build from one row per vote (long format), at array speed.

        Parameters
        ----------
        participants, statements : array-like of length n
            numpy arrays, pandas Series, lists or tuples. Integer and string ids are
            factorized without Python-level loops (integers of a compact range through a
            lookup table, others by one sort); other hashable ids (tuples, mixed types)
            take a slower dictionary pass. Not None, NaN or blank strings.
        votes : array-like of {-1, 0, 1}, length n
        timestamps : array-like of numbers or datetime64, length n, optional
            When given, votes are processed in timestamp order (ties keep input order) and
            the latest vote per (participant, statement) stands; otherwise the last in
            input order stands. Datetimes are converted to milliseconds (as in Polis).

        Returns
        -------
        VoteMatrix
            Rows and columns numbered by first appearance in processing order (Polis adds
            a participant's row at their first vote).

        Raises
        ------
        InvalidVotesError
            On mismatched lengths, bad vote values or missing ids; the message names the index.

        Examples
        --------
        >>> import numpy as np
        >>> m = VoteMatrix.from_long(np.array([7, 7, 3]), np.array([1, 2, 1]), [1, -1, 0])
        >>> m.participant_ids.tolist(), m.to_dense().tolist()
        ([7, 3], [[1.0, -1.0], [0.0, nan]])
        """
        pid_arr = _as_1d(participants, "participant")
        sid_arr = _as_1d(statements, "statement")
        values = _check_votes(votes)
        n = pid_arr.size
        if sid_arr.size != n or values.size != n:
            raise InvalidVotesError(
                f"participants, statements and votes have lengths {n}, {sid_arr.size}, "
                f"{values.size}; they must be equal",
                location="votes",
            )
        ts = None if timestamps is None else _check_timestamps(timestamps, n)
        order = None
        if ts is not None:
            order = _stable_order(ts)
            pid_arr, sid_arr, values, ts = pid_arr[order], sid_arr[order], values[order], ts[order]
        rows, pids = _factorize(pid_arr, "participant", order)
        cols, sids = _factorize(sid_arr, "statement", order)
        return cls._from_ordered(rows, cols, values, ts, pids, sids)

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        participant: str = "participant",
        statement: str = "statement",
        vote: str = "vote",
        timestamp: str | None = None,
    ) -> VoteMatrix:
        """Build from a table with one row per vote (a pandas DataFrame or any mapping of
        column name to array), as :meth:`from_long` on its columns.

        Parameters
        ----------
        frame : pandas.DataFrame or mapping of str to array-like
        participant, statement, vote : str
            Column names of the participant id, statement id and vote (+1, -1, 0).
        timestamp : str, optional
            Column of vote times (numbers or datetimes); the latest vote per cell stands.

        Raises
        ------
        InvalidVotesError
            Naming the column when one is missing, else as :meth:`from_long`.

        Examples
        --------
        >>> table = {"who": ["a", "b", "a"], "what": [1, 1, 2], "vote": [1, -1, 0]}
        >>> VoteMatrix.from_frame(table, participant="who", statement="what").shape
        (2, 2)
        """
        names = {"participant": participant, "statement": statement, "vote": vote}
        if timestamp is not None:
            names["timestamp"] = timestamp
        columns = list(frame.columns) if hasattr(frame, "columns") else list(frame)
        for role, name in names.items():
            if name not in columns:
                raise InvalidVotesError(
                    f"no {role} column {name!r} (columns: {', '.join(map(str, columns))})",
                    location=f"column {name}",
                )
        return cls.from_long(
            frame[participant],
            frame[statement],
            frame[vote],
            timestamps=None if timestamp is None else frame[timestamp],
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
            order = _stable_order(ts)
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
        cls,
        rows: np.ndarray,
        cols: np.ndarray,
        values: np.ndarray,
        ts: np.ndarray | None,
        pids: Any,
        sids: Any,
        n_rows: int | None = None,
        n_cols: int | None = None,
    ) -> VoteMatrix:
        n_rows = len(pids) if n_rows is None else n_rows
        n_cols = len(sids) if n_cols is None else n_cols
        indptr, indices, vals, tsk = _dedupe_to_csr(rows, cols, values, n_rows, n_cols, ts)
        return cls._make(indptr, indices, vals, pids, sids, tsk, n_cols)

    @classmethod
    def _make(
        cls,
        indptr: np.ndarray,
        indices: np.ndarray,
        values: np.ndarray,
        pids: Any,
        sids: Any,
        ts: np.ndarray | None,
        n_cols: int,
    ) -> VoteMatrix:
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
            raise InvalidVotesError("history replay needs vote timestamps", location="timestamps",
                                    code="needs-timestamps")
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

    def _merge_small(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        shape: tuple[int, int],
        pids: Any,
        sids: Any,
    ) -> VoteMatrix:
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
            before = np.where(rest == 0, _ABSENT, rest - 2).astype(np.int64)
            self._derive_column_totals(merged, both.indices[touched], values[touched], before)
        return merged


def _lower_bound(
    indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
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


def _merge_small_arrays(
    indptr: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    rows: Any,
    cols: Any,
    vals: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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


def _map_ids(existing: np.ndarray,
             incoming: np.ndarray) -> tuple[np.ndarray, list[Any] | np.ndarray]:
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
