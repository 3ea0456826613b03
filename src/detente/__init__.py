"""detente: the platform for expert forums on AI and international security.

Forum records, Polis-style deliberations, a consensus engine, state positions from UN votes and
declarations, a governance knowledge base, and bilingual publications.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
