"""Bring the job's totals home: merge the ``part-*`` files, rank, print, save.

Step 1's reducers write one ``hashtag<TAB>total`` line per hashtag; the
totals of even a large archive are a few megabytes, so the launcher ranks
them here with :func:`hashtagcount.ranking.rank` (exactly as every other
engine does) instead of paying for a second Hadoop job.
"""

import gzip
from collections import Counter
from pathlib import Path
from typing import Any, Optional, TextIO

from hashtagcount.aws import list_objects, parse_s3_uri, s3_error
from hashtagcount.errors import UserError
from hashtagcount.options import output_format
from hashtagcount.outputs import check_new_file, write_new_file
from hashtagcount.totals import add_totals
from hashtagcount.present import write_ranking
from hashtagcount.ranking import Ranking, rank


def read_totals(s3: Any, output: str, out: TextIO) -> Counter:
    """Sum the ``part-*`` files under ``output`` (a finished job: ``_SUCCESS`` must be there)."""
    import botocore.exceptions

    bucket, key = parse_s3_uri(output)
    prefix = key.rstrip("/") + "/"
    keys = [item["Key"] for item in list_objects(s3, bucket, prefix, output)]
    names = {k[len(prefix):]: k for k in keys if "/" not in k[len(prefix):]}
    if "_SUCCESS" not in names:
        raise UserError("{}: no _SUCCESS marker, so the job did not finish writing its results".format(output))
    parts = sorted(k for name, k in names.items() if name.startswith("part-"))
    totals = Counter()  # type: Counter
    malformed = 0
    for part in parts:
        uri = "s3://{}/{}".format(bucket, part)
        try:
            data = s3.get_object(Bucket=bucket, Key=part)["Body"].read()
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            raise s3_error(uri, error)
        if part.endswith(".gz"):
            data = gzip.decompress(data)
        malformed += add_totals(data, totals)
    if malformed:
        print("collect: skipped {:,} malformed line(s) in {} (each must be 'hashtag<TAB>count')".format(
            malformed, output), file=out)
    print("collect: {:,} hashtag(s) in {:,} part file(s) under {}".format(len(totals), len(parts), output), file=out)
    return totals


def default_save_path(output: str) -> Path:
    """``hashtag-ranking-<last part of the output location>.tsv`` in the current directory."""
    return Path("hashtag-ranking-{}.tsv".format(output.rstrip("/").rsplit("/", 1)[-1]))


def check_save_path(path: Path) -> None:
    """Refuse, before anything runs, a ``--save`` target that could not take the ranking.

    Finding out after the cluster has run would lose what was paid for;
    an existing file is never overwritten (:func:`save_ranking` picks a new
    name if one appears meanwhile).
    """
    check_new_file("--save", path)


def save_ranking(ranking: Ranking, path: Path) -> Path:
    """Write the full ranking as TSV to ``path``, or to ``<stem>-2<suffix>``... if it appeared meanwhile."""
    candidate, number = path, 1
    while True:
        try:
            write_new_file(candidate, lambda file: write_ranking(ranking, "tsv", file))
            return candidate
        except FileExistsError:
            number += 1
            candidate = path.with_name("{}-{}{}".format(path.stem, number, path.suffix))


def collect(
    s3: Any,
    output: str,
    top: int,
    fmt: Optional[str],
    save: Optional[Path],
    stdout: TextIO,
    out: TextIO,
) -> Ranking:
    """Print the top ``top`` hashtags in ``fmt`` (None: as ``--format`` defaults), then save the whole ranking to ``save``."""
    totals = read_totals(s3, output, out)
    ranking = rank(totals)
    shown = ranking[:top] if top else ranking
    write_ranking(shown, output_format(fmt, stdout), stdout)
    stdout.flush()
    if save is not None:
        try:
            path = save_ranking(ranking, save)
        except OSError as error:
            raise UserError("--save {}: cannot write the ranking ({}); it is still under {}".format(
                save, error.strerror or error, output))
        print("collect: full ranking ({:,} hashtags) saved to {}".format(len(ranking), path), file=out)
    return shown
