"""Follow a step until it ends, printing each state change with the time elapsed.

Watching is read-only; :func:`terminate` is the one thing that stops a
cluster, and the launcher calls it only for a cluster it created itself.
"""

import sys
import time
from typing import Any, Callable, Dict, Optional, TextIO

from .calls import call, describe_cluster, describe_step

STEP_ENDED = ("COMPLETED", "CANCELLED", "FAILED", "INTERRUPTED")
CLUSTER_ENDED = ("TERMINATED", "TERMINATED_WITH_ERRORS")
CLUSTER_ENDING = ("TERMINATING",) + CLUSTER_ENDED


class Outcome:
    """How a watched step ended."""

    def __init__(self, step_state: str, cluster_state: str, reason: str, failure: Dict[str, str]) -> None:
        self.step_state = step_state
        self.cluster_state = cluster_state
        self.reason = reason
        self.failure = failure

    @property
    def succeeded(self) -> bool:
        return self.step_state == "COMPLETED"


def _reason(status: Dict[str, Any]) -> str:
    change = status.get("StateChangeReason") or {}
    return change.get("Message") or change.get("Code") or ""


def elapsed_label(seconds: float) -> str:
    """``[ 1:05:09]`` style elapsed time, wide enough to keep columns aligned."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return "[{:2d}:{:02d}:{:02d}]".format(hours, minutes, secs)


class Watcher:
    """Poll one step (and its cluster) every ``poll_seconds``; print changes to ``out``."""

    def __init__(
        self,
        emr: Any,
        cluster_id: str,
        step_id: str,
        poll_seconds: float = 30.0,
        out: TextIO = sys.stderr,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.emr = emr
        self.cluster_id = cluster_id
        self.step_id = step_id
        self.poll_seconds = poll_seconds
        self.out = out
        self.clock = clock
        self.sleep = sleep
        self.started = clock()
        self._seen = {}  # type: Dict[str, str]

    def _say(self, what: str, state: str, reason: str) -> None:
        if self._seen.get(what) == state:
            return
        self._seen[what] = state
        detail = " ({})".format(reason) if reason else ""
        print("{} {}: {}{}".format(elapsed_label(self.clock() - self.started), what, state, detail),
              file=self.out, flush=True)

    def poll(self) -> Optional[Outcome]:
        """One look at the cluster and the step; an :class:`Outcome` once the step has ended."""
        cluster = describe_cluster(self.emr, self.cluster_id)
        step = describe_step(self.emr, self.cluster_id, self.step_id)
        cluster_state = cluster["Status"]["State"]
        step_state = step["Status"]["State"]
        self._say("cluster " + self.cluster_id, cluster_state, _reason(cluster["Status"]))
        self._say("step " + self.step_id, step_state, _reason(step["Status"]))
        failure = step["Status"].get("FailureDetails") or {}
        if step_state in STEP_ENDED:
            return Outcome(step_state, cluster_state, _reason(step["Status"]), failure)
        if cluster_state in CLUSTER_ENDED:  # the step can never run now
            return Outcome("CANCELLED", cluster_state, _reason(cluster["Status"]), failure)
        return None

    def wait(self) -> Outcome:
        """Poll until the step ends (Ctrl-C raises KeyboardInterrupt to the caller)."""
        while True:
            outcome = self.poll()
            if outcome is not None:
                return outcome
            self.sleep(self.poll_seconds)


def say(out: TextIO, text: str) -> None:
    """Print one line, unless the terminal is gone (after SIGHUP): that must not stop a clean-up."""
    try:
        print(text, file=out, flush=True)
    except (OSError, ValueError):
        pass


def terminate(emr: Any, cluster_id: str, why: str, out: TextIO) -> str:
    """Terminate ``cluster_id`` after saying why; return the state EMR then reports."""
    say(out, "terminating cluster {} ({})".format(cluster_id, why))
    call("terminate cluster " + cluster_id, emr.terminate_job_flows, JobFlowIds=[cluster_id])
    state = describe_cluster(emr, cluster_id)["Status"]["State"]
    say(out, "cluster {}: {}".format(cluster_id, state))
    return state
