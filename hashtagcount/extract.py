"""From raw input lines to their hashtag keys, keeping score of what was seen.

This joins the lines (:mod:`hashtagcount.lines`), the byte pre-check
(:mod:`hashtagcount.precheck`), the framing (:mod:`hashtagcount.records`)
and the counting rule (:mod:`hashtagcount.hashtags`).  Every engine feeds
its lines through one :class:`Extractor`: ``mapper.py`` and the local
engine hand it the line reader's batches (:meth:`Extractor.keys_of_lines`,
which takes whole and streamed lines alike), the mrjob job its lines one by
one (:meth:`Extractor.hashtags_in_line`), so they count exactly the same.
"""

from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from .hadoop import COUNTER_GROUP  # noqa: F401  (importers of the counter names find their group here)
from .hashtags import hashtags_of
from .lines import Find, Line
from .precheck import LinePrecheck, looks_like_records, may_hold_hashtags
from .records import RecordStream, split_records


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
    ``find`` likewise replaces the pre-check's ``bytes.find`` (see
    :mod:`hashtagcount.fastfind`).
    """

    def __init__(
        self,
        case_sensitive: bool = False,
        exclude_retweets: bool = False,
        validate: bool = False,
        split: Callable[[bytes], Tuple[List[Any], int]] = split_records,
        find: Find = bytes.find,
    ) -> None:
        self.case_sensitive = case_sensitive
        self.exclude_retweets = exclude_retweets
        self.validate = validate
        self.split = split
        self.find = find
        self.stats = Stats()

    def keys_of_lines(self, batches: Iterable[List[Line]]) -> Iterator[List[str]]:
        """The keys of every line of the line reader's ``batches``, in batches.

        The one loop every engine runs: a whole line and a line too long to
        hold (an iterator of its chunks, see :meth:`hashtags_in_long_line`)
        count the same.
        """
        stats = self.stats
        extract = self._hashtags_in_line
        for batch in batches:
            if batch and batch[0].__class__ is not bytes:  # a long line comes alone in its batch
                yield from self.hashtags_in_long_line(batch[0])  # type: ignore[arg-type]
                continue
            stats.lines += len(batch)
            for line in batch:
                keys = extract(line)  # type: ignore[arg-type]
                if keys:
                    yield keys

    def hashtags_in_line(self, line: bytes) -> List[str]:
        """The hashtag keys of every record in one line (bytes, any line ending)."""
        self.stats.lines += 1
        return self._hashtags_in_line(line)

    def _hashtags_in_line(self, line: bytes) -> List[str]:
        if not self.validate and not may_hold_hashtags(line, self.find):
            _skipped(self.stats, looks_like_records(line), not line.strip())
            return []
        records, malformed = self.split(line)
        stats = self.stats
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
        precheck = None if self.validate else LinePrecheck(self.find)
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
            _skipped(stats, precheck.looks_like_records, precheck.blank)
            return
        seen.malformed = records.malformed
        seen.lines = 0
        stats.add(seen)
        if held or keys:
            yield held + keys


def _skipped(stats: Stats, shaped: bool, blank: bool) -> None:
    """Score a line the pre-check skipped: malformed unless shaped like records; blank lines are neither."""
    if not shaped:
        stats.malformed += 1
    elif not blank:
        stats.skipped += 1


# --- is this tweet data? (the one verdict behind top's warnings and mapper.py's) --------------


def junk_verdict(stats: Stats) -> Optional[str]:
    """Why an input's stats say it is not tweet data, or None.

    No JSON record at all among lines that are not blank, or malformed
    pieces in more than half of its lines.  Lines the pre-check skipped
    looked like ``{...}`` records, so they count as records here.
    """
    if stats.malformed and not stats.records and not stats.skipped:
        return "{:,} lines, no JSON record".format(stats.lines)
    if stats.lines and stats.malformed * 2 > stats.lines:
        return "{:,} malformed piece(s) in {:,} lines".format(stats.malformed, stats.lines)
    return None


def junk_warning(name: str, stats: Stats) -> Optional[str]:
    """``NAME: <verdict>: is this tweet data?`` when :func:`junk_verdict` has one, else None."""
    verdict = junk_verdict(stats)
    return "{}: {}: is this tweet data?".format(name, verdict) if verdict else None
