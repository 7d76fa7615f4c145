"""Checks made before any cluster starts, because each failure found later costs money.

Bucket names are checked against S3's rules (naming the broken one), the
code and output locations must lie outside the input (or the next run
would count them as tweets), every input pattern must reach at least one
object and no sub-folder (Hadoop fails the whole job on an empty glob and
on a folder inside a folder it reads), and the output location must not
exist (Hadoop refuses to write into it, and this tool never deletes
anything a user owns).
"""

from typing import Any, List, Sequence, TextIO

from hashtagcount.aws import parse_s3_uri, s3_error
from hashtagcount.errors import UserError, all_problems
from hashtagcount.partitions import CLI_NAMES
from hashtagcount.sources import Match, expand, hadoop_reach, human_size, left_out_note, without_empty_hours
from hashtagcount.sources import _literal_prefix as literal_prefix


def literal_location(uri: str) -> str:
    """``s3://bucket/`` plus the pattern's :func:`~hashtagcount.sources._literal_prefix`: what it can reach."""
    bucket, key = parse_s3_uri(uri)
    return "s3://{}/{}".format(bucket, literal_prefix(key))


def _inside(location: str, prefix: str) -> bool:
    location_bucket, location_key = parse_s3_uri(location)
    bucket, key = parse_s3_uri(prefix)
    if location_bucket != bucket:
        return False
    key = key.rstrip("/")
    return not key or location_key.rstrip("/") == key or location_key.startswith(key + "/")


def check_outside_inputs(inputs: Sequence[str], locations: Sequence[Any]) -> None:
    """Refuse an ``(option, uri)`` that lies inside the input: a later run would read it as tweets."""
    for option, uri in locations:
        for pattern in inputs:
            prefix = literal_location(pattern)
            if _inside(uri, prefix):
                raise UserError(
                    "{} {} is inside the input location {}: the job would read its own "
                    "{} as tweets next time; choose a location outside the input".format(
                        option, uri, prefix, "code" if option == "--code-uri" else "files"
                    )
                )


def list_inputs(s3: Any, patterns: Sequence[str], out: TextIO, prefixes: int = 0) -> List[Match]:
    """Expand every pattern as Hadoop will, print what it reaches, refuse one that would fail the step.

    Each pattern is listed once with everything below it
    (:func:`~hashtagcount.sources.expand`) and
    :func:`~hashtagcount.sources.hadoop_reach` keeps what Hadoop reads, as
    for ``hashtag-count inputs``: a pattern reaching a sub-folder, or
    matching nothing, would fail the paid step, so it is refused here,
    before any upload.

    With ``prefixes``, the patterns are a ``--from/--to`` range under that
    many input prefixes: an hour without objects is normal there (the
    stream was down, the range starts before the data), so those are left
    out and named in one note, as ``top`` does; a prefix with no object in
    the whole range is refused.
    """
    problems = []  # type: List[str]
    matches = []  # type: List[Match]
    dated = prefixes > 0
    for match in expand(list(patterns), client=s3, keep_problems=True):
        reached = hadoop_reach(match, () if dated else CLI_NAMES)
        if reached.problem:
            problems.append(reached.problem)
        matches.append(reached)
    if problems:  # every broken input in one line, before anything is spent
        raise all_problems(problems)
    left_out = []  # type: List[str]
    if dated:
        matches, left_out = without_empty_hours(matches, prefixes)
    for match in matches:
        if not (dated and match.empty):
            print("input: {}  {:,} object(s), {}".format(
                match.pattern, len(match.sources), human_size(match.total_bytes)), file=out)
    if left_out:
        print(left_out_note(left_out), file=out)
    empty = [m.pattern for m in matches if m.empty]
    if empty:
        raise UserError(
            "input pattern {} matches no object; Hadoop would fail the whole job on it. "
            "Check the prefix and dates (list them with: aws s3 ls {})".format(
                ", ".join(empty), literal_location(empty[0]).rstrip("/") + "/"
            )
        )
    objects = sum(len(m.sources) for m in matches)
    size = sum(m.total_bytes for m in matches)
    print("input: {:,} object(s), {} ({:,} bytes) in total".format(objects, human_size(size), size), file=out)
    return matches


def check_output_absent(s3: Any, output: str) -> None:
    """Refuse an output location holding anything (Hadoop would refuse it after the cluster started)."""
    import botocore.exceptions

    bucket, key = parse_s3_uri(output)
    key = key.rstrip("/")
    for prefix in (key + "/", key + "_$folder$", key):
        try:
            response = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
            raise s3_error(output, error)
        found = [item["Key"] for item in response.get("Contents", ())]
        if found and (prefix != key or found[0] == key):
            raise UserError(
                "--output {} already exists (it holds s3://{}/{}); Hadoop will not write into an "
                "existing location and this tool never deletes one: choose a new --output "
                "(or leave it out for a fresh one)".format(output, bucket, found[0])
            )
