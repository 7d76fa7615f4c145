"""Rank the most used hashtags of tweet JSON files with mrjob, on any runner.

    python -m jobs.hashtag_count -r local --top 10 sample_data/
    python jobs/hashtag_count.py -r emr --conf-path jobs/mrjob.conf.example s3://bucket/tweets/

The same product as ``mapper.py | sort | reducer.py``: every input line goes,
as raw bytes, through the loop ``mapper.py`` runs (a batch of one, by
:meth:`hashtagcount.extract.Extractor.hashtags_in_line`), and the ranking
through :func:`hashtagcount.ranking.rank`, so the output
(``hashtag<TAB>count`` lines) is byte for byte the pipe's, ranked.  mrjob
ships only this file to the tasks, so ``DIRS`` sends the ``hashtagcount``
package along and the lines below put it (or the checkout) on ``sys.path``.
"""

import glob
import os
import sys

# A task runs this file as a link in its working directory, beside the shipped
# hashtagcount/ (DIRS below); Python puts only the link's *resolved* directory
# on sys.path, so add the link's own directory (and the checkout, from jobs/).
_HERE = os.path.dirname(os.path.abspath(__file__))
for _place in (os.path.dirname(_HERE), _HERE):
    if os.path.isfile(os.path.join(_place, "hashtagcount", "extract.py")) and _place not in sys.path:
        sys.path.insert(0, _place)

from mrjob.compat import jobconf_from_env  # noqa: E402
from mrjob.job import MRJob  # noqa: E402
from mrjob.protocol import BytesValueProtocol, RawProtocol  # noqa: E402
from mrjob.step import MRStep  # noqa: E402

from hashtagcount.extract import Extractor  # noqa: E402
from hashtagcount.hadoop import COUNTER_GROUP  # noqa: E402
from hashtagcount.hashtags import add_counting_options  # noqa: E402
from hashtagcount.options import add_top_option  # noqa: E402
from hashtagcount.ranking import rank  # noqa: E402


_EXAMPLES = """\
Prints hashtag<TAB>count lines, most used first (ties in code-point order),
exactly as 'mapper.py | sort | reducer.py' counts. INPUT: files (.gz too),
directories, or s3:// / hdfs:// URIs for the emr and hadoop runners.

examples:
  python -m jobs.hashtag_count -r inline --top 10 sample_data/
  python jobs/hashtag_count.py -r local --top 0 tweets.json.gz > ranking.tsv
  python jobs/hashtag_count.py -r emr --conf-path jobs/mrjob.conf.example \\
      --output-dir s3://YOUR-BUCKET/hashtags/ s3://YOUR-BUCKET/tweets/
"""


class MRHashtagCount(MRJob):
    """Step 1 counts each hashtag (mapper, combiner, reducer); step 2 ranks them in one reducer."""

    # Raw bytes in, so framing (CRLF, ``}{``, invalid UTF-8) is mapper.py's.
    INPUT_PROTOCOL = BytesValueProtocol
    # ``tag<TAB>count`` out, not JSON-quoted: diffable with the pipe's output.
    OUTPUT_PROTOCOL = RawProtocol
    # The package the tasks import, relative to this file's directory.
    DIRS = ["../hashtagcount#hashtagcount"]

    def _usage(self) -> str:
        return "%(prog)s [-r inline|local|hadoop|emr] [-n N] [--exclude-retweets] [--case-sensitive] INPUT..."

    def _print_help(self, options) -> None:
        super()._print_help(options)
        if not options.runner:
            print(_EXAMPLES)

    def configure_args(self) -> None:
        super().configure_args()
        add_top_option(self.add_passthru_arg)
        add_counting_options(self.add_passthru_arg)

    def load_args(self, args) -> None:
        """Refuse bad local input paths in one line, before mrjob's traceback would."""
        super().load_args(args)
        if self.is_task():
            return
        for path in self.options.args:
            if path == "-" or "://" in path:
                continue
            if not glob.glob(os.path.expanduser(path)):
                self.arg_parser.error("input path {} does not exist".format(path))
            if os.path.basename(path).startswith(("_", ".")) and os.path.isfile(path):
                self.arg_parser.error(
                    "input file {} would be skipped: Hadoop ignores files named _* and .*".format(path)
                )

    def run_job(self) -> None:
        """Launch the job; a failure outside the tasks (no hadoop binary, AWS unreachable) is one line."""
        try:
            super().run_job()
        except Exception as error:
            if self.options.verbose:
                raise
            sys.exit("hashtag_count.py: error: {}: {} (add -v for the traceback)".format(
                type(error).__name__, error))

    def steps(self):
        return [
            MRStep(mapper_init=self.mapper_init, mapper=self.mapper,
                   mapper_final=self.mapper_final,
                   combiner=self.sum_counts, reducer=self.reducer_totals),
            # One reducer sees every (tag, total), so the ranking is global.
            MRStep(reducer=self.reducer_rank, jobconf={"mapreduce.job.reduces": "1"}),
        ]

    def mapper_init(self) -> None:
        self.extractor = Extractor(self.options.case_sensitive, self.options.exclude_retweets)
        # Hadoop never reads "_" and "." files of an input directory (_SUCCESS,
        # .crc, sample_data/_expected.tsv); mrjob's inline and local runners do.
        source = os.path.basename(jobconf_from_env("mapreduce.map.input.file") or "")
        self.hidden = source.startswith(("_", "."))

    def mapper(self, _, line: bytes):
        if self.hidden:
            return
        for tag in self.extractor.hashtags_in_line(line):
            yield tag, 1

    def mapper_final(self) -> None:
        """Report what this task saw under the counter names mapper.py uses on Hadoop."""
        for name, value in self.extractor.stats.counters().items():
            if value:
                self.increment_counter(COUNTER_GROUP, name, value)

    def sum_counts(self, tag: str, counts):
        yield tag, sum(counts)

    def reducer_totals(self, tag: str, counts):
        yield None, (tag, sum(counts))

    def reducer_rank(self, _, totals):
        for tag, count in rank((tuple(pair) for pair in totals), self.options.top):
            yield tag, str(count)


if __name__ == "__main__":
    MRHashtagCount.run()
