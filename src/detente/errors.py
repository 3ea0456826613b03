"""The exception tree of detente.

Every error that a user can cause derives from :class:`DetenteError`. The CLI prints such an
error as one line on stderr and exits with status 2; the web app renders it with the HTTP status
the class carries. Anything else is a bug.

::

    DetenteError
    ├── InputError                 bad user input (files, forms, API bodies)     -> 400 / exit 2
    │   ├── InvalidVotesError      votes outside {-1, 0, 1}, empty ids, ...
    │   ├── InvalidParameterError  an estimator parameter out of its range (also a ValueError)
    │   └── ImportFormatError      a file that cannot be parsed or validated
    ├── NotFoundError              a record that does not exist                  -> 404
    ├── ConflictError              a duplicate or a state change not allowed     -> 409
    ├── PermissionDeniedError      a participant or user not allowed to act      -> 403
    ├── DatabaseError              a database that cannot be opened or upgraded  -> 503
    │   └── DatabaseBusyError      a write that waited too long for another     -> 503, Retry-After
    ├── RateLimitedError           too many requests from one participant/address -> 429
    ├── UnavailableError           a shared service (Redis, the queue) is down    -> 503
    └── ComputationFailedError     a background computation hit a bug (logged)    -> 500
"""

from __future__ import annotations

__all__ = [
    "ComputationFailedError",
    "ConflictError",
    "DatabaseBusyError",
    "DatabaseError",
    "DetenteError",
    "ImportFormatError",
    "InputError",
    "InvalidParameterError",
    "InvalidVotesError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "UnavailableError",
]


class DetenteError(Exception):
    """Base of every error a user can cause.

    Parameters
    ----------
    message : str
        What went wrong, in one sentence.
    location : str, optional
        Where: a file name with an optional line (``forum.yaml:12``), a field path
        (``sessions[2].chair``) or an array index. Shown in front of the message.
    code : str, optional
        A stable name of the problem, for code that raises its messages in English only (the
        consensus engine, which knows no interface language): the layer that shows the error
        says it in the interface language from ``code`` and ``params``.
    params : dict, optional
        The values the message names (a vote, a column, a count), for such a translation.
    """

    status_code: int = 400

    def __init__(self, message: str, *, location: str | None = None, code: str | None = None,
                 params: dict[str, object] | None = None) -> None:
        self.message = message
        self.location = location
        self.code = code
        self.params: dict[str, object] = dict(params or {})
        super().__init__(f"{location}: {message}" if location else message)


class InputError(DetenteError):
    """Input that detente cannot accept."""


class InvalidVotesError(InputError):
    """Votes, ids or a vote file that the consensus engine cannot use."""


class InvalidParameterError(InputError, ValueError):
    """A parameter outside its allowed values; the message names the parameter.

    Also a :class:`ValueError`, as scikit-learn estimators raise for bad parameters.
    """


class ImportFormatError(InputError):
    """A file that cannot be parsed or fails validation; nothing was imported."""


class NotFoundError(DetenteError):
    """A record that does not exist."""

    status_code = 404


class ConflictError(DetenteError):
    """A duplicate, or a change that the record's current state does not allow."""

    status_code = 409


class PermissionDeniedError(DetenteError):
    """An actor who is not allowed to do this."""

    status_code = 403


class DatabaseError(DetenteError):
    """A database that cannot be opened, created or upgraded."""

    status_code = 503


class RateLimitedError(DetenteError):
    """Too many requests: the web app answers 429 with ``Retry-After``."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int = 1,
                 location: str | None = None) -> None:
        super().__init__(message, location=location)
        self.retry_after = max(1, int(retry_after))


class UnavailableError(DetenteError):
    """A shared service that a request needs (Redis, the job queue) does not answer: the web
    app answers 503 with ``Retry-After`` and changes nothing."""

    status_code = 503

    def __init__(self, message: str, *, retry_after: int = 1,
                 location: str | None = None) -> None:
        super().__init__(message, location=location)
        self.retry_after = max(1, int(retry_after))


class ComputationFailedError(DetenteError):
    """A computation run in the background that failed from a bug, not from its input: the
    traceback is in the server log, and a page that waited for it says so with 500 (the user
    did nothing wrong, so it is not a 400)."""

    status_code = 500


class DatabaseBusyError(DatabaseError):
    """A write that could not get the database within the busy timeout (SQLite allows one
    writer at a time): the web app answers 503 with ``Retry-After``; retrying then usually
    succeeds."""

    def __init__(self, message: str, *, retry_after: int = 5,
                 location: str | None = None) -> None:
        super().__init__(message, location=location)
        self.retry_after = max(1, int(retry_after))
