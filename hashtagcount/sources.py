"""Expand what a user typed (paths, directories, globs, ``-``, ``s3://`` URIs) into input objects.

The first stage of the data path, before any byte is read: the local
engine turns the result into units of work, and ``inputs`` and the EMR
launcher narrow it to what Hadoop reads (:func:`hadoop_reach`: which
objects each pattern reaches, how many bytes, and which patterns Hadoop
would fail the whole job on: one matching nothing, one reaching a
sub-folder).

Hadoop's conventions apply everywhere: names starting with ``_`` or ``.``
(``_SUCCESS``, ``.crc`` files) are skipped when found by a directory walk,
prefix listing or wildcard, and glob wildcards (``*``, ``?``, ``[...]``,
``{a,b}``) never cross a ``/``.  A folder that a path names or a glob
matches is listed with everything below it, on this machine as in S3
(what ``top`` reads); :func:`hadoop_reach` keeps only what Hadoop's
``FileInputFormat`` reads of that.
"""

import os
import re
import stat
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .errors import UserError, all_problems

STDIN = "-"
LISTING_THREADS = 8
COMPRESSIONS = {".gz": "gz", ".bz2": "bz2"}
_WILDCARD = re.compile(r"[*?\[{]")
_SPECIAL = re.compile(r"[*?\[{\\]")


class Source:
    """One input object: a local file, an S3 object, or standard input.

    ``name`` is what the user would recognise (a path, ``s3://bucket/key``
    or ``-``); ``size`` is in bytes, None for standard input.
    """

    __slots__ = ("name", "size")

    def __init__(self, name: str, size: Optional[int]) -> None:
        self.name = name
        self.size = size

    @property
    def is_s3(self) -> bool:
        return self.name.startswith("s3://")

    @property
    def is_stdin(self) -> bool:
        return self.name == STDIN

    @property
    def compression(self) -> Optional[str]:
        """``gz``, ``bz2`` or None, from the name's suffix (as Hadoop decides)."""
        for suffix, kind in COMPRESSIONS.items():
            if self.name.endswith(suffix):
                return kind
        return None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and (self.name, self.size) == (other.name, other.size)

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return "Source({!r}, {!r})".format(self.name, self.size)


class Match:
    """What one input (path, pattern or URI) expanded to.

    ``problem`` says why it could not be expanded (a missing path or bucket,
    denied access) or, from :func:`hadoop_reach`, why Hadoop would fail
    the job on it (a sub-folder inside what it reaches).
    """

    __slots__ = ("pattern", "sources", "problem")

    def __init__(self, pattern: str, sources: List[Source], problem: Optional[str] = None) -> None:
        self.pattern = pattern
        self.sources = sources
        self.problem = problem

    @property
    def total_bytes(self) -> int:
        return sum(s.size or 0 for s in self.sources)

    @property
    def empty(self) -> bool:
        return not self.sources

    def nothing_found(self) -> str:
        """Why this match is empty, for a user."""
        return "{}: matches no input file or object".format(self.pattern)

    def __repr__(self) -> str:
        return "Match({!r}, {} object(s), {} bytes)".format(self.pattern, len(self.sources), self.total_bytes)


def is_hidden(name: str) -> bool:
    """Hadoop's rule for bookkeeping files: ``_SUCCESS``, ``_logs``, ``.part.crc``..."""
    return name.startswith(("_", "."))


def has_wildcard(text: str) -> bool:
    return _WILDCARD.search(text) is not None


def expand_braces(pattern: str) -> List[str]:
    """``a{b,c{d,e}}f`` -> ``abf, acdf, acef`` (braces may hold ``/``, as in Hadoop)."""
    depth = 0
    start = -1
    for i, char in enumerate(pattern):
        if char == "{":
            if depth == 0:
                start = i
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                head, body, tail = pattern[:start], pattern[start + 1:i], pattern[i + 1:]
                choices = _split_top_level(body)
                return [
                    expanded
                    for choice in choices
                    for expanded in expand_braces(head + choice + tail)
                ]
    if depth:
        raise UserError("{!r}: unclosed '{{' in pattern".format(pattern))
    return [pattern]


def _split_top_level(body: str) -> List[str]:
    parts, depth, current = [], 0, []
    for char in body:
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += char == "{"
        depth -= char == "}"
        current.append(char)
    parts.append("".join(current))
    return parts


def component_regex(component: str) -> "re.Pattern[str]":
    """A regex for one path component of a glob (``*``, ``?``, ``[...]``, ``[!...]``/``[^...]``)."""
    out = []
    i = 0
    while i < len(component):
        char = component[i]
        if char == "\\" and i + 1 < len(component):
            out.append(re.escape(component[i + 1]))
            i += 2
            continue
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[":
            close = component.find("]", i + 2 if component[i + 1:i + 2] in ("!", "^") else i + 1)
            if close < 0:
                raise UserError("{!r}: unclosed '[' in pattern".format(component))
            body = component[i + 1:close]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:].replace("\\", "\\\\")
            else:
                body = body.replace("\\", "\\\\").replace("^", "\\^")
            out.append("[" + body + "]")
            i = close
        else:
            out.append(re.escape(char))
        i += 1
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error as error:  # e.g. an empty or reversed range: [] or [z-a]
        raise UserError("{!r}: bad pattern ({})".format(component, error))


def _literal_prefix(pattern: str) -> str:
    """The part of ``pattern`` before its first wildcard or escape, cut back to a ``/``."""
    match = _SPECIAL.search(pattern)
    head = pattern if match is None else pattern[:match.start()]
    return head[: head.rfind("/") + 1] if match is not None else head


def _picks_hidden(part: str, name: str) -> bool:
    """Whether pattern component ``part`` picked ``name`` by a wildcard though it is bookkeeping (``*``: ``_tmp``)."""
    return is_hidden(name) and not part.startswith(name[:1])


class _KeyMatcher:
    """Glob semantics for S3 keys, component by component."""

    def __init__(self, pattern: str) -> None:
        self.parts = [(part, component_regex(part)) for part in pattern.split("/")]

    def depth_match(self, key: str) -> Optional[bool]:
        """True: ``key`` matches; False: it lies below a folder that matches; None: neither."""
        names = key.split("/")
        if len(names) < len(self.parts):
            return None
        for name, (part, regex) in zip(names, self.parts):
            if not regex.fullmatch(name):
                return None
            if _picks_hidden(part, name):
                return None
        rest = names[len(self.parts):]
        if not rest:
            return True
        if not rest[-1] or any(is_hidden(name) for name in rest):
            return None  # a folder marker, or bookkeeping below the match
        return False


# --- local inputs -------------------------------------------------------


def _walk(directory: str) -> List[Source]:
    found = []
    for root, dirs, files in os.walk(directory, onerror=_raise):
        dirs[:] = sorted(d for d in dirs if not is_hidden(d))
        for name in sorted(files):
            if not is_hidden(name):
                path = os.path.join(root, name)
                found.append(_local_file(path))
    return found


def _raise(error: OSError) -> None:
    raise UserError("{}: {}".format(error.filename, error.strerror))


def _local_file(path: str) -> Source:
    try:
        info = os.stat(path)
    except OSError as error:
        raise UserError("{}: {}".format(path, error.strerror))
    return Source(path, info.st_size)


def _local_path(path: str) -> List[Source]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError("{}: no such file or directory".format(path))
    except OSError as error:
        raise UserError("{}: {}".format(path, error.strerror))
    if stat.S_ISDIR(info.st_mode):
        return _walk(path)
    return [Source(path, info.st_size)]


def expand_local(pattern: str) -> Match:
    """A path, directory or glob on this machine; ``-`` is standard input.

    A path that does not exist is an error; a glob may match nothing.  A
    folder the glob matches is listed with everything below it.
    """
    if pattern == STDIN:
        return Match(pattern, [Source(STDIN, None)])
    if not has_wildcard(pattern) or os.path.exists(pattern):
        return Match(pattern, _local_path(pattern))
    import glob

    sources = []  # type: List[Source]
    for expanded in expand_braces(pattern):
        parts = expanded.split("/")[::-1]  # from the end: glob may tidy the head ('a//b' -> 'a/b')
        for path in sorted(glob.glob(expanded)):
            if not any(_picks_hidden(part, name) for part, name in zip(parts, path.split("/")[::-1])):
                sources.extend(_local_path(path))
    return Match(pattern, sources)


# --- S3 inputs ----------------------------------------------------------


def expand_s3(uri: str, client: Any) -> Match:
    """Objects under ``s3://bucket/prefix`` (a key, or a "directory"), or matching a glob.

    A glob matching folders also lists every object below them, as a local
    glob does.
    """
    from .aws import invalid_bucket, list_objects, parse_s3_uri  # S3's helpers, loaded for S3 inputs only

    problem = invalid_bucket(uri)
    if problem:
        raise UserError(problem)
    bucket, key = parse_s3_uri(uri)
    sources = []  # type: List[Source]
    if has_wildcard(key):
        for pattern in expand_braces(key):
            matcher = _KeyMatcher(pattern)
            for item in list_objects(client, bucket, _literal_prefix(pattern), uri):
                if not item["Key"].endswith("/") and matcher.depth_match(item["Key"]) is not None:  # "/": a folder
                    sources.append(Source("s3://{}/{}".format(bucket, item["Key"]), item["Size"]))
        return Match(uri, sources)
    directory = key.rstrip("/") + "/" if key.rstrip("/") else ""
    for item in list_objects(client, bucket, key, uri):
        name = item["Key"]
        if name == key and not key.endswith("/"):
            sources.append(Source("s3://{}/{}".format(bucket, name), item["Size"]))
        elif name.startswith(directory) and not name.endswith("/"):
            rest = name[len(directory):].split("/")
            if not any(is_hidden(part) for part in rest):
                sources.append(Source("s3://{}/{}".format(bucket, name), item["Size"]))
    return Match(uri, sources)


# --- both ---------------------------------------------------------------


def expand(
    inputs: Sequence[str],
    *,
    profile: Optional[str] = None,
    region: Optional[str] = None,
    endpoint_url: Optional[str] = None,
    client: Any = None,
    keep_problems: bool = False,
) -> List[Match]:
    """Expand every input; a pattern that matches nothing gives an empty :class:`Match`.

    Missing local paths (not patterns), invalid or missing buckets and S3
    access problems are collected for every input and raised as one
    :class:`UserError` naming them all, or, with ``keep_problems``, left in
    each :attr:`Match.problem`.  ``client`` is an S3 client to use instead
    of one built from ``profile/region/endpoint_url``.  A folder is listed
    with everything below it (what ``top`` reads; :func:`hadoop_reach`
    narrows a match to what Hadoop reads).
    """
    make_client = _client_factory(client, profile, region, endpoint_url)

    def one(text: str) -> Match:
        try:
            if text.startswith("s3://"):
                return expand_s3(text, make_client())
            return expand_local(text)
        except UserError as error:
            return Match(text, [], problem=str(error))

    if sum(text.startswith("s3://") for text in inputs) < 2:
        matches = [one(text) for text in inputs]
    else:
        try:
            make_client()  # one client, made before the threads share it (boto3 clients are thread-safe)
        except UserError:
            matches = [one(text) for text in inputs]  # each S3 input says why; local ones are listed
        else:
            from concurrent.futures import ThreadPoolExecutor

            # A date range can make dozens of patterns: list them concurrently, in order.
            with ThreadPoolExecutor(LISTING_THREADS) as pool:
                matches = list(pool.map(one, inputs))
    return raise_or_keep(matches, keep_problems)


def raise_or_keep(matches: List[Match], keep_problems: bool) -> List[Match]:
    """``matches`` as they are with ``keep_problems``, else one error naming every :attr:`Match.problem`."""
    problems = [m.problem for m in matches if m.problem]
    if problems and not keep_problems:
        raise all_problems(problems)
    return matches


def _client_factory(client: Any, profile: Optional[str], region: Optional[str], endpoint_url: Optional[str]) -> Callable[[], Any]:
    made = [client]

    def make() -> Any:
        if made[0] is None:
            from .aws import session_client

            made[0] = session_client("s3", profile, region, endpoint_url)
        return made[0]

    return make


# --- what Hadoop reads ---------------------------------------------------


def hadoop_reach(match: Match, date_names: Sequence[str] = ()) -> Match:
    """What Hadoop's FileInputFormat reads of a match listed with everything below it, or why it fails.

    A path the pattern matches is read if it is a file or object; if it is
    a folder, the objects directly in it are read and a sub-folder fails
    the job (``Not a file``; the listing is not recursive), which becomes
    the returned match's :attr:`~Match.problem`.  Hidden names are already
    left out of ``match`` as Hadoop's hidden-file filter leaves them out.
    The same rule on disk as in S3, so ``inputs`` on a copy of a bucket
    says what ``emr run`` says of the bucket.  ``date_names`` name the
    options or parameters that would give globs reaching the objects
    (``("--from", "--to")``), for the hint; none for patterns made by them.
    """
    if match.problem or match.pattern == STDIN:
        return match
    root = "s3://{}/".format(match.pattern[5:].partition("/")[0]) if match.pattern.startswith("s3://") else ""
    try:
        matchers = _matchers(match.pattern[len(root):])  # once per pattern: a date range lists thousands of objects
    except UserError:  # an existing local path that reads as a broken glob ('data[1'), taken as it is
        return match
    read = []  # type: List[Source]
    folders = {}  # type: Dict[str, int]
    levels = []  # type: List[int]  # how many levels below the pattern each object lies
    for source in match.sources:
        key = source.name[len(root):]
        names = key.split("/")
        depth = _depth(key, matchers)
        if depth is not None:
            levels.append(max(0, len(names) - depth))
        if depth is None or len(names) - depth <= 1:
            read.append(source)
        else:
            folder = root + "/".join(names[:depth + 1])
            folders[folder] = max(folders.get(folder, 0), len(names) - depth)
    problem = None
    if folders:
        deepest = max(folders.values())
        problem = sub_folder_problem(match.pattern, folders, date_names, sum(1 for n in levels if n != deepest))
    return Match(match.pattern, read, problem)


def sub_folder_problem(pattern: str, folders: Dict[str, int], date_names: Sequence[str] = (),
                       missed: int = 0) -> str:
    """Why Hadoop fails on ``pattern``: its first sub-folder, and a glob that reaches the deepest objects.

    ``folders`` maps each sub-folder to how many levels below the pattern
    its deepest object lies.  Folders are ordered by path component, so a
    copy on disk names the same one as the bucket.  A glob reaches one
    depth: the hint says how many objects (``missed``) lie at others.
    """
    first = min(folders, key=lambda folder: folder.split("/"))
    more = " (so are {:,} other(s))".format(len(folders) - 1) if len(folders) > 1 else ""
    deepest = max(folders.values())
    partial = (" (it misses the {:,} object(s) at other depths: a glob reaches one depth)".format(missed)
               if missed else "")
    return ("{}: {} is a folder inside what it reaches{}, and Hadoop reads only the objects directly in a "
            "folder and fails the job on a sub-folder ('Not a file'); give a glob reaching the objects, e.g. "
            "{}{}{}".format(pattern, first, more, pattern.rstrip("/") + "/*" * deepest, partial,
                            ", or " + "/".join(date_names) if date_names else ""))


def _matchers(pattern: str) -> List[_KeyMatcher]:
    """A matcher for each ``{a,b}`` variant of a pattern (none for a bucket's root)."""
    pattern = pattern.rstrip("/")
    if not pattern:
        return []
    return [_KeyMatcher(variant) for variant in (expand_braces(pattern) if has_wildcard(pattern) else [pattern])]


def _depth(key: str, matchers: List[_KeyMatcher]) -> Optional[int]:
    """How many path components the pattern (one of its variants) matched, None if none; 0 for the root."""
    if not matchers:
        return 0
    for matcher in matchers:
        if matcher.depth_match(key) is not None:
            return len(matcher.parts)
    return None


def without_empty_hours(matches: List[Match], prefixes: int = 1) -> Tuple[List[Match], List[str]]:
    """A date range's matches less the patterns that matched nothing, and those patterns.

    An hour without objects is normal in a date range (the stream was down,
    the range starts before the data), but an input prefix with nothing in
    the whole range is a mistake (a typo, the wrong bucket) that would
    silently give a smaller count.  ``matches`` come as ``prefixes`` equal
    runs, one per input prefix, in the order of
    :func:`~hashtagcount.partitions.date_inputs`: a prefix whose every
    pattern is empty keeps them (each is then an error), the others lose
    their empty ones.  Used by ``top``, ``inputs`` and ``emr run`` alike,
    which say so with :func:`left_out_note`.
    """
    size = len(matches) // prefixes if prefixes > 0 and len(matches) % prefixes == 0 else len(matches)
    kept, left_out = [], []  # type: List[Match], List[str]
    for start in range(0, len(matches), size or 1):
        run = matches[start:start + size]
        if all(m.empty and not m.problem for m in run):
            kept.extend(run)
            continue
        kept.extend(m for m in run if not m.empty or m.problem)
        left_out.extend(m.pattern for m in run if m.empty and not m.problem)
    return kept, left_out


def left_out_note(patterns: Sequence[str], shown: int = 0) -> str:
    """The one note naming a date range's empty hours, left out (``shown``: name at most that many; 0: all)."""
    names = ", ".join(patterns[:shown] if shown else patterns) + (", ..." if 0 < shown < len(patterns) else "")
    return "note: {} date pattern(s) matched nothing and are left out: {}".format(len(patterns), names)


def sources_of(matches: Sequence[Match]) -> List[Source]:
    """The distinct sources of ``matches`` in order; an input that matched nothing is an error.

    An error, not a warning, because a typo in one of several inputs would
    otherwise silently give a smaller count.
    """
    empty = [m.nothing_found() for m in matches if m.empty and not m.problem]
    if empty:
        raise all_problems(empty)
    seen = set()  # type: set
    sources = []
    for match in matches:
        for source in match.sources:
            if source.name not in seen:
                seen.add(source.name)
                sources.append(source)
    if sum(s.is_stdin for s in sources) > 1:
        raise UserError("'-' (standard input) can be given only once")
    return sources


def human_size(size: float) -> str:
    """``1.2 GiB``, as ``aws s3 ls --human-readable`` prints sizes."""
    for unit in ("Bytes", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return "{:.0f} {}".format(size, unit) if unit == "Bytes" else "{:.1f} {}".format(size, unit)
        size /= 1024.0
    raise AssertionError("unreachable")
