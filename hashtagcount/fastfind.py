"""An optional SIMD substring search for the byte pre-check, with identical results.

The pre-check (:mod:`hashtagcount.precheck`) looks for ``"hashtags"`` in
every byte of the input, and ``bytes.find`` does so at about 1 GB/s: a
fifth of a count's time.  ``stringzilla`` (the ``fast`` extra) finds the
same first occurrence several times faster with SIMD instructions, and has
``bytes.find``'s signature and meaning (``find(haystack, needle, start)``,
-1 when absent).  ``precheck.py`` stays standard library (``mapper.py``
carries it), so the search is handed to it as an argument; so is it to the
line reader (:mod:`hashtagcount.lines`), which finds every newline.

``HASHTAGCOUNT_FIND=bytes`` forces ``bytes.find`` everywhere (the tests
compare the two).
"""

import os
from typing import Optional

from .lines import Find

ENVIRONMENT_SWITCH = "HASHTAGCOUNT_FIND"

try:
    from stringzilla import find as _simd_find
except ImportError:  # the "fast" extra is not installed
    _simd_find = None


def simd_find() -> Optional[Find]:
    """stringzilla's ``find`` if installed, else None (whatever the switch says)."""
    return _simd_find


def best_find() -> Find:
    """stringzilla's ``find`` if installed, else ``bytes.find``; ``HASHTAGCOUNT_FIND=bytes`` picks bytes.find."""
    if _simd_find is None or os.environ.get(ENVIRONMENT_SWITCH, "").lower() == "bytes":
        return bytes.find
    return _simd_find
