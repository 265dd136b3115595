"""How the committee decides (issue 5): quorum and outcome of a decision under its declared rules.

Pure Python, no Django: the service (`committee_services.decision_close`) gives it the number of
member states and each state's position, and stores what it returns.

- A member state is *present* when it recorded a position other than "absent"; a member with no
  position recorded is absent.
- Quorum: more than half (`majority`), at least two thirds (`two_thirds`) or all (`all`) of the
  member states present.
- By vote, "in favour" and "joins with a reservation" count as votes in favour:
  `simple` more in favour than against; `absolute` in favour from more than half of all member
  states; `two_thirds` in favour from at least two thirds of the states present and voting (in
  favour or against); `unanimity` every state present in favour (no vote against, no abstention).
- By consensus: adopted when no state present objects ("against"); reservations are listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

IN_FAVOUR = "in_favour"
AGAINST = "against"
ABSTAIN = "abstain"
RESERVATION = "reservation"
ABSENT = "absent"
POSITIONS = (IN_FAVOUR, AGAINST, ABSTAIN, RESERVATION, ABSENT)

CONSENSUS = "consensus"
VOTE = "vote"
QUORUM_RULES = ("majority", "two_thirds", "all")
MAJORITY_RULES = ("simple", "absolute", "two_thirds", "unanimity")


class NoQuorum(Exception):
    """Fewer member states are present than the quorum requires: the committee cannot decide."""

    def __init__(self, present: int, required: int, members: int) -> None:
        self.present, self.required, self.members = present, required, members
        super().__init__(f"{present} of {members} member states present; the quorum is {required}")


@dataclass(frozen=True)
class Outcome:
    """The count of a decision and whether it is adopted."""

    method: str
    members: int
    present: int
    quorum: int
    in_favour: int
    against: int
    abstain: int
    reservation: int
    absent: int
    adopted: bool
    reservations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def quorum_required(rule: str, members: int) -> int:
    """How many member states must be present under `rule` (at least one)."""
    if members < 1:
        raise ValueError("a committee without member states cannot decide")
    if rule == "majority":
        return members // 2 + 1
    if rule == "two_thirds":
        return -(-2 * members // 3)  # ceiling of 2n/3
    if rule == "all":
        return members
    raise ValueError(f"unknown quorum rule {rule!r}")


def carried(rule: str, *, members: int, in_favour: int, against: int, abstain: int) -> bool:
    """Whether the votes in favour carry a decision under the majority `rule`."""
    if in_favour < 1:
        return False
    if rule == "simple":
        return in_favour > against
    if rule == "absolute":
        return 2 * in_favour > members
    if rule == "two_thirds":
        return 3 * in_favour >= 2 * (in_favour + against)
    if rule == "unanimity":
        return against == 0 and abstain == 0
    raise ValueError(f"unknown majority rule {rule!r}")


def decide(
    *,
    method: str,
    quorum_rule: str,
    majority_rule: str,
    members: int,
    positions: Mapping[str, str] | Iterable[tuple[str, str]],
) -> Outcome:
    """The outcome of a decision; `positions` maps each member state (a label) to its position.
    Raises `NoQuorum` when too few member states are present, `ValueError` on an unknown rule,
    method or position or when more states took a position than there are members."""
    if method not in (CONSENSUS, VOTE):
        raise ValueError(f"unknown method {method!r}")
    items = list(positions.items() if isinstance(positions, Mapping) else positions)
    if len(items) > members:
        raise ValueError("more positions than member states")
    counts = dict.fromkeys(POSITIONS, 0)
    for _state, position in items:
        if position not in counts:
            raise ValueError(f"unknown position {position!r}")
        counts[position] += 1
    absent = counts[ABSENT] + (members - len(items))
    present = members - absent
    required = quorum_required(quorum_rule, members)
    if present < required:
        raise NoQuorum(present, required, members)
    yes = counts[IN_FAVOUR] + counts[RESERVATION]
    if method == CONSENSUS:
        if majority_rule not in MAJORITY_RULES:
            raise ValueError(f"unknown majority rule {majority_rule!r}")
        adopted = counts[AGAINST] == 0 and yes > 0
    else:
        adopted = carried(
            majority_rule, members=members, in_favour=yes, against=counts[AGAINST], abstain=counts[ABSTAIN]
        )
    return Outcome(
        method=method,
        members=members,
        present=present,
        quorum=required,
        in_favour=counts[IN_FAVOUR],
        against=counts[AGAINST],
        abstain=counts[ABSTAIN],
        reservation=counts[RESERVATION],
        absent=absent,
        adopted=adopted,
        reservations=sorted(state for state, position in items if position == RESERVATION),
    )
