"""The shared vocabulary of the EOCIC service: joint challenges and the five transition steps.

Every other module refers to these ids; none redefines them.
Source of both lists: EOCIC newsletter no. 3 (2019), article "Summary Report on Policy
Lessons Learnt" (`shared/seeds/001_318a3fd6986a6cce.txt`).
"""
from __future__ import annotations

from dataclasses import dataclass

SUMMARY_REPORT_SOURCE = (
    "EOCIC, Summary Report on Policy Lessons Learnt (2019), as summarised in the EOCIC "
    "newsletter no. 3 (2019), article 'Summary Report on Policy Lessons Learnt'"
)


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    description: str


CHALLENGES: tuple[Concept, ...] = (
    Concept(
        "research_innovation_access",
        "Lack of access to research and innovation",
        "Lack of access to research and innovation opportunities.",
    ),
    Concept(
        "ecosystem_collaboration",
        "Absence of collaboration in the regional ecosystem",
        "An absence of collaboration between different actors in the regional eco-system.",
    ),
    Concept(
        "value_added_productivity",
        "Productivity through higher value-added networks and value chains",
        "A need to improve productivity by higher added value networks and value chains.",
    ),
    Concept(
        "cluster_management",
        "Cluster management capabilities and capacities",
        "A need to increase cluster management capabilities and capacities.",
    ),
    Concept(
        "entrepreneurial_dynamics",
        "Re-boosting entrepreneurial dynamics",
        "The re-boosting of entrepreneurial dynamics is perceived as a priority.",
    ),
)

STEPS: tuple[Concept, ...] = (
    Concept("understand", "Understand regional assets and challenges",
            "A prior understanding of regional assets and challenges."),
    Concept("strategy", "Develop a strategy", "Development of a strategy."),
    Concept("coordinate", "Coordinate stakeholders and build networks",
            "Coordination between stakeholders and building networks."),
    Concept("implement", "Implement and assess success",
            "Implementation and assessment of success."),
    Concept("adapt", "Adapt to changing circumstances",
            "Adaptation to changing circumstances."),
)

CHALLENGE_IDS: tuple[str, ...] = tuple(c.id for c in CHALLENGES)
VERDICT_WORDS: dict[str, str] = {"indicated": "indicated", "not_indicated": "not indicated",
                                 "insufficient_data": "insufficient data"}
"""The data verdicts on a joint challenge (`workbench.analysis.diagnosis`), in the reader's words."""
STEP_IDS: tuple[str, ...] = tuple(s.id for s in STEPS)


def challenge(challenge_id: str) -> Concept:
    """The joint challenge with this id (KeyError naming the allowed ids otherwise)."""
    return _lookup(CHALLENGES, challenge_id, "challenge")


def step(step_id: str) -> Concept:
    """The transition step with this id (KeyError naming the allowed ids otherwise)."""
    return _lookup(STEPS, step_id, "step")


def _lookup(concepts: tuple[Concept, ...], concept_id: str, kind: str) -> Concept:
    for concept in concepts:
        if concept.id == concept_id:
            return concept
    allowed = ", ".join(c.id for c in concepts)
    raise KeyError(f"unknown {kind} {concept_id!r}; allowed: {allowed}")
