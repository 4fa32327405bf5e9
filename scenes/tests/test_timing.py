"""The millisecond split behind every duration rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.services import durations_split


def test_split_is_exactly_proportional_when_it_can_be():
    assert durations_split(total_ms=10_000, weights=[5_000, 10_000, 5_000]) == [2_500, 5_000, 2_500]


def test_left_over_milliseconds_go_to_the_largest_remainders_earlier_first():
    # 10 000 / 3 = 3333.33 each: the one spare millisecond goes to the first part.
    assert durations_split(total_ms=10_000, weights=[1, 1, 1]) == [3_334, 3_333, 3_333]
    # 2/3 and 1/3 of 10 000: 6666.67 rounds up, 3333.33 down.
    assert durations_split(total_ms=10_000, weights=[2, 1]) == [6_667, 3_333]


def test_all_zero_weights_split_evenly():
    assert durations_split(total_ms=9, weights=[0, 0, 0]) == [3, 3, 3]


def test_a_part_below_the_minimum_is_raised_and_paid_by_the_largest():
    assert durations_split(total_ms=1_000, weights=[1, 1_000_000]) == [1, 999]


def test_no_parts_and_impossible_splits():
    assert durations_split(total_ms=0, weights=[]) == []
    with pytest.raises(ValueError, match="no parts"):
        durations_split(total_ms=5, weights=[])
    with pytest.raises(ValueError, match="at least 1 ms"):
        durations_split(total_ms=2, weights=[1, 1, 1])


@given(
    total_ms=st.integers(min_value=0, max_value=600_000),
    weights=st.lists(st.integers(min_value=0, max_value=600_000), min_size=1, max_size=200),
)
def test_split_sums_exactly_and_stays_within_a_millisecond_of_the_exact_share(total_ms, weights):
    if total_ms < len(weights):
        with pytest.raises(ValueError):
            durations_split(total_ms=total_ms, weights=weights)
        return
    parts = durations_split(total_ms=total_ms, weights=weights)
    assert sum(parts) == total_ms
    assert all(part >= 1 for part in parts)
    assert parts == durations_split(total_ms=total_ms, weights=weights)
    weight_sum = sum(weights) or len(weights)
    shares = [Fraction(total_ms * (weight if sum(weights) else 1), weight_sum) for weight in weights]
    if all(share >= 1 for share in shares):
        assert all(abs(part - share) < 1 for part, share in zip(parts, shares, strict=True))
