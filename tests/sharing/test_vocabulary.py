"""The sharing vocabulary is declarative data with an order and validated gradings."""

from __future__ import annotations

from ceiba.sharing.choices import (
    ADMIRALTY,
    EUROPOL,
    GRADING_SCHEMES,
    TLP,
    TLP_ORDER,
    HandlingCode,
    Scope,
    grading_errors,
    most_restrictive,
    tlp_rank,
)


def test_tlp_markings_are_ordered_from_clear_to_red() -> None:
    assert [m.value for m in TLP_ORDER] == ["clear", "green", "amber", "amber_strict", "red"]
    assert tlp_rank(TLP.CLEAR) < tlp_rank(TLP.AMBER) < tlp_rank(TLP.RED)
    assert most_restrictive(["green", "amber_strict", "amber"]) == TLP.AMBER_STRICT
    assert most_restrictive([]) == TLP.CLEAR


def test_handling_codes_and_scopes() -> None:
    assert HandlingCode.values == ["H0", "H1", "H2", "H3"]
    assert Scope.values == ["originator", "secretariat", "named", "all_members"]


def test_grading_schemes() -> None:
    assert [g.code for g in ADMIRALTY.reliability] == list("ABCDEF")
    assert [g.code for g in ADMIRALTY.credibility] == list("123456")
    assert [g.code for g in EUROPOL.reliability] == list("ABCX")
    assert [g.code for g in EUROPOL.credibility] == list("1234")
    assert set(GRADING_SCHEMES) == {"admiralty", "europol"}
    assert grading_errors("admiralty", "F", "6") == {}
    assert set(grading_errors("europol", "F", "6")) == {"source_reliability", "information_credibility"}
    assert set(grading_errors("nato", "A", "1")) == {"grading_scheme"}
