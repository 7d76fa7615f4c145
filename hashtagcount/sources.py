"""Expand what a user typed (paths, directories, globs, ``-``, ``s3://`` URIs) into input objects.

The first stage of the data path, before any byte is read: the local
engine turns the result into units of work, and the EMR launcher uses it
as a preflight (which objects each pattern matches, how many bytes, and
which patterns match nothing, since Hadoop fails a whole job on those).

Hadoop's conventions apply everywhere: names starting with ``_`` or ``.``
(``_SUCCESS``, ``.crc`` files) are skipped when found by a directory walk,
prefix listing or wildcard, and glob wildcards (``*``, ``?``, ``[...]``,
``{a,b}``) never cross a ``/``.  A glob that matches a folder reads what is
below it, on this machine as in S3 (``below=True``, what ``top`` does);
Hadoop, and so ``inputs`` and ``emr``, read only objects at the pattern's
depth (``below=False``), and :attr:`Match.below` counts what that leaves out.
"""

import os
import re
import stat
from typing import Any, Callable, List, Optional, Sequence, Tuple

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
    denied access); ``below`` counts the objects a Hadoop-style glob (S3 or
    local) left out because they lie below the folders it matched.
    """

    __slots__ = ("pattern", "sources", "problem", "below")

    def __init__(self, pattern: str, sources: List[Source], problem: Optional[str] = None, below: int = 0) -> None:
        self.pattern = pattern
        self.sources = sources
        self.problem = problem
        self.below = below

    @property
    def total_bytes(self) -> int:
        return sum(s.size or 0 for s in self.sources)

    @property
    def empty(self) -> bool:
        return not self.sources

    def nothing_found(self) -> str:
        """Why this match is empty, for a user (with the fix when a glob stopped at folders)."""
        message = "{}: matches no input file or object".format(self.pattern)
        if self.below:
            message += "; " + stops_at_folders(self.below)
        return message

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


def stops_at_folders(below: int) -> str:
    """The hint for a Hadoop-style glob whose last component matched folders, not objects."""
    return (
        "{:,} object(s) lie below the folders it matches, which Hadoop does not read (only objects "
        "at a pattern's depth): add one /* per folder level, e.g. .../2017/*/*/*/*".format(below)
    )


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
            if is_hidden(name) and not part.startswith(name[:1]):
                return None  # a wildcard never picks bookkeeping files
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


def expand_local(pattern: str, below: bool = False) -> Match:
    """A path, directory or glob on this machine; ``-`` is standard input.

    A path that does not exist is an error; a glob may match nothing.
    ``below`` as in :func:`expand_s3`: a folder a glob matches is read
    whole, or (Hadoop's rule) left out and counted in :attr:`Match.below`.
    """
    if pattern == STDIN:
        return Match(pattern, [Source(STDIN, None)])
    if not has_wildcard(pattern) or os.path.exists(pattern):
        return Match(pattern, _local_path(pattern))
    import glob

    sources = []  # type: List[Source]
    deeper = 0
    for expanded in expand_braces(pattern):
        last = os.path.basename(expanded)
        for path in sorted(glob.glob(expanded)):
            name = os.path.basename(path)
            if is_hidden(name) and not last.startswith(name[:1]):
                continue
            if below or not os.path.isdir(path):
                sources.extend(_local_path(path))
            else:
                deeper += len(_local_path(path))
    return Match(pattern, sources, below=deeper)


# --- S3 inputs ----------------------------------------------------------


def expand_s3(uri: str, client: Any, below: bool = False) -> Match:
    """Objects under ``s3://bucket/prefix`` (a key, or a "directory"), or matching a glob.

    ``below``: a glob matching folders also reads every object below them
    (as a local glob does); otherwise only objects at the glob's depth.
    """
    from .aws import invalid_bucket, list_objects, parse_s3_uri  # S3's helpers, loaded for S3 inputs only

    problem = invalid_bucket(uri)
    if problem:
        raise UserError(problem)
    bucket, key = parse_s3_uri(uri)
    sources = []  # type: List[Source]
    if has_wildcard(key):
        deeper = 0
        for pattern in expand_braces(key):
            matcher = _KeyMatcher(pattern)
            for item in list_objects(client, bucket, _literal_prefix(pattern), uri):
                verdict = matcher.depth_match(item["Key"])
                if verdict or (verdict is False and below):
                    sources.append(Source("s3://{}/{}".format(bucket, item["Key"]), item["Size"]))
                elif verdict is False:
                    deeper += 1
        return Match(uri, sources, below=deeper)
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
    below: bool = False,
    keep_problems: bool = False,
) -> List[Match]:
    """Expand every input; a pattern that matches nothing gives an empty :class:`Match`.

    Missing local paths (not patterns), invalid or missing buckets and S3
    access problems are collected for every input and raised as one
    :class:`UserError` naming them all, or, with ``keep_problems``, left in
    each :attr:`Match.problem`.  ``client`` is an S3 client to use instead
    of one built from ``profile/region/endpoint_url``; ``below`` as in
    :func:`expand_s3`, for local globs too.
    """
    make_client = _client_factory(client, profile, region, endpoint_url)

    def one(text: str) -> Match:
        try:
            if text.startswith("s3://"):
                return expand_s3(text, make_client(), below)
            return expand_local(text, below)
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
    return _raise_or_keep(matches, keep_problems)


def _raise_or_keep(matches: List[Match], keep_problems: bool) -> List[Match]:
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


def without_empty_hours(matches: List[Match]) -> Tuple[List[Match], List[str]]:
    """A date range's matches less the patterns that matched nothing, and those patterns.

    An hour without objects is normal in a date range (the stream was down,
    the range starts before the data); only a range with nothing at all is
    an error, so when every pattern is empty none is left out.  Used by
    ``top``/``inputs`` and by ``emr run``, alike.
    """
    empty = [m.pattern for m in matches if m.empty and not m.problem]
    if len(empty) == len(matches):
        return matches, []
    return [m for m in matches if not m.empty or m.problem], empty


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
