"""Why did the step fail?  Read its logs on S3 and name the probable cause.

EMR copies logs from the nodes to ``LogUri`` about every five minutes:
the step's own ``stderr``/``syslog`` under ``<cluster>/steps/<step>/`` and
every task attempt's under ``<cluster>/containers/application_*/container_*/``.
The probable cause is the last Python traceback a task printed or, when
no task printed one, the streaming error line of the step's log.
"""

import gzip
import re
import sys
import time
from typing import Any, Callable, Dict, List, Optional, TextIO, Tuple

from hashtagcount.aws import list_objects, parse_s3_uri
from hashtagcount.errors import UserError

TRACEBACK = "Traceback (most recent call last):"
MAX_CAUSE_LINES = 30
_APPLICATION = re.compile(r"\b(?:application|job)_(\d+_\d+)\b")
# Most specific first: the first pattern with a match names the cause.
_STREAMING_ERRORS = (
    re.compile(r".*(?:FileAlreadyExistsException|InvalidInputException).*"),
    re.compile(r"^Error: .*", re.MULTILINE),
    re.compile(r".*ERROR streaming\.StreamJob: .*"),
    re.compile(r".*Streaming Command Failed!.*"),
)
_TASK_FAILED = re.compile(r"subprocess failed with code|Status : FAILED")

Log = Tuple[str, str]  # (s3 uri, text)


class Cause:
    """The lines that explain a failure and the log they come from."""

    def __init__(self, kind: str, where: str, lines: List[str]) -> None:
        self.kind = kind  # "traceback", "streaming error" or "EMR"
        self.where = where
        self.lines = lines

    def __str__(self) -> str:
        return "\n".join(self.lines)


def last_traceback(text: str) -> Optional[List[str]]:
    """The last Python traceback in ``text``: its header, frames and exception line(s)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == TRACEBACK]
    if not starts:
        return None
    block = [lines[starts[-1]]]
    for line in lines[starts[-1] + 1:]:
        if line.startswith((" ", "\t")):
            block.append(line)
            continue
        if line.strip() and not line.startswith("reporter:"):
            block.append(line)  # the exception line ends the traceback
        break
    return block[-MAX_CAUSE_LINES:]


def streaming_error(text: str) -> Optional[str]:
    """The most telling error line Hadoop Streaming or its job client logged."""
    for pattern in _STREAMING_ERRORS:
        found = pattern.findall(text)
        if found:
            return found[-1].strip()
    return None


def probable_cause(logs: List[Log]) -> Optional[Cause]:
    """A traceback from any log (task logs first), else a streaming error line."""
    ordered = sorted(logs, key=lambda log: "/containers/" not in log[0])
    for where, text in ordered:
        block = last_traceback(text)
        if block:
            return Cause("traceback", where, block)
    for where, text in sorted(logs, key=lambda log: "/containers/" in log[0]):
        line = streaming_error(text)
        if line:
            return Cause("streaming error", where, [line])
    return None


def _step_prefix(log_uri: str, cluster_id: str, step_id: str) -> str:
    return "{}/{}/steps/{}/".format(log_uri.rstrip("/"), cluster_id, step_id)


def _containers_prefix(log_uri: str, cluster_id: str) -> str:
    return "{}/{}/containers/".format(log_uri.rstrip("/"), cluster_id)


def _list(s3: Any, uri: str) -> List[str]:
    bucket, prefix = parse_s3_uri(uri)
    return ["s3://{}/{}".format(bucket, item["Key"]) for item in list_objects(s3, bucket, prefix, uri)]


def _read(s3: Any, uri: str) -> str:
    bucket, key = parse_s3_uri(uri)
    data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    if key.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def _named(uri: str, *names: str) -> bool:
    base = uri.rsplit("/", 1)[-1]
    return any(base in (name, name + ".gz") for name in names)


def read_logs(s3: Any, log_uri: str, cluster_id: str, step_id: str) -> List[Log]:
    """The step's stderr/syslog and the stderr of its job's task attempts, as far as they have arrived."""
    logs = [
        (uri, _read(s3, uri))
        for uri in _list(s3, _step_prefix(log_uri, cluster_id, step_id))
        if _named(uri, "stderr", "syslog", "controller")
    ]
    applications = {"application_" + m for _, text in logs for m in _APPLICATION.findall(text)}
    containers = _containers_prefix(log_uri, cluster_id)
    if applications:
        uris = [uri for app in sorted(applications) for uri in _list(s3, containers + app + "/")]
    else:  # the step's own log has not arrived: any task log of the cluster is a clue
        uris = _list(s3, containers)
    logs.extend((uri, _read(s3, uri)) for uri in uris if _named(uri, "stderr"))
    return logs


def _settled(logs: List[Log], cause: Optional[Cause]) -> bool:
    """Whether more waiting cannot improve the diagnosis."""
    if cause is not None and cause.kind == "traceback":
        return True
    step_logs = [text for uri, text in logs if "/steps/" in uri]
    task_logs = [uri for uri, _ in logs if "/containers/" in uri]
    if not step_logs:
        return False
    task_failed = any(_TASK_FAILED.search(text) for text in step_logs)
    return not task_failed or bool(task_logs)


def diagnose(
    s3: Any,
    log_uri: Optional[str],
    cluster_id: str,
    step_id: str,
    wait_seconds: float,
    poll_seconds: float,
    out: TextIO = sys.stderr,
    failure: Optional[Dict[str, str]] = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Optional[Cause]:
    """Wait (at most ``wait_seconds``) for the logs, print the probable cause, and return it.

    ``failure`` is the step's ``FailureDetails`` from EMR, used when the
    logs say nothing better.
    """
    import botocore.exceptions

    fallback = None
    if failure and (failure.get("Message") or failure.get("Reason")):
        lines = [text for text in (failure.get("Reason"), failure.get("Message")) if text]
        fallback = Cause("EMR", failure.get("LogFile") or "the step's FailureDetails", lines)
    if not log_uri:
        print("diagnose: the cluster has no LogUri, so its logs stay on its nodes", file=out)
        _report(fallback, out)
        return fallback
    deadline = clock() + wait_seconds
    print(
        "diagnose: waiting up to {:g} s for the step's logs under {} "
        "(EMR copies logs to S3 about every 5 minutes)".format(wait_seconds, _step_prefix(log_uri, cluster_id, step_id)),
        file=out,
    )
    cause = None
    while True:
        try:
            logs = read_logs(s3, log_uri, cluster_id, step_id)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, UserError) as error:
            print("diagnose: cannot read the logs under {}: {}".format(log_uri, error), file=out)
            break
        cause = probable_cause(logs)
        if _settled(logs, cause) or clock() >= deadline:
            break
        sleep(min(poll_seconds, max(0.0, deadline - clock())))
    if cause is None and clock() >= deadline:
        print("diagnose: no telling log arrived within {:g} s; look again later with: "
              "hashtag-count emr logs {} {}".format(wait_seconds, cluster_id, step_id), file=out)
    cause = cause or fallback
    _report(cause, out)
    return cause


def _report(cause: Optional[Cause], out: TextIO) -> None:
    if cause is None:
        return
    print("probable cause ({}, from {}):".format(cause.kind, cause.where), file=out)
    for line in cause.lines:
        print("    " + line, file=out)
