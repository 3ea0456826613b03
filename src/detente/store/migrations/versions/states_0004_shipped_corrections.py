"""State positions: bring the corrections of this release to the shipped AI facts already stored.

A database loaded with the shipped facts (``detente demo`` or ``detente states load-facts``)
before this release keeps three claims that were corrected since: the G7 code of conduct
"endorsed, as did the EU" (the source names no EU endorsement), the Council of Europe
convention open to "its members only" (non-member states invited to join may sign too), and
every listed state named by the source (the seven G7 members and four co-chairs of the
political declaration are inferred from a role or a membership, and one signatory of the
convention is named by one source only). ``states_0003`` added ``evidence`` as "named" on every
stored position.

This step changes a stored value only where it is still the shipped one: the instrument or
position with the shipped source address (and, for a position, the shipped state, position and
note) and the value shipped before this release. Anything imported from another source, or
edited since, is left as it is. It raises the state data version when it changes anything, so
cached analyses are computed again. Downgrading changes nothing (``states_0003``'s downgrade
drops ``evidence``).

Revision ID: states_0004
Revises: states_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "states_0004"
down_revision = "states_0003"
branch_labels = None
depends_on = None

_G7 = ("https://hunton.sitepilot11.firmseek.com/privacy-and-information-security-law/"
       "g7-leaders-agree-on-guiding-principles-and-code-of-conduct-on-artificial-intelligence0")
_COE = ("https://miragenews.com/canada-japan-ink-council-of-europes-ai-treaty-1406344")
_COE_INSTRUMENT = ("https://www.1lurer.am/en/2026/01/27/Ararat-Mirzoyan-signed-first-"
                   "international-document-regulating-field-o/1454118")
_DECLARATION = "https://jisipnews.com/?p=72572"

#: (instrument slug, column, value shipped before, value shipped now, instrument source).
_INSTRUMENTS = (
    ("g7-hiroshima-2023", "organisations", "eu", "", _G7),
    ("coe-framework-convention-ai", "open_to", "members", "members-and-invited",
     _COE_INSTRUMENT),
)

_G7_NOTE = "source says 'G7 leaders'; member list is G7 membership, not named in the source"
_CO_CHAIR = ("named as working-group co-chair at March 2024 plenary of endorsing States (repost "
             "of state.gov); endorsement inferred from that role")
_MNE = ("listed among Vilnius signatories in this Council of Europe text; not in other 5 Sep "
        "reports")

#: (instrument slug, state, position, source, note, evidence shipped now); stored before
#: this release with evidence "" (named).
_POSITIONS = (
    *(("g7-hiroshima-2023", state, "endorsed", _G7, _G7_NOTE, "inferred")
      for state in ("CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA")),
    *(("political-declaration-military-ai", state, "endorsed", _DECLARATION, _CO_CHAIR,
       "inferred") for state in ("AUT", "BHR", "CAN", "PRT")),
    ("coe-framework-convention-ai", "MNE", "signed", _COE, _MNE, "one-source"),
)


def upgrade() -> None:
    bind = op.get_bind()
    instruments = sa.table("state_instruments", sa.column("id", sa.Integer),
                           sa.column("slug", sa.String), sa.column("source_url", sa.String),
                           sa.column("organisations", sa.String),
                           sa.column("open_to", sa.String))
    positions = sa.table("state_positions", sa.column("instrument_id", sa.Integer),
                         sa.column("state", sa.String), sa.column("position", sa.String),
                         sa.column("source_url", sa.String), sa.column("note", sa.String),
                         sa.column("evidence", sa.String))
    changed = 0
    for slug, name, before, now, source in _INSTRUMENTS:
        column = instruments.c[name]
        changed += bind.execute(
            sa.update(instruments)
            .where(instruments.c.slug == slug, instruments.c.source_url == source,
                   column == before)
            .values({name: now})).rowcount or 0
    for slug, state, position, source, note, evidence in _POSITIONS:
        instrument = sa.select(instruments.c.id).where(instruments.c.slug == slug)
        changed += bind.execute(
            sa.update(positions)
            .where(positions.c.instrument_id == instrument.scalar_subquery(),
                   positions.c.state == state, positions.c.position == position,
                   positions.c.source_url == source, positions.c.note == note,
                   positions.c.evidence == "")
            .values(evidence=evidence)).rowcount or 0
    if changed:
        version = sa.table("state_data_version", sa.column("id", sa.Integer),
                           sa.column("version", sa.Integer))
        if not bind.execute(sa.update(version).where(version.c.id == 1)
                            .values(version=version.c.version + 1)).rowcount:
            bind.execute(sa.insert(version).values(id=1, version=1))


def downgrade() -> None:
    pass  # the corrected values are facts, not schema; states_0003's downgrade drops evidence
