"""All models, one module per capability; importing this package registers every table.

A capability adds its tables in ``store/models/<capability>.py`` and names the module in the
import below, the one list of model modules.
"""

from __future__ import annotations

from detente.store.base import Base
from detente.store.models import (  # noqa: F401  (imported to register their tables)
    attribution,
    auth,
    deliberation,
    forum,
    knowledge,
    publications,
    states,
)

metadata = Base.metadata

__all__ = ["metadata"]
