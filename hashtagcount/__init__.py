"""hashtag-count: rank the most used hashtags of a tweet archive.

The modules the streaming scripts import (``records``, ``hashtags``,
``extract``, ``hadoop``) are standard-library only and run on Python 3.7+,
because ``mapper.py`` and ``reducer.py`` carry them to Hadoop nodes.
Keep this file free of imports so that importing the package stays cheap
and dependency-free on a bare EMR node.
"""

__version__ = "0.1.0"

_API = ("count", "count_hashtags", "top_hashtags", "expand_inputs", "rank", "Result", "UserError")


def __getattr__(name):  # type: ignore[no-untyped-def]
    """``from hashtagcount import count_hashtags, rank``, imported only when first used."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError("module 'hashtagcount' has no attribute {!r}".format(name))
