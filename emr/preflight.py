"""Checks made before any cluster starts, because each failure found later costs money.

Bucket names are checked against S3's rules (naming the broken one), the
code and output locations must lie outside the input (or the next run
would count them as tweets), every input pattern must reach at least one
object and no sub-folder (Hadoop fails the whole job on an empty glob and
on a folder inside a folder it reads), and the output location must not
exist (Hadoop refuses to write into it, and this tool never deletes
anything a user owns).
"""

from typing import Any, Dict, List, Optional, Sequence, TextIO, Tuple

from hashtagcount.aws import parse_s3_uri, s3_error
from hashtagcount.errors import UserError, all_problems
from hashtagcount.sources import Match, Source, expand, expand_braces, has_wildcard, human_size, without_empty_hours
from hashtagcount.sources import _KeyMatcher as KeyMatcher
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


def _matchers(pattern: str) -> List[KeyMatcher]:
    """A matcher for each ``{a,b}`` variant of a key pattern (none for the bucket's root)."""
    pattern = pattern.rstrip("/")
    if not pattern:
        return []
    return [KeyMatcher(variant) for variant in (expand_braces(pattern) if has_wildcard(pattern) else [pattern])]


def _depth(key: str, matchers: List[KeyMatcher]) -> Optional[int]:
    """How many key components the pattern (one of its variants) matched, None if none; 0 for the root."""
    if not matchers:
        return 0
    for matcher in matchers:
        if matcher.depth_match(key) is not None:
            return len(matcher.parts)
    return None


def hadoop_reach(match: Match) -> Tuple[Match, List[Tuple[str, int]]]:
    """What Hadoop's FileInputFormat reads of a pattern listed with everything below it, and where it fails.

    A path the pattern matches is read if it is an object; if it is a
    folder, the objects directly in it are read and a sub-folder fails the
    job (``Not a file``; the listing is not recursive).  Hidden names are
    already left out of ``match`` as Hadoop's hidden-file filter leaves
    them out.  Returns the objects read, and each failing sub-folder with
    how many levels below it the first of its objects lies.
    """
    bucket, key = parse_s3_uri(match.pattern)
    read = []  # type: List[Source]
    folders = {}  # type: Dict[str, int]
    matchers = _matchers(key)  # once per pattern: a date range lists thousands of objects
    for source in match.sources:
        name = parse_s3_uri(source.name)[1]
        names = name.split("/")
        depth = _depth(name, matchers)
        if depth is None or len(names) - depth <= 1:
            read.append(source)
        else:
            folders.setdefault("s3://{}/{}".format(bucket, "/".join(names[:depth + 1])), len(names) - depth)
    return Match(match.pattern, read, match.problem), list(folders.items())


def _folder_problem(pattern: str, folders: List[Tuple[str, int]], dated: bool) -> str:
    folder, levels = folders[0]
    more = " (so are {:,} other(s))".format(len(folders) - 1) if len(folders) > 1 else ""
    return ("--input {}: {} is a folder inside what it reaches{}, and Hadoop reads only the objects directly in a "
            "folder and fails the step on a sub-folder ('Not a file'); give a glob reaching the objects, e.g. "
            "{}{}".format(pattern, folder, more, pattern.rstrip("/") + "/*" * levels,
                          "" if dated else ", or --from/--to"))


def list_inputs(s3: Any, patterns: Sequence[str], out: TextIO, dated: bool = False) -> List[Match]:
    """Expand every pattern as Hadoop will, print what it reaches, refuse one that would fail the step.

    Each pattern is listed once with everything below it
    (:func:`~hashtagcount.sources.expand`, ``below=True``) and
    :func:`hadoop_reach` keeps what Hadoop reads: a pattern reaching a
    sub-folder, or matching nothing, would fail the paid step, so it is
    refused here, before any upload.

    ``dated`` patterns come from ``--from/--to``: an hour without objects
    is normal there (the stream was down, the range starts before the
    data), so those are left out and named in one note, as ``top`` does;
    only a range with no object at all is refused.
    """
    problems = []  # type: List[str]
    matches = []  # type: List[Match]
    for match in expand(list(patterns), client=s3, below=True, keep_problems=True):
        reached, folders = hadoop_reach(match)
        if match.problem:
            problems.append(match.problem)
        elif folders:
            problems.append(_folder_problem(match.pattern, folders, dated))
        matches.append(reached)
    if problems:  # every broken input in one line, before anything is spent
        raise all_problems(problems)
    left_out = []  # type: List[str]
    if dated:
        matches, left_out = without_empty_hours(matches)
    for match in matches:
        if not (dated and match.empty):
            print("input: {}  {:,} object(s), {}".format(
                match.pattern, len(match.sources), human_size(match.total_bytes)), file=out)
    if left_out:
        print("note: {} date pattern(s) matched nothing and are left out of the step: {}".format(
            len(left_out), ", ".join(left_out)), file=out)
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
