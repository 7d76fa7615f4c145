"""What a local count gives: merged counts, what was read from each input, and what went wrong.

Data path: ... count (:mod:`hashtagcount.engine`, one unit at a time) ->
**merge** (:class:`Tally`, here) -> rank -> present.  :class:`Result` is
what :func:`hashtagcount.api.count` returns and ``top`` reports from; its
:meth:`Result.notes` name the inputs that look wrong, so junk is never
counted in silence.
"""

from collections import Counter
from typing import TYPE_CHECKING, Dict, List, Sequence

from .extract import Stats, junk_warning
from .sources import Source, left_out_note

if TYPE_CHECKING:  # only annotations name them; importing the engine here would load it for `inputs` too
    from .engine import Options, UnitResult

SHOWN = 3  # inputs named in a summary line


class Tally:
    """Counts and stats merged unit by unit, per source too, and the units that failed."""

    def __init__(self) -> None:
        self.counts = Counter()  # type: Counter
        self.stats = Stats()
        self.by_source = {}  # type: Dict[str, Stats]
        self.failed = []  # type: List[str]

    def add(self, done: "UnitResult") -> None:
        if done.error:
            self.failed.append(done.error)
            return
        self.counts.update(done.counts)
        self.stats.add(done.stats)
        self.by_source.setdefault(done.unit.source.name, Stats()).add(done.stats)


class Result:
    """Merged counts, what was read (overall and per input), and which inputs were left out.

    ``failed`` names every input skipped with ``skip_unreadable`` (missing,
    matching nothing, unreadable); ``empty_patterns`` the date patterns that
    matched nothing; ``by_source`` maps each input read to its
    :class:`~hashtagcount.extract.Stats`.
    """

    def __init__(
        self,
        tally: Tally,
        sources: Sequence[Source],
        options: "Options",
        skipped: Sequence[str] = (),
        empty_patterns: Sequence[str] = (),
    ) -> None:
        self.counts = tally.counts
        self.stats = tally.stats
        self.by_source = tally.by_source
        self.sources = list(sources)
        self._sizes = {s.name: s.size for s in self.sources}
        self.options = options
        self.failed = sorted(list(skipped) + tally.failed)
        self.empty_patterns = list(empty_patterns)

    @property
    def total_bytes(self) -> int:
        return sum(s.size or 0 for s in self.sources)

    @property
    def is_sample(self) -> bool:
        """True when only part of the lines were counted (``sample=1`` counts them all)."""
        return self.options.sample is not None and self.options.sample < 1

    @property
    def partial(self) -> bool:
        return bool(self.failed)

    @property
    def has_records(self) -> bool:
        """Whether any input yielded a JSON record (lines the pre-check skipped looked like records)."""
        return bool(self.stats.records or self.stats.skipped)

    def _empty(self, name: str, stats: Stats) -> bool:
        """No line at all; in a sample, also no byte (a sample may draw no line of a small input)."""
        if stats.lines:
            return False
        return not self.is_sample or self._sizes.get(name) == 0

    def notes(self) -> List[str]:
        """Lines for a person about what was read: junk, empty inputs, malformed pieces, gaps."""
        notes = []  # type: List[str]
        for name, stats in sorted(self.by_source.items()):
            warning = junk_warning(name, stats)
            if warning:
                notes.append("warning: " + warning)
            elif self._empty(name, stats):
                notes.append("note: {}: empty input, nothing counted".format(name))
        if self.stats.malformed:
            notes.append(malformed_summary(self.stats, self.by_source))
        if self.empty_patterns:
            notes.append(left_out_note(self.empty_patterns, SHOWN))
        if self.failed:
            notes.append("warning: PARTIAL result: {} input(s) could not be read and were skipped: {}".format(
                len(self.failed), "; ".join(self.failed)))
        return notes


def malformed_summary(stats: Stats, by_source: Dict[str, Stats]) -> str:
    """:meth:`Stats.summary`, naming the inputs with the most malformed pieces."""
    worst = sorted(
        ((s.malformed, name) for name, s in by_source.items() if s.malformed), key=lambda pair: (-pair[0], pair[1])
    )
    named = ", ".join("{} ({:,})".format(name, n) for n, name in worst[:SHOWN])
    more = ", ..." if len(worst) > SHOWN else ""
    return "{}; most in {}{}".format(stats.summary("note"), named, more)
