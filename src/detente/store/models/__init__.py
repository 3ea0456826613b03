"""All models, one module per capability; importing this package registers every table.

Each ``store/models/<capability>.py`` module is imported here automatically, so a capability
adds its tables by adding its module.
"""

from __future__ import annotations

import importlib
import pkgutil

from detente.store.base import Base

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

metadata = Base.metadata

__all__ = ["metadata"]
