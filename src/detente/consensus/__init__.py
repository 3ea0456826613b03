"""detente's consensus engine: Polis-faithful opinion groups and statements.

Pure numpy/scipy: build a :class:`VoteMatrix`, fit a :class:`Consensus` estimator, read the
typed :class:`ConsensusResult` (or its ``to_json()``). See docs/consensus.md.
"""

from ._clustering import Clustering, KSmoother
from ._io import PolisConversation, read_polis_conversation, read_votes_csv, write_polis_export
from ._matrix import VoteMatrix
from ._model import Consensus, ConsensusState
from ._repness import VoteCounts
from ._result import (
    ConsensusResult,
    ConsensusStatement,
    DivisiveStatement,
    Group,
    RepresentativeStatement,
)

__all__ = [
    "Clustering",
    "Consensus",
    "ConsensusResult",
    "ConsensusState",
    "ConsensusStatement",
    "DivisiveStatement",
    "Group",
    "KSmoother",
    "PolisConversation",
    "RepresentativeStatement",
    "VoteCounts",
    "VoteMatrix",
    "read_polis_conversation",
    "read_votes_csv",
    "write_polis_export",
]
