"""Holding attributed text back until an organizer changes it or publishes it with a reason.

Every publish path asks the :class:`Guard` of the text's event:

- *before storing* a text that visitors will see, :meth:`Guard.enforce` refuses it with
  :class:`AttributionHeld` (which lists each sentence and whom it names, in both scripts), unless
  the organizer gives a reason, which is kept as an :class:`AttributionOverride` and written to
  the audit log (``attribution.override``);
- *before showing* a stored text, :meth:`Guard.allows` checks it again, so that a text which
  became an attribution later (a person added to the event, the event put under the rule, a
  text stored before the check existed) is held back too; :meth:`Guard.review` lists such texts
  for organizers.

An override covers one exact text of one event: changing the text brings the check back.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from detente.accounts import audit
from detente.errors import InputError
from detente.forum._attribution import AttributionChecker, Finding, event_checker
from detente.forum._public import PublicEvent, public_event
from detente.i18n import gettext as _
from detente.store.models.attribution import AttributionOverride
from detente.store.models.auth import User
from detente.store.models.forum import Event, Person

__all__ = [
    "MIN_REASON_LENGTH",
    "AttributionHeld",
    "Guard",
    "Hold",
    "Text",
    "attribution_guard",
    "event_texts",
    "field_label",
    "guarded_event",
    "text_digest",
    "visible_event",
]

#: The shortest reason accepted for publishing a held text.
MIN_REASON_LENGTH = 5


@dataclass(frozen=True)
class Text:
    """A text a visitor may see: where it is shown (``target``), what it is, and the text."""

    target: str
    field: str
    text: str | None
    language: str | None = None


@dataclass(frozen=True)
class Hold:
    """A text held back under the rule, with the sentences that attribute a view."""

    target: str
    field: str
    language: str | None
    text: str
    findings: tuple[Finding, ...]

    @property
    def label(self) -> str:
        """What the text is, in the interface language (e.g. "Body (Chinese)")."""
        return field_label(self.field, self.language)

    def reasons(self) -> list[str]:
        """One line per sentence: the sentence and whom it names, in the interface language."""
        return [_("“%(sentence)s” names or identifies %(people)s")
                % {"sentence": f.sentence, "people": f.names} for f in self.findings]


_FIELDS = {
    "title": "Title", "lead": "Lead", "body": "Body", "text": "Text",
    "caption": "Caption", "question": "Question", "description": "Description",
    "statement": "Statement", "closing_remarks": "Closing remarks",
}


def field_label(field: str, language: str | None = None) -> str:
    """The name of a field for people, with its language: "Body (Chinese)"."""
    name = _(_FIELDS.get(field, field))
    if language == "zh":
        return _("%(field)s (Chinese)") % {"field": name}
    if language == "en":
        return _("%(field)s (English)") % {"field": name}
    return name


class AttributionHeld(InputError):
    """Text refused under the Chatham House rule; ``holds`` says which sentences and why.

    The message names the first held sentence and the people it identifies; give a reason to
    publish anyway (``override_reason`` in the services, ``--override-reason`` on the command
    line, the reason field on the pages).
    """

    def __init__(self, holds: Sequence[Hold]) -> None:
        self.holds = tuple(holds)
        first = self.holds[0]
        more = sum(len(h.findings) for h in self.holds) - 1
        message = _("held under the Chatham House rule: %(reason)s. Change the text, or give a "
                    "reason to publish it anyway") % {"reason": first.reasons()[0]}
        if more > 0:
            message += " " + _("(%(n)d more held sentences)") % {"n": more}
        super().__init__(message, location=first.label)


def text_digest(text: str) -> str:
    """SHA-256 hex digest of a text as stored (surrounding spacing removed)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def _check_reason(reason: str | None) -> str:
    cleaned = " ".join((reason or "").split())
    if len(cleaned) < MIN_REASON_LENGTH:
        raise InputError(_("give a reason of at least %(n)d characters for publishing held "
                           "text") % {"n": MIN_REASON_LENGTH}, location="override_reason")
    return cleaned


class Guard:
    """The attribution policy of one event: which texts may be shown, and overrides.

    Parameters
    ----------
    db : Session
        Where overrides are read and written.
    event : Event
        The event whose participants are protected (nobody where it allows attribution).
    checker : AttributionChecker, optional
        A checker built already (by default :func:`detente.forum.event_checker`).
    """

    def __init__(self, db: DbSession, event: Event,
                 checker: AttributionChecker | None = None) -> None:
        self.db = db
        self.event = event
        self.checker = checker if checker is not None else event_checker(event)
        self._overridden: set[str] | None = None

    @property
    def applies(self) -> bool:
        """Whether the event is under the rule and has people to protect."""
        return self.checker.applies

    def _overrides(self) -> set[str]:
        if self._overridden is None:
            self._overridden = set(self.db.scalars(
                select(AttributionOverride.digest)
                .where(AttributionOverride.event_id == self.event.id)))
        return self._overridden

    def hold(self, text: Text) -> Hold | None:
        """The hold on ``text``, or None where it may be shown."""
        if not self.applies or not text.text or not text.text.strip():
            return None
        findings = self.checker.check(text.text)
        if not findings or text_digest(text.text) in self._overrides():
            return None
        return Hold(text.target, text.field, text.language, text.text.strip(), tuple(findings))

    def allows(self, text: Text) -> bool:
        """Whether a visitor may see ``text``."""
        return self.hold(text) is None

    def shown(self, target: str, field: str, text: str | None,
              language: str | None = None) -> str | None:
        """``text`` where a visitor may see it, else None."""
        return text if self.allows(Text(target, field, text, language)) else None

    def review(self, texts: Iterable[Text]) -> list[Hold]:
        """The holds among ``texts``."""
        return [h for h in (self.hold(t) for t in texts) if h is not None]

    def enforce(self, texts: Iterable[Text], *, reason: str | None = None,
                user: User | None = None, record: bool = True) -> list[Hold]:
        """Refuse held ``texts`` unless ``reason`` is given; record the overrides.

        With ``record=False`` the overrides are not written yet (the caller writes them with
        :meth:`override` once the record they belong to exists).

        Raises
        ------
        AttributionHeld
            When a text is held and no reason is given.
        InputError
            For a reason that is too short.
        """
        holds = self.review(texts)
        if holds and not (reason and reason.strip()):
            raise AttributionHeld(holds)
        if holds:
            cleaned = _check_reason(reason)
            if record:
                for hold in holds:
                    self.override(hold, cleaned, user)
        return holds

    def override(self, hold: Hold, reason: str, user: User | None = None,
                 target: str | None = None) -> AttributionOverride:
        """Publish ``hold`` anyway: keep the override and write it to the audit log."""
        cleaned = _check_reason(reason)
        target = target or hold.target
        digest = text_digest(hold.text)
        record = self.db.scalar(select(AttributionOverride).where(
            AttributionOverride.event_id == self.event.id,
            AttributionOverride.target == target, AttributionOverride.digest == digest))
        if record is None:
            record = AttributionOverride(event_id=self.event.id, target=target, digest=digest,
                                         reason=cleaned, user_id=user.id if user else None)
            self.db.add(record)
        else:
            record.reason = cleaned
            record.user_id = user.id if user else record.user_id
        self.db.flush()
        self._overrides().add(digest)
        sentences = " | ".join(f"{f.sentence} [{f.names}]" for f in hold.findings)
        audit(self.db, user, "attribution.override", target,
              f"reason: {cleaned}; held: {sentences}")
        return record


def attribution_guard(db: DbSession, event: Event, extra: Iterable[Person] = ()) -> Guard:
    """The :class:`Guard` of ``event`` (``extra`` people are protected too, e.g. deliberation
    participants linked to a person)."""
    return Guard(db, event, event_checker(event, extra))


def event_texts(event: PublicEvent) -> list[Text]:
    """The organizer-written texts of an event's record that pages and reports show: its
    description, the sessions' descriptions and the closing remarks."""
    texts = [Text(f"event:{event.id}:description", "description", event.description, "en"),
             Text(f"event:{event.id}:description_local", "description",
                  event.description_local, "zh"),
             Text(f"event:{event.id}:closing_remarks", "closing_remarks",
                  event.closing_remarks, "en"),
             Text(f"event:{event.id}:closing_remarks_local", "closing_remarks",
                  event.closing_remarks_local, "zh")]
    for session in event.sessions:
        texts += [Text(f"session:{session.id}:description", "description",
                       session.description, "en"),
                  Text(f"session:{session.id}:description_local", "description",
                       session.description_local, "zh")]
    return texts


def guarded_event(guard: Guard, event: PublicEvent) -> tuple[PublicEvent, list[Hold]]:
    """``event`` with its held texts left out, and the holds."""
    holds = guard.review(event_texts(event))
    if not holds:
        return event, []
    gone = {h.target for h in holds}

    def keep(target: str, value: str | None) -> str | None:
        return None if target in gone else value

    sessions = tuple(dataclasses.replace(
        s, description=keep(f"session:{s.id}:description", s.description),
        description_local=keep(f"session:{s.id}:description_local", s.description_local))
        for s in event.sessions)
    key = f"event:{event.id}"
    return dataclasses.replace(
        event, sessions=sessions,
        description=keep(f"{key}:description", event.description),
        description_local=keep(f"{key}:description_local", event.description_local),
        closing_remarks=keep(f"{key}:closing_remarks", event.closing_remarks),
        closing_remarks_local=keep(f"{key}:closing_remarks_local", event.closing_remarks_local),
    ), holds


def visible_event(db: DbSession, event: Event) -> PublicEvent:
    """What visitors may see of ``event``: :func:`public_event` without the record texts
    (descriptions, closing remarks) that are held under the Chatham House rule."""
    shown, _holds = guarded_event(attribution_guard(db, event), public_event(event))
    return shown
