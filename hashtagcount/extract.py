"""From one raw input line to its hashtag keys, keeping score of what was seen.

This joins the framing (:mod:`hashtagcount.records`) to the counting rule
(:mod:`hashtagcount.hashtags`) behind the byte pre-check.  Every engine
(``mapper.py``, the mrjob job, the local engine, the benchmark) feeds lines
to :meth:`Extractor.hashtags_in_line`, so they count exactly the same; a
line too long to hold goes to :meth:`Extractor.hashtags_in_long_line`,
which counts it as hashtags_in_line would.
"""

from typing import Any, Callable, Dict, Iterable, Iterator, List, Tuple

from .hashtags import hashtags_of
from .records import LinePrecheck, RecordStream, looks_like_records, may_hold_hashtags, split_records

COUNTER_GROUP = "hashtag-count"


class Stats:
    """What an extractor saw.  Names double as Hadoop/mrjob counter names."""

    FIELDS = (
        ("lines", "lines"),
        ("skipped", "lines skipped by pre-check"),
        ("records", "records parsed"),
        ("tweets", "tweets"),
        ("others", "non-tweet messages"),
        ("malformed", "malformed pieces"),
        ("hashtags", "hashtags"),
    )

    def __init__(self) -> None:
        self.lines = self.skipped = self.records = self.tweets = 0
        self.others = self.malformed = self.hashtags = 0

    def as_dict(self) -> Dict[str, int]:
        """The counts by attribute name (``lines``, ``skipped``, ... ``hashtags``), for programs."""
        return {attr: getattr(self, attr) for attr, _ in self.FIELDS}

    def __repr__(self) -> str:
        return "Stats({})".format(", ".join("{}={}".format(k, v) for k, v in self.as_dict().items()))

    def counters(self) -> Dict[str, int]:
        """The counts under their counter names, in a fixed order."""
        return {name: getattr(self, attr) for attr, name in self.FIELDS}

    def add(self, other: "Stats") -> None:
        """Fold ``other`` into these counts (merging work done in parallel)."""
        for attr, _ in self.FIELDS:
            setattr(self, attr, getattr(self, attr) + getattr(other, attr))

    def summary(self, what: str) -> str:
        """One line for a person: what was malformed out of how much.

        Records and tweets are left out: lines the pre-check skips are not
        decoded, so those counts are exact only with ``validate``.
        """
        return "{}: skipped {:,} malformed piece(s) in {:,} lines ({:,} hashtags counted)".format(
            what, self.malformed, self.lines, self.hashtags
        )


class Extractor:
    """Turn raw lines into hashtag keys under one set of counting options.

    ``validate`` parses every line, even those the pre-check proves hold no
    hashtag: the counts of records, tweets and malformed pieces become exact
    (without it, a skipped line is only checked to look like ``{...}``);
    the hashtags are the same either way.

    ``split`` replaces :func:`~hashtagcount.records.split_records` with a
    faster decoder that must return exactly what it returns (see
    :mod:`hashtagcount.fastjson`); the framing and counting rules stay here.
    """

    def __init__(
        self,
        case_sensitive: bool = False,
        exclude_retweets: bool = False,
        validate: bool = False,
        split: Callable[[bytes], Tuple[List[Any], int]] = split_records,
    ) -> None:
        self.case_sensitive = case_sensitive
        self.exclude_retweets = exclude_retweets
        self.validate = validate
        self.split = split
        self.stats = Stats()

    def hashtags_in_line(self, line: bytes) -> List[str]:
        """The hashtag keys of every record in one line (bytes, any line ending)."""
        stats = self.stats
        stats.lines += 1
        if not self.validate and not may_hold_hashtags(line):
            if not looks_like_records(line):
                stats.malformed += 1
            elif line.strip():
                stats.skipped += 1
            return []
        records, malformed = self.split(line)
        stats.malformed += malformed
        return self._keys_of(records, stats)

    def _keys_of(self, records: List[Any], stats: Stats) -> List[str]:
        stats.records += len(records)
        keys = []  # type: List[str]
        for record in records:
            tweets, tags = hashtags_of(record, self.case_sensitive, self.exclude_retweets)
            if tweets:
                stats.tweets += tweets
                keys.extend(tags)
            else:
                stats.others += 1
        stats.hashtags += len(keys)
        return keys

    def hashtags_in_long_line(self, chunks: Iterable[bytes]) -> Iterator[List[str]]:
        """hashtags_in_line for the line ``b"".join(chunks)``, never holding it whole.

        Yields the keys in batches as records complete; once ``chunks`` is
        exhausted, the stats are exactly what hashtags_in_line would have
        made them.  Every record is parsed, since the pre-check's verdict is
        only known at the end of the line; without ``validate``, the parsed
        counts are dropped for a line the pre-check would have skipped, as
        are keys yielded by no record the pre-check has seen (none, in any
        data a JSON encoder wrote).
        """
        precheck = None if self.validate else LinePrecheck()
        records = RecordStream()
        seen = Stats()  # what parsing found, kept if the pre-check lets the line through
        held = []  # type: List[str]  # keys found before the pre-check passed
        for chunk in chunks:
            if precheck is not None:
                precheck.feed(chunk)
            keys = self._keys_of(records.feed(chunk), seen)
            if keys:
                if precheck is None or precheck.may_hold_hashtags:
                    yield held + keys if held else keys
                    held = []
                else:
                    held.extend(keys)
        keys = self._keys_of(records.close(), seen)
        stats = self.stats
        stats.lines += 1
        if precheck is not None and not precheck.may_hold_hashtags:
            if not precheck.looks_like_records:
                stats.malformed += 1
            elif not precheck.blank:
                stats.skipped += 1
            return
        seen.malformed = records.malformed
        seen.lines = 0
        stats.add(seen)
        if held or keys:
            yield held + keys
