"""The percentile every benchmark reports."""

import pytest

from bench.stats import percentile


def test_nearest_rank_is_one_of_the_values():
    values = [float(v) for v in range(200, 0, -1)]  # 200 … 1, unsorted on purpose
    assert percentile(values, 99) == 198.0
    assert percentile(values, 95) == 190.0
    assert percentile(values, 50) == 100.0
    assert percentile(values, 100) == 200.0
    assert percentile(values, 0) == 1.0


def test_the_rank_is_exact_for_percents_with_decimals():
    assert percentile(range(1, 101), 95) == 95
    assert percentile(range(1, 1001), 99.9) == 999
    assert percentile(range(1, 1001), 99.95) == 1000


def test_small_samples():
    assert percentile([3.5], 99) == 3.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 51) == 3.0
    assert percentile(iter([10.0, 30.0, 20.0]), 100) == 30.0


def test_no_values_or_a_percent_out_of_range_is_an_error():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], 101)
