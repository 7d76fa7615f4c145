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
spread over worker processes, forked on Linux while the caller runs no other
thread and spawned otherwise; a spawning script (macOS, Windows, or one with
threads) must call it under ``if __name__ == "__main__":``, as
:mod:`multiprocessing` requires.
"""

from collections import Counter
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Union

from . import sources
from .errors import UserError, all_problems
from .options import below, not_a_fraction, seed_without_sample
from .ranking import Ranking, rank
from .result import Result

if TYPE_CHECKING:
    from .partitions import Bound

__all__ = ["count", "count_hashtags", "top_hashtags", "expand_inputs", "rank", "Result", "UserError"]

PARAMETERS = ("date_from", "date_to")  # what a date error calls the bounds here (the commands say --from/--to)


def expand_inputs(
    inputs: Union[str, Sequence[str]],
    *,
    date_from: "Optional[Bound]" = None,
    date_to: "Optional[Bound]" = None,
    profile: Optional[str] = None,
    region: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    below: bool = False,
    keep_problems: bool = False,
) -> List[sources.Match]:
    """What each input (or each date pattern under each input prefix) matches.

    With ``date_from``/``date_to`` (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH``
    strings, or ``datetime.date``/``datetime.datetime``, UTC, inclusive),
    every input is a prefix of the Firehose layout ``YYYY/MM/DD/HH/`` and is
    replaced by the fewest glob patterns covering the range (see
    :func:`hashtagcount.partitions.range_patterns`).  Paths and globs, local
    and S3, are read as Hadoop reads them (what ``inputs`` and ``emr``
    show; :func:`hashtagcount.sources.hadoop_reach`): a folder stands for
    the objects directly in it, and a sub-folder there is a problem, as it
    fails Hadoop's job.  With ``below``, a folder stands for everything
    below it (what :func:`count` reads).  Problems (missing paths or
    buckets, denied listings, sub-folders) are raised together, or with
    ``keep_problems`` left in each match.
    """
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    if not inputs:
        raise UserError("no input given")
    dated = date_from is not None or date_to is not None
    if dated:
        from .partitions import date_inputs

        inputs = date_inputs(inputs, date_from, date_to, names=PARAMETERS)
    matches = sources.expand(inputs, profile=profile, region=region, endpoint_url=endpoint_url, keep_problems=True)
    if not below:
        matches = [sources.hadoop_reach(match, () if dated else PARAMETERS) for match in matches]
    return sources.raise_or_keep(matches, keep_problems)


def count(
    inputs: Union[str, Sequence[str]],
    *,
    jobs: Optional[int] = None,
    case_sensitive: bool = False,
    exclude_retweets: bool = False,
    date_from: "Optional[Bound]" = None,
    date_to: "Optional[Bound]" = None,
    sample: Optional[float] = None,
    seed: Optional[int] = None,
    skip_unreadable: bool = False,
    fast_json: bool = True,
    profile: Optional[str] = None,
    region: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> Result:
    """Count hashtags; return a :class:`~hashtagcount.result.Result`.

    ``result.counts`` is a :class:`collections.Counter` of hashtag keys
    (lower-cased unless ``case_sensitive``), ``result.stats`` what was read
    (lines, records, tweets, malformed pieces; ``result.by_source`` the same
    per input), ``result.notes()`` lines about inputs that look wrong.
    Every input that cannot be used (missing, matching nothing, unreadable)
    is named in one :class:`UserError`; with ``skip_unreadable`` they are
    skipped and named in ``result.failed`` instead (unless none could be read).
    ``result.empty_patterns`` are the date patterns that matched nothing.
    ``sample=0.1`` counts a reproducible ~10 % of lines: those starting in
    the 256 KiB blocks that a hash of ``seed``, the input's name and the
    block's index keeps (see :mod:`hashtagcount.sampling`); ``seed`` (default
    0) picks which sample, and is refused without ``sample``.  ``fast_json=False`` (or
    ``HASHTAGCOUNT_JSON=stdlib``) uses only the standard library decoder;
    the counts are the same either way.
    """
    from . import engine, scheduler  # here, not above: listing inputs needs neither msgspec nor multiprocessing

    _check("sample", None if sample is None else not_a_fraction(sample))
    _check("jobs", None if jobs is None else below(jobs, 1))
    whole = seed is None or isinstance(seed, int) and not isinstance(seed, bool)
    _check("seed", None if whole else "{!r} is not a whole number".format(seed))
    unsampled = seed_without_sample(seed, sample, ("seed", "sample"))
    if unsampled:
        raise UserError(unsampled)
    matches = expand_inputs(
        inputs, date_from=date_from, date_to=date_to,
        profile=profile, region=region, endpoint_url=endpoint_url, below=True, keep_problems=True,
    )
    empty = []  # type: List[str]
    if date_from is not None:
        matches, empty = sources.without_empty_hours(matches, 1 if isinstance(inputs, str) else len(inputs))
    problems = [m.problem or m.nothing_found() for m in matches if m.empty]
    found = sources.sources_of([m for m in matches if not m.empty])
    unreadable = engine.unreadable(found)
    problems += unreadable.values()
    found = [s for s in found if s.name not in unreadable]
    if problems and (not skip_unreadable or not found):
        raise all_problems(problems)
    options = engine.Options(
        case_sensitive=case_sensitive, exclude_retweets=exclude_retweets,
        sample=sample, seed=seed or 0, fast_json=fast_json,
        profile=profile, region=region, endpoint_url=endpoint_url,
    )
    tally = scheduler.run(found, options, jobs=jobs, on_progress=on_progress)
    if tally.failed and (not skip_unreadable or not tally.by_source):  # skipping everything is no result
        raise all_problems(problems + tally.failed)
    return Result(tally, found, options, skipped=problems, empty_patterns=empty)


def _check(parameter: str, problem: Optional[str]) -> None:
    """Refuse a bad value with the rule its command-line option has, named as the parameter."""
    if problem:
        raise UserError("{}: {}".format(parameter, problem))


def count_hashtags(inputs: Union[str, Sequence[str]], **options) -> Counter:  # type: ignore[no-untyped-def]
    """The hashtag counts of ``inputs`` as a :class:`collections.Counter` (options as :func:`count`)."""
    return count(inputs, **options).counts


def top_hashtags(inputs: Union[str, Sequence[str]], n: int = 20, **options) -> Ranking:  # type: ignore[no-untyped-def]
    """The ``n`` most used hashtags (``n=0``: all) as ``[(hashtag, count), ...]``."""
    return rank(count_hashtags(inputs, **options), n)
