"""rank(): count descending, then tag in code-point order, whatever the input order."""

import random

import pytest

from hashtagcount.ranking import rank

COUNTS = {"b": 2, "a": 2, "東京": 5, "Z": 2, "c": 1}


def test_count_descending_then_code_point_order():
    # "Z" (U+005A) sorts before "a" in code-point order, as LC_ALL=C sort puts it.
    assert rank(COUNTS) == [("東京", 5), ("Z", 2), ("a", 2), ("b", 2), ("c", 1)]


def test_top_keeps_the_first_n_of_the_same_order():
    assert rank(COUNTS, 3) == [("東京", 5), ("Z", 2), ("a", 2)]
    assert rank(COUNTS, 0) == rank(COUNTS) == rank(COUNTS, 99)


def test_input_order_never_matters():
    pairs = list(COUNTS.items())
    for seed in range(20):
        random.Random(seed).shuffle(pairs)
        assert rank(iter(pairs), 4) == rank(COUNTS, 4)


def test_a_negative_top_is_refused():
    with pytest.raises(ValueError, match="top must be 0"):
        rank(COUNTS, -1)
