"""hashtagcount.fastfind: the SIMD search finds (and counts) exactly what bytes.find (and bytes.count) do."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hashtagcount import fastfind
from strategies import PROPERTY

KEY = b'"hashtags"'
# Haystacks made of pieces of the key, so near-misses and overlaps are common.
pieces = st.sampled_from([KEY, KEY[:5], KEY[3:], b'"', b"s", b"\x00", b"\xff", b":[]", b"\n", b"\r", b"{", b"}", "é".encode()])
haystacks = st.lists(pieces, max_size=40).map(b"".join)


def test_the_switch_forces_bytes_find(monkeypatch):
    monkeypatch.setenv(fastfind.ENVIRONMENT_SWITCH, "bytes")
    assert fastfind.best_find() is bytes.find
    assert fastfind.best_count() is None  # runs of lines are then cut into lines


def test_without_the_switch_the_simd_search_is_used_when_installed(monkeypatch):
    monkeypatch.delenv(fastfind.ENVIRONMENT_SWITCH, raising=False)
    assert fastfind.best_find() is (fastfind.simd_find() or bytes.find)
    assert fastfind.best_count() is fastfind.simd_count()


@PROPERTY
@given(haystacks, st.integers(0, 400), st.sampled_from([KEY, b"\n", b"s", KEY + b":[{"]))
def test_simd_find_is_bytes_find(haystack, start, needle):
    find = fastfind.simd_find()
    if find is None:
        pytest.skip("stringzilla (the fast extra) is not installed")
    assert find(haystack, needle, start) == haystack.find(needle, start)


@PROPERTY
@given(haystacks, st.integers(0, 400), st.integers(0, 400),
       st.sampled_from([KEY, b"\n", b"}\n{", b"}\r\n{", b"s", b'"s']))
def test_simd_count_is_bytes_count(haystack, start, end, needle):
    count = fastfind.simd_count()
    if count is None:
        pytest.skip("stringzilla (the fast extra) is not installed")
    assert count(haystack, needle, start, end) == haystack.count(needle, start, end)
