"""From raw input lines to their hashtag keys, keeping score of what was seen.

This joins the lines (:mod:`hashtagcount.lines`), the byte pre-check
(:mod:`hashtagcount.precheck`), the framing (:mod:`hashtagcount.records`)
and the counting rule (:mod:`hashtagcount.hashtags`).  Every engine feeds
its lines through one loop, :meth:`Extractor.keys_of_lines`: ``mapper.py``
and the local engine hand it the line reader's batches (whole lines, and
lines too long to hold as their chunks), the mrjob job its lines one by
one as batches of one (:meth:`Extractor.hashtags_in_line`), so they count
exactly the same and none of them looks at what a line is.
"""

from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from .hadoop import COUNTER_GROUP  # noqa: F401  (importers of the counter names find their group here)
from .hashtags import hashtags_of
from .lines import Find, Line, LineRun, whole_lines
from .precheck import Count, LinePrecheck, sift
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


_HELD = (bytes, LineRun)  # the pieces of a batch that are not a long line's chunks


class Extractor:
    """Turn raw lines into hashtag keys under one set of counting options.

    ``validate`` parses every line, even those the pre-check proves hold no
    hashtag: the counts of records, tweets and malformed pieces become exact
    (without it, a skipped line is only checked to look like ``{...}``);
    the hashtags are the same either way.

    ``find`` replaces the pre-check's ``bytes.find`` with a search giving
    its results, and ``count``, given with it, lets the pre-check look at a
    run of lines whole (see :mod:`hashtagcount.fastfind`).  ``one_record``, if
    given, is tried first on every line (or ``}{``-cut piece) the pre-check
    lets through: ``(tweets, keys)`` of its one record under the same
    options, exactly what :func:`~hashtagcount.records.split_records` and
    :func:`~hashtagcount.hashtags.hashtags_of` give, or None to leave it to
    them (see :func:`hashtagcount.fastjson.best_rule`).
    """

    def __init__(
        self,
        case_sensitive: bool = False,
        exclude_retweets: bool = False,
        validate: bool = False,
        find: Find = bytes.find,
        count: Optional[Count] = None,
        one_record: Optional[Callable[[bytes], Optional[Tuple[int, List[str]]]]] = None,
    ) -> None:
        self.case_sensitive = case_sensitive
        self.exclude_retweets = exclude_retweets
        self.validate = validate
        self.find = find
        self.count = count
        self.one_record = one_record
        self.stats = Stats()

    def keys_of_lines(self, batches: Iterable[List[Line]]) -> Iterator[List[str]]:
        """The keys of every line of the line reader's ``batches``, in batches: the one way in.

        Every face counts through this loop (the mrjob job a line at a time,
        through :meth:`hashtags_in_line`).  Whole lines are sifted by the
        pre-check a batch at a time (runs of them whole), since on a stream
        most of them hold no hashtag; a line too long to hold comes alone in
        its batch, as an iterator of its chunks, and is streamed (:meth:`_keys_of_long_line`)
        to the keys and stats the joined line would have given.
        """
        stats = self.stats
        decode = self._decoded_hashtags
        find, count = self.find, self.count
        for batch in batches:
            if batch and batch[0].__class__ not in _HELD:  # a long line comes alone in its batch
                yield from self._keys_of_long_line(batch[0])  # type: ignore[arg-type]
                continue
            if self.validate:
                batch = whole_lines(batch, find)  # type: ignore[assignment]
                stats.lines += len(batch)
            else:
                batch, lines, skipped, malformed = sift(batch, find, count)  # type: ignore[assignment]
                stats.lines += lines
                stats.skipped += skipped
                stats.malformed += malformed
            for line in batch:
                keys = decode(line)  # type: ignore[arg-type]
                if keys:
                    yield keys

    def hashtags_in_line(self, line: bytes) -> List[str]:
        """The hashtag keys of one line (bytes, any line ending): :meth:`keys_of_lines` of a batch of one."""
        keys = []  # type: List[str]
        for found in self.keys_of_lines(([line],)):
            keys.extend(found)
        return keys

    def _decoded_hashtags(self, line: bytes) -> List[str]:
        """The keys of a whole line past the pre-check (or under ``validate``)."""
        stats = self.stats
        if self.one_record is not None:
            found = self.one_record(line)
            if found is not None:
                return _tally((found,), stats)
            if self.find(line, b"}{", 0) >= 0:  # records back to back: cut as a streamed line is, in one chunk
                keys = []  # type: List[str]
                for found_keys in self._keys_of_chunks((line,), stats):
                    keys.extend(found_keys)
                return keys
        records, malformed = split_records(line)
        stats.malformed += malformed
        return _tally(self._found_in(records), stats)

    def _found_in(self, records: List[Any]) -> List[Tuple[int, List[str]]]:
        """What the rule finds in each record: ``(tweets, keys)``."""
        case_sensitive, exclude_retweets = self.case_sensitive, self.exclude_retweets
        return [hashtags_of(record, case_sensitive, exclude_retweets) for record in records]

    def _keys_of_long_line(self, chunks: Iterable[bytes]) -> Iterator[List[str]]:
        """The keys of the line ``b"".join(chunks)``, never holding it whole.

        Yields the keys in batches as records complete; once ``chunks`` is
        exhausted, the stats are exactly what the joined line would have
        made them.  Every record is parsed, since the pre-check's verdict is
        only known at the end of the line; without ``validate``, the parsed
        counts are dropped for a line the pre-check would have skipped, as
        are keys yielded by no record the pre-check has seen (none, in any
        data a JSON encoder wrote).
        """
        precheck = None if self.validate else LinePrecheck(self.find)
        if precheck is not None:
            chunks = _fed(precheck, chunks)
        seen = Stats()  # what parsing found, kept if the pre-check lets the line through
        held = []  # type: List[str]  # keys found before the pre-check passed
        for keys in self._keys_of_chunks(chunks, seen):
            if precheck is None or precheck.may_hold_hashtags:
                yield held + keys if held else keys
                held = []
            else:
                held.extend(keys)
        stats = self.stats
        stats.lines += 1
        if precheck is not None and not precheck.may_hold_hashtags:
            _skipped(stats, precheck.looks_like_records, precheck.blank)
            return
        stats.add(seen)
        if held:
            yield held

    def _keys_of_chunks(self, chunks: Iterable[bytes], stats: Stats) -> Iterator[List[str]]:
        """The keys of the records of the line ``b"".join(chunks)`` as they complete, scored in ``stats``.

        With ``one_record``, records are cut at ``}{`` and each is decoded
        on its own (:class:`_CutRecords`); else a RecordStream decodes them.
        """
        if self.one_record is not None:
            records = _CutRecords(self.one_record, self._found_in, self.find)  # type: Any
        else:
            records = _StreamedRecords(self._found_in)
        for chunk in chunks:
            keys = _tally(records.feed(chunk), stats)
            if keys:
                yield keys
        keys = _tally(records.close(), stats)
        stats.malformed += records.malformed
        if keys:
            yield keys


def _fed(precheck: LinePrecheck, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """``chunks``, each fed to ``precheck`` as it passes by."""
    for chunk in chunks:
        precheck.feed(chunk)
        yield chunk


Found = List[Tuple[int, List[str]]]  # (tweets, keys) of each record, in order


class _StreamedRecords:
    """The rule's findings in each record of a line fed in chunks: a RecordStream, scored."""

    def __init__(self, found_in: Callable[[List[Any]], Found]) -> None:
        self.records = RecordStream()
        self.found_in = found_in

    @property
    def malformed(self) -> int:
        return self.records.malformed

    def feed(self, chunk: bytes) -> Found:
        return self.found_in(self.records.feed(chunk))

    def close(self) -> Found:
        return self.found_in(self.records.close())


class _CutRecords:
    """_StreamedRecords' findings, got by cutting the line at ``}{`` and decoding each piece alone.

    Records written back to back (Firehose) meet at ``}{``, and outside a
    string ``}{`` occurs nowhere else in JSON, so a piece from a record's
    start to a ``}{`` is that record if it decodes as one whole value:
    ``one_record`` (fast, may decline) or else
    :func:`~hashtagcount.records.split_records` gives exactly what the
    stream would.  A piece that does not decode is tried up to the next
    ``}{`` (one inside a string) a few times; after that, or past
    MAX_PIECE bytes without a ``}{``, the rest of the line goes to a
    RecordStream from that record's start, which is where the stream would
    be: the framing rule is the stream's, whatever happens.
    """

    MAX_PIECE = 4 << 20
    MAX_TRIES = 8

    def __init__(self, one_record: Callable[[bytes], Optional[Tuple[int, List[str]]]],
                 found_in: Callable[[List[Any]], Found], find: Find) -> None:
        self.one_record = one_record
        self.found_in = found_in
        self.find = find
        self.buffer = b""
        self.stream = None  # type: Optional[_StreamedRecords]

    @property
    def malformed(self) -> int:
        return self.stream.malformed if self.stream is not None else 0

    def feed(self, chunk: bytes) -> Found:
        if self.stream is not None:
            return self.stream.feed(chunk)
        self.buffer = self.buffer + chunk if self.buffer else chunk
        return self._pieces(False)

    def close(self) -> Found:
        found = self._pieces(True) if self.stream is None else []
        if self.stream is not None:
            found.extend(self.stream.close())
        return found

    def _pieces(self, final: bool) -> Found:
        buffer, find, one_record = self.buffer, self.find, self.one_record
        found = []  # type: Found
        start = end = 0  # the next record's start; where the piece being tried ends
        tries = 0
        while True:
            cut = find(buffer, b"}{", end)
            if cut < 0 and not final:
                if len(buffer) - start > self.MAX_PIECE:
                    return self._stream_from(buffer, start, found)
                self.buffer = buffer[start:]
                return found
            end = len(buffer) if cut < 0 else cut + 1
            piece = buffer[start:end]
            one = one_record(piece)
            if one is not None:
                found.append(one)
            else:
                records, malformed = split_records(piece)
                if malformed:
                    if cut < 0 or tries >= self.MAX_TRIES:
                        return self._stream_from(buffer, start, found)
                    tries += 1
                    continue
                found.extend(self.found_in(records))
            if cut < 0:
                self.buffer = b""
                return found
            start = end
            tries = 0

    def _stream_from(self, buffer: bytes, start: int, found: Found) -> Found:
        self.stream = _StreamedRecords(self.found_in)
        self.buffer = b""
        found.extend(self.stream.feed(buffer[start:]))
        return found


def _tally(found: Iterable[Tuple[int, List[str]]], stats: Stats) -> List[str]:
    """Score records by what the rule found in each, ``(tweets, keys)``; their keys, in order."""
    keys = []  # type: List[str]
    for tweets, tags in found:
        stats.records += 1
        if tweets:
            stats.tweets += tweets
            keys.extend(tags)
        else:
            stats.others += 1
    stats.hashtags += len(keys)
    return keys


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
