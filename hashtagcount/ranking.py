"""Rank merged counts: count descending, then tag in code-point order.

Stage six of the data path (... count -> merge -> **rank** -> present).
Every engine ranks through :func:`rank`, so their outputs compare byte for byte.
"""

import heapq
from typing import Iterable, List, Mapping, Tuple, Union

Ranking = List[Tuple[str, int]]


def _order(item: Tuple[str, int]) -> Tuple[int, str]:
    return -item[1], item[0]


def rank(counts: Union[Mapping[str, int], Iterable[Tuple[str, int]]], top: int = 0) -> Ranking:
    """The ``top`` most used hashtags as ``(tag, count)`` pairs; ``top=0`` keeps them all.

    Ties are broken by the tag in code-point order (what ``LC_ALL=C sort``
    does on UTF-8), so the answer never depends on input order or locale.
    """
    if top < 0:
        raise ValueError("top must be 0 (all) or a positive number, not {}".format(top))
    items = counts.items() if isinstance(counts, Mapping) else counts
    if top:
        return heapq.nsmallest(top, items, key=_order)
    return sorted(items, key=_order)
