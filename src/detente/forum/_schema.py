"""The forum file format (``detente-forum/1``), as Pydantic models.

One file holds institutions, people, themes and events; events refer to the others by their
``id`` (a slug). Unknown fields are refused so that a typo never passes silently.
See docs/forum-format.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

__all__ = [
    "ClosingRemarksSpec",
    "EventSpec",
    "ForumFile",
    "InstitutionSpec",
    "ParticipantSpec",
    "PersonSpec",
    "SessionSpec",
    "ThemeSpec",
]

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,119}$"

#: The languages an event is held in.
Language = Literal["en", "zh"]


def _english_only() -> list[Language]:
    return ["en"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: object) -> object:
        """Refuse what no database column can hold: NUL characters and lone surrogates."""
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                if "\x00" in item:
                    raise ValueError("contains a NUL character")
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise ValueError("is not valid Unicode text (a lone surrogate)") from None
        return value


class InstitutionSpec(_Spec):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    short_name: str | None = Field(default=None, max_length=60)
    name_local: str | None = Field(default=None, max_length=300)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    url: str | None = Field(default=None, max_length=500)


class PersonSpec(_Spec):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    name_local: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=300)
    title_local: str | None = Field(default=None, max_length=300)
    affiliation: str | None = None


class ThemeSpec(_Spec):
    id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    name_local: str | None = Field(default=None, max_length=300)
    description: str | None = None


class SessionSpec(_Spec):
    title: str = Field(min_length=1, max_length=300)
    title_local: str | None = Field(default=None, max_length=300)
    chair: str | None = None
    themes: list[str] = Field(default_factory=list)
    description: str | None = None
    description_local: str | None = None
    speakers: list[str] = Field(default_factory=list)


class ParticipantSpec(_Spec):
    person: str
    role: Literal["organizer", "chair", "speaker", "participant"] = "participant"


class ClosingRemarksSpec(_Spec):
    speaker: str | None = None
    text: str = Field(min_length=1)
    text_local: str | None = None


class EventSpec(_Spec):
    id: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=1, max_length=300)
    title_local: str | None = Field(default=None, max_length=300)
    host: str
    date: dt.date
    end_date: dt.date | None = None
    venue: str | None = Field(default=None, max_length=300)
    venue_local: str | None = Field(default=None, max_length=300)
    description: str | None = None
    description_local: str | None = None
    languages: list[Language] = Field(default_factory=_english_only, min_length=1)
    attribution: Literal["chatham_house", "attributed"] = "chatham_house"
    institutions: list[str] = Field(default_factory=list)
    participants: list[ParticipantSpec] = Field(default_factory=list)
    sessions: list[SessionSpec] = Field(default_factory=list)
    closing_remarks: ClosingRemarksSpec | None = None
    #: Written by an export under the Chatham House rule: the file leaves out session speakers,
    #: the closing-remarks speaker and participants other than organizers, and importing it
    #: keeps those already stored.
    attributions_withheld: bool = False

    @field_validator("end_date")
    @classmethod
    def _end_not_before_start(cls, value: dt.date | None,
                              info: ValidationInfo) -> dt.date | None:
        start = info.data.get("date")
        if value is not None and start is not None and value < start:
            raise ValueError("end_date is before date")
        return value


class ForumFile(_Spec):
    format: Literal["detente-forum/1"] = "detente-forum/1"
    institutions: list[InstitutionSpec] = Field(default_factory=list)
    people: list[PersonSpec] = Field(default_factory=list)
    themes: list[ThemeSpec] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)
