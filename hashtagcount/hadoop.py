"""Speaking Hadoop Streaming's stderr protocol, and staying quiet elsewhere."""

import os
import sys
from typing import Dict, Mapping, Optional, TextIO

COUNTER_GROUP = "hashtag-count"  # the group of every counter the scripts and the mrjob job report

# Hadoop Streaming exports the job configuration with dots turned into
# underscores; these are set for every map and reduce task (mrjob's local
# runners set them too).
_TASK_VARIABLES = ("mapreduce_task_id", "mapreduce_task_attempt_id", "mapred_task_id")


def under_hadoop(environ: Optional[Mapping[str, str]] = None) -> bool:
    """True when running as a Hadoop Streaming task."""
    environ = os.environ if environ is None else environ
    return any(name in environ for name in _TASK_VARIABLES)


def report_counters(group: str, counters: Dict[str, int], stream: Optional[TextIO] = None) -> None:
    """Write ``reporter:counter:<group>,<name>,<n>`` lines Hadoop adds to the job's counters."""
    stream = sys.stderr if stream is None else stream
    for name, value in counters.items():
        if value:
            stream.write("reporter:counter:{},{},{}\n".format(group, name, value))
    stream.flush()
