"""An optional SIMD substring search and count for the byte pre-check, with identical results.

The pre-check (:mod:`hashtagcount.precheck`) looks for ``"hashtags"`` in
every byte of the input, and ``bytes.find`` does so at about 1 GB/s: a
fifth of a count's time.  ``stringzilla`` (the ``fast`` extra) finds the
same first occurrence several times faster with SIMD instructions, and has
``bytes.find``'s signature and meaning (``find(haystack, needle, start)``,
-1 when absent).  ``precheck.py`` stays standard library (``mapper.py``
carries it), so the search is handed to it as an argument; so is it to the
line reader (:mod:`hashtagcount.lines`), which finds every newline.
Its ``count`` lets the pre-check count a run's lines and check their shape
without cutting them out; ``bytes.count`` is too slow for that (slower
than cutting), so without stringzilla there is no count, and lines are cut.

``HASHTAGCOUNT_FIND=bytes`` forces ``bytes.find``, and no count, everywhere
(the tests compare the two).
"""

import os
from typing import Optional

from .lines import Find
from .precheck import Count

ENVIRONMENT_SWITCH = "HASHTAGCOUNT_FIND"

try:
    from stringzilla import count as _simd_count, find as _simd_find
except ImportError:  # the "fast" extra is not installed
    _simd_find = _simd_count = None


def simd_find() -> Optional[Find]:
    """stringzilla's ``find`` if installed, else None (whatever the switch says)."""
    return _simd_find


def simd_count() -> Optional[Count]:
    """stringzilla's ``count`` if installed, else None (whatever the switch says)."""
    return _simd_count


def _wanted() -> bool:
    return _simd_find is not None and os.environ.get(ENVIRONMENT_SWITCH, "").lower() != "bytes"


def best_find() -> Find:
    """stringzilla's ``find`` if installed, else ``bytes.find``; ``HASHTAGCOUNT_FIND=bytes`` picks bytes.find."""
    return _simd_find if _wanted() else bytes.find  # type: ignore[return-value]


def best_count() -> Optional[Count]:
    """stringzilla's ``count`` when :func:`best_find` is its ``find``, else None: lines are then cut."""
    return _simd_count if _wanted() else None
