"""The committee's voting rules (`ceiba.policy.voting`): quorum, every majority rule, consensus, and
properties that hold for any set of positions (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceiba.policy import voting
from ceiba.policy.choices import DecisionMethod, MajorityRule, Position, QuorumRule


def _positions(**counts: int) -> list[tuple[str, str]]:
    rows, number = [], 0
    for position, count in counts.items():
        for _ in range(count):
            number += 1
            rows.append((f"S{number:02d}", position))
    return rows


def test_the_vocabulary_matches_the_models_choices() -> None:
    assert set(voting.POSITIONS) == set(Position.values)
    assert set(voting.QUORUM_RULES) == set(QuorumRule.values)
    assert set(voting.MAJORITY_RULES) == set(MajorityRule.values)
    assert {voting.CONSENSUS, voting.VOTE} == set(DecisionMethod.values)


@pytest.mark.parametrize(
    ("rule", "members", "required"),
    [
        ("majority", 1, 1),
        ("majority", 9, 5),
        ("majority", 10, 6),
        ("two_thirds", 9, 6),
        ("two_thirds", 10, 7),
        ("two_thirds", 3, 2),
        ("all", 7, 7),
    ],
)
def test_quorum_required(rule: str, members: int, required: int) -> None:
    assert voting.quorum_required(rule, members) == required


def test_no_quorum_counts_states_without_a_position_and_absent_ones_as_absent() -> None:
    with pytest.raises(voting.NoQuorum) as caught:
        voting.decide(
            method="vote",
            quorum_rule="two_thirds",
            majority_rule="simple",
            members=9,
            positions=_positions(in_favour=4, absent=2),
        )
    assert (caught.value.present, caught.value.required, caught.value.members) == (4, 6, 9)


def test_an_abstention_counts_towards_the_quorum() -> None:
    outcome = voting.decide(
        method="vote",
        quorum_rule="majority",
        majority_rule="simple",
        members=5,
        positions=_positions(in_favour=1, abstain=2),
    )
    assert outcome.present == 3 and outcome.absent == 2 and outcome.adopted


@pytest.mark.parametrize(
    ("rule", "counts", "adopted"),
    [
        ("simple", {"in_favour": 3, "against": 2, "abstain": 4}, True),
        ("simple", {"in_favour": 3, "against": 3}, False),
        ("absolute", {"in_favour": 5, "against": 0, "abstain": 4}, True),
        ("absolute", {"in_favour": 4, "against": 0, "abstain": 5}, False),
        ("two_thirds", {"in_favour": 6, "against": 3}, True),
        ("two_thirds", {"in_favour": 5, "against": 3, "abstain": 1}, False),
        ("two_thirds", {"in_favour": 2, "against": 1, "abstain": 6}, True),
        ("unanimity", {"in_favour": 8, "reservation": 1}, True),
        ("unanimity", {"in_favour": 8, "abstain": 1}, False),
        ("unanimity", {"in_favour": 8, "against": 1}, False),
    ],
)
def test_majority_rules(rule: str, counts: dict[str, int], adopted: bool) -> None:
    outcome = voting.decide(
        method="vote", quorum_rule="majority", majority_rule=rule, members=9, positions=_positions(**counts)
    )
    assert outcome.adopted is adopted


def test_consensus_adopts_without_objection_and_lists_reservations() -> None:
    positions = {"Chile": "reservation", "Argentina": "in_favour", "Brazil": "abstain", "Peru": "reservation"}
    outcome = voting.decide(
        method="consensus", quorum_rule="majority", majority_rule="two_thirds", members=5, positions=positions
    )
    assert outcome.adopted and outcome.reservations == ["Chile", "Peru"]
    objection = {**positions, "Peru": "against"}
    assert not voting.decide(
        method="consensus", quorum_rule="majority", majority_rule="two_thirds", members=5, positions=objection
    ).adopted


def test_nobody_in_favour_never_adopts() -> None:
    for method in ("vote", "consensus"):
        outcome = voting.decide(
            method=method,
            quorum_rule="majority",
            majority_rule="simple",
            members=3,
            positions=_positions(abstain=3),
        )
        assert not outcome.adopted


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "acclamation"},
        {"quorum_rule": "most"},
        {"majority_rule": "most"},
        {"positions": [("A", "maybe")]},
        {"positions": _positions(in_favour=4)},
        {"members": 0, "positions": []},
    ],
)
def test_bad_input_is_refused(kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {
        "method": "vote",
        "quorum_rule": "majority",
        "majority_rule": "simple",
        "members": 3,
        "positions": _positions(in_favour=2),
        **kwargs,
    }
    with pytest.raises(ValueError):
        voting.decide(**arguments)  # type: ignore[arg-type]


position_lists = st.integers(min_value=1, max_value=40).flatmap(
    lambda members: st.tuples(
        st.just(members),
        st.lists(st.sampled_from(voting.POSITIONS), max_size=members),
    )
)


@given(
    position_lists,
    st.sampled_from(voting.QUORUM_RULES),
    st.sampled_from(voting.MAJORITY_RULES),
    st.sampled_from([voting.VOTE, voting.CONSENSUS]),
)
def test_counts_add_up_and_quorum_is_respected(
    data: tuple[int, list[str]], quorum: str, majority: str, method: str
) -> None:
    members, positions = data
    rows = [(f"S{i}", p) for i, p in enumerate(positions)]
    present = sum(1 for p in positions if p != voting.ABSENT)
    required = voting.quorum_required(quorum, members)
    if present < required:
        with pytest.raises(voting.NoQuorum):
            voting.decide(
                method=method, quorum_rule=quorum, majority_rule=majority, members=members, positions=rows
            )
        return
    outcome = voting.decide(
        method=method, quorum_rule=quorum, majority_rule=majority, members=members, positions=rows
    )
    assert outcome.in_favour + outcome.against + outcome.abstain + outcome.reservation == outcome.present
    assert outcome.present + outcome.absent == members
    assert 2 * outcome.quorum > members or quorum != "majority"
    if outcome.adopted:
        assert outcome.in_favour + outcome.reservation > 0
        if method == voting.CONSENSUS or majority == "unanimity":
            assert outcome.against == 0


@given(position_lists, st.sampled_from(voting.MAJORITY_RULES))
def test_one_more_vote_in_favour_never_turns_adoption_into_rejection(
    data: tuple[int, list[str]], majority: str
) -> None:
    members, positions = data
    if voting.ABSENT not in positions and len(positions) == members:
        return
    rows = [(f"S{i}", p) for i, p in enumerate(positions)]
    try:
        before = voting.decide(
            method="vote", quorum_rule="majority", majority_rule=majority, members=members, positions=rows
        )
    except voting.NoQuorum:
        return
    # An absent state (or one without a position) comes and votes in favour.
    if voting.ABSENT in positions:
        index = positions.index(voting.ABSENT)
        rows[index] = (rows[index][0], voting.IN_FAVOUR)
    else:
        rows.append(("NEW", voting.IN_FAVOUR))
    after = voting.decide(
        method="vote", quorum_rule="majority", majority_rule=majority, members=members, positions=rows
    )
    assert after.adopted or not before.adopted
