"""The Python API: count the hashtags of some inputs on this machine, then rank them.

For notebooks and scripts; the ``hashtag-count top`` command is a thin face
over :func:`count`::

    from hashtagcount import count_hashtags, rank
    counts = count_hashtags(["s3://my-tweets/2017/02/*/*/*"], exclude_retweets=True)
    top = rank(counts, 10)            # [("rust", 1234), ...]

    import pandas as pd
    df = pd.DataFrame(top, columns=["hashtag", "count"])

Inputs are what the command accepts: files, directories, globs, ``-``
(standard input), ``s3://bucket/prefix`` or ``s3://bucket/glob``.  Work is
spread over worker processes started with ``spawn``; in a script (not a
notebook) call it under ``if __name__ == "__main__":`` as
:mod:`multiprocessing` requires.
"""

from collections import Counter
from typing import Callable, List, Optional, Sequence, Union

from . import engine, partitions, sources
from .engine import Result
from .errors import UserError
from .ranking import Ranking, rank

__all__ = ["count", "count_hashtags", "top_hashtags", "expand_inputs", "rank", "Result", "UserError"]


def expand_inputs(
    inputs: Union[str, Sequence[str]],
    *,
    date_from: Optional[str] = None,
    date_to: Optional[str] = None,
    profile: Optional[str] = None,
    region: Optional[str] = None,
    endpoint_url: Optional[str] = None,
) -> List[sources.Match]:
    """What each input (or each date pattern under each input prefix) matches.

    With ``date_from``/``date_to`` (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH``, UTC,
    inclusive), every input is a prefix of the Firehose layout
    ``YYYY/MM/DD/HH/`` and is replaced by the fewest glob patterns covering
    the range (see :func:`hashtagcount.partitions.range_patterns`).
    """
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    if not inputs:
        raise UserError("no input given")
    inputs = partitions.date_inputs(inputs, date_from, date_to)
    return sources.expand(inputs, profile=profile, region=region, endpoint_url=endpoint_url)


def count(
    inputs: Union[str, Sequence[str]],
    *,
    jobs: Optional[int] = None,
    case_sensitive: bool = False,
    exclude_retweets: bool = False,
    date_from: Optional[str] = None,
    date_to: Optional[str] = None,
    sample: Optional[float] = None,
    seed: int = 0,
    skip_unreadable: bool = False,
    fast_json: bool = True,
    profile: Optional[str] = None,
    region: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> Result:
    """Count hashtags; return a :class:`~hashtagcount.engine.Result`.

    ``result.counts`` is a :class:`collections.Counter` of hashtag keys
    (lower-cased unless ``case_sensitive``), ``result.stats`` what was read
    (lines, records, tweets, malformed pieces), ``result.failed`` the inputs
    that could not be read (only when ``skip_unreadable``; otherwise they
    raise :class:`UserError`), ``result.empty_patterns`` the date patterns
    that matched nothing.  ``sample=0.1`` counts a reproducible ~10 % of
    lines chosen by a hash of ``seed`` and the line.  ``fast_json=False``
    (or ``HASHTAGCOUNT_JSON=stdlib``) uses only the standard library
    decoder; the counts are the same either way.
    """
    if sample is not None and not 0 < sample <= 1:
        raise UserError("--sample must be a fraction in (0, 1], not {}".format(sample))
    matches = expand_inputs(
        inputs, date_from=date_from, date_to=date_to,
        profile=profile, region=region, endpoint_url=endpoint_url,
    )
    empty = []  # type: List[str]
    if date_from is not None:
        # Missing hours are normal in a date range; only an empty range is an error.
        empty = [m.pattern for m in matches if m.empty]
        if len(empty) < len(matches):
            matches = [m for m in matches if not m.empty]
    options = engine.Options(
        case_sensitive=case_sensitive, exclude_retweets=exclude_retweets,
        sample=sample, seed=seed, fast_json=fast_json,
        profile=profile, region=region, endpoint_url=endpoint_url,
    )
    result = engine.run(
        sources.sources_of(matches), options, jobs=jobs,
        skip_unreadable=skip_unreadable, on_progress=on_progress,
    )
    result.empty_patterns = empty
    return result


def count_hashtags(inputs: Union[str, Sequence[str]], **options) -> Counter:  # type: ignore[no-untyped-def]
    """The hashtag counts of ``inputs`` as a :class:`collections.Counter` (options as :func:`count`)."""
    return count(inputs, **options).counts


def top_hashtags(inputs: Union[str, Sequence[str]], n: int = 20, **options) -> Ranking:  # type: ignore[no-untyped-def]
    """The ``n`` most used hashtags (``n=0``: all) as ``[(hashtag, count), ...]``."""
    return rank(count_hashtags(inputs, **options), n)
