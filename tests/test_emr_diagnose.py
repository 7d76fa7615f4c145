"""Diagnosis: the probable cause of a failed step, from logs that reach S3 late."""

import gzip
import io
import threading

from hashtagcount.emr.diagnose import diagnose, last_traceback, probable_cause, streaming_error

TASK_STDERR = """\
some warning printed first
Traceback (most recent call last):
  File "/mnt/yarn/usercache/hadoop/appcache/application_1_0001/container_1_0001_01_000002/mapper.py", line 17, in <module>
    import json
ModuleNotFoundError: No module named 'json'
log4j:WARN No appenders could be found for logger
"""

STEP_STDERR = """\
2017-03-01 12:00:01,000 INFO impl.YarnClientImpl: Submitted application application_1488369600000_0001
2017-03-01 12:00:05,000 INFO mapreduce.Job: Task Id : attempt_1488369600000_0001_m_000000_0, Status : FAILED
Error: java.lang.RuntimeException: PipeMapRed.waitOutputThreads(): subprocess failed with code 1
\tat org.apache.hadoop.streaming.PipeMapRed.waitOutputThreads(PipeMapRed.java:326)
2017-03-01 12:00:09,000 ERROR streaming.StreamJob: Job not successful!
Streaming Command Failed!
"""


def test_last_traceback_keeps_frames_and_exception_line_only():
    block = last_traceback("Traceback (most recent call last):\n  old\nValueError: first\n" + TASK_STDERR)
    assert block[0] == "Traceback (most recent call last):"
    assert block[-1] == "ModuleNotFoundError: No module named 'json'"
    assert len(block) == 4
    assert last_traceback("no trouble here\n") is None


def test_streaming_error_prefers_the_task_error_line():
    assert streaming_error(STEP_STDERR) == (
        "Error: java.lang.RuntimeException: PipeMapRed.waitOutputThreads(): subprocess failed with code 1")
    exists = "Exception in thread \"main\" org.apache.hadoop.mapred.FileAlreadyExistsException: Output directory s3://o/x already exists"
    assert streaming_error(STEP_STDERR + exists) == exists
    assert streaming_error("all fine\n") is None


def test_a_task_traceback_beats_the_step_log():
    cause = probable_cause([("s3://l/j-1/steps/s-1/stderr.gz", STEP_STDERR),
                            ("s3://l/j-1/containers/application_1/container_2/stderr.gz", TASK_STDERR)])
    assert cause.kind == "traceback"
    assert cause.where == "s3://l/j-1/containers/application_1/container_2/stderr.gz"
    only_step = probable_cause([("s3://l/j-1/steps/s-1/stderr.gz", STEP_STDERR)])
    assert only_step.kind == "streaming error"


def put_gz(s3, key: str, text: str) -> None:
    s3.put_object(Bucket="logs", Key=key, Body=gzip.compress(text.encode()))


def test_diagnose_waits_for_late_logs_and_reads_the_failed_attempt(s3):
    s3.create_bucket(Bucket="logs")
    app = "application_1488369600000_0001"

    def emr_copies_the_logs() -> None:
        put_gz(s3, "emr/j-1/steps/s-1/stderr.gz", STEP_STDERR)
        put_gz(s3, "emr/j-1/containers/{}/container_1488369600000_0001_01_000002/stderr.gz".format(app), TASK_STDERR)
        put_gz(s3, "emr/j-1/containers/application_9_0001/container_9_0001_01_000002/stderr.gz",
               "Traceback (most recent call last):\nValueError: another job on the same cluster\n")

    timer = threading.Timer(0.5, emr_copies_the_logs)
    timer.start()
    out = io.StringIO()
    try:
        cause = diagnose(s3, "s3://logs/emr/", "j-1", "s-1", wait_seconds=20, poll_seconds=0.1, out=out)
    finally:
        timer.join()
    text = out.getvalue()
    assert text.startswith("diagnose: waiting up to 20 s for the step's logs under s3://logs/emr/j-1/steps/s-1/")
    assert cause.lines[-1] == "ModuleNotFoundError: No module named 'json'"
    assert "probable cause (traceback, from s3://logs/emr/j-1/containers/{}/".format(app) in text
    assert "another job" not in text  # only the step's own application is read


def test_diagnose_gives_up_after_its_bound_and_says_how_to_look_later(s3):
    s3.create_bucket(Bucket="logs")
    out = io.StringIO()
    failure = {"Reason": "Unknown Error.", "LogFile": "s3://logs/emr/j-2/steps/s-2/stderr.gz"}
    cause = diagnose(s3, "s3://logs/emr", "j-2", "s-2", wait_seconds=0.3, poll_seconds=0.05, out=out, failure=failure)
    text = out.getvalue()
    assert "no telling log arrived within 0.3 s; look again later with: hashtag-count emr logs j-2 s-2" in text
    assert cause.kind == "EMR" and cause.lines == ["Unknown Error."]


def test_a_job_level_error_needs_no_task_logs(s3):
    s3.create_bucket(Bucket="logs")
    put_gz(s3, "emr/j-3/steps/s-3/stderr.gz",
           "ERROR streaming.StreamJob: Error Launching job : Input Pattern s3://t/2016/*/*/*/* matches 0 files\n"
           "Streaming Command Failed!\n")
    out = io.StringIO()
    cause = diagnose(s3, "s3://logs/emr", "j-3", "s-3", wait_seconds=30, poll_seconds=5, out=out)
    assert cause.lines == ["ERROR streaming.StreamJob: Error Launching job : Input Pattern s3://t/2016/*/*/*/* matches 0 files"]


def test_unreadable_logs_are_said_in_one_line_and_emrs_reason_stands(s3):
    out = io.StringIO()
    failure = {"Reason": "Unknown Error."}
    cause = diagnose(s3, "s3://no-such-log-bucket/emr", "j-4", "s-4", wait_seconds=5, poll_seconds=0.1,
                     out=out, failure=failure)
    assert "diagnose: cannot read the logs under s3://no-such-log-bucket/emr: " in out.getvalue()
    assert "no such bucket 'no-such-log-bucket'" in out.getvalue()
    assert cause.lines == ["Unknown Error."]
