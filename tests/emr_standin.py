"""A stand-in for EMR's nodes on top of moto's server, for end-to-end tests.

moto's EMR accepts clusters and steps but never runs a step.  This
stand-in plays the cluster: a thread that finds new steps over HTTP
(``list_clusters``/``list_steps``/``describe_step``, as any EMR client
would), runs each Hadoop Streaming step from its OWN arguments, and
reports the result the way EMR does:

* the arguments are parsed as ``hadoop-streaming`` parses them: generic
  options (``-D``, ``-files``) first, then streaming options; anything else
  fails the step with Hadoop's error line;
* the ``-files`` objects, and nothing else, are downloaded into an empty
  task working directory and the ``-mapper``, ``-combiner`` and ``-reducer``
  commands run there as real processes (split on spaces, no shell, as
  Hadoop does) under the node's ``python3``, which has no site-packages
  and no ``PYTHONPATH``: a node has nothing of this project installed;
* the ``-input`` globs are expanded here, independently of the product
  (:func:`hadoop_glob`: ``fnmatch`` per path component over a listing,
  ``{a,b}``, hidden names left out), so a glob bug cannot pass both the
  preflight and this cluster;
* ``-inputformat`` is honoured: with ``TextInputFormat`` (the default) each
  object is one map task; with ``CombineTextInputFormat`` objects are
  packed into splits of ``mapreduce.input.fileinputformat.split.maxsize``
  bytes (:func:`combine_splits`); each task's stdin is what streaming
  writes, line by line as LineRecordReader frames them, ``offset<TAB>line``
  unless ``stream.map.input.ignoreKey`` (default: true only for
  ``TextInputFormat``), as PipeMapper does;
* ``.gz``/``.bz2`` objects are decompressed by suffix like Hadoop's codecs;
  map output is sorted by key bytes, combined per task, merged, sorted
  again and reduced by one reducer into ``part-00000`` plus ``_SUCCESS``;
* an empty glob or an existing output fails the job as Hadoop does; a task
  that exits non-zero fails it with streaming's error line, and its stderr
  becomes the container log;
* logs (step ``stderr``/``syslog``/``controller`` and container
  ``stderr``/``syslog``, gzipped) appear under ``LogUri/<cluster>/`` only
  after ``log_delay`` seconds, as EMR's periodic copy makes them late.

moto has no API to change a step's state, so the stand-in sets states on
moto's in-process backend (``ThreadedMotoServer`` runs in the test
process).  That is test-side only: the product talks to moto over HTTP.
Simplification: a failing task is run once, not retried four times.
"""

import bz2
import fnmatch
import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from hashtagcount.aws import parse_s3_uri, session_client

ACTIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
GENERIC_OPTIONS = ("-D", "-files", "-libjars", "-archives", "-conf")
STREAMING_OPTIONS = ("-mapper", "-combiner", "-reducer", "-input", "-output", "-numReduceTasks", "-inputformat")
TEXT_INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat"
COMBINE_INPUT_FORMAT = "org.apache.hadoop.mapred.lib.CombineTextInputFormat"
INPUT_FORMATS = (TEXT_INPUT_FORMAT, COMBINE_INPUT_FORMAT)
SPLIT_MAXSIZE = "mapreduce.input.fileinputformat.split.maxsize"
IGNORE_KEY = "stream.map.input.ignoreKey"
GLOB_CHARS = re.compile(r"[*?\[{]")
HIDDEN = ("_", ".")  # FileInputFormat's hiddenFileFilter


class StepFailed(Exception):
    """The job failed; ``client_lines`` is what the job client printed to the step's stderr."""

    def __init__(self, client_lines: List[str], containers: Optional[List[Tuple[str, bytes]]] = None) -> None:
        super().__init__(client_lines[-1])
        self.client_lines = client_lines
        self.containers = containers or []


class ClusterStandIn:
    """Run the steps submitted to moto's EMR; use as a context manager."""

    def __init__(
        self,
        endpoint: str,
        *,
        node_python: Optional[str] = None,
        poll: float = 0.05,
        startup: float = 0.2,
        log_delay: float = 0.5,
        hold: bool = False,
        region: str = "us-east-1",
    ) -> None:
        self.endpoint = endpoint
        self.node_python = node_python
        self.poll = poll
        self.startup = startup
        self.log_delay = log_delay
        self.hold = hold
        self.region = region
        self.executed = []  # type: List[Dict[str, object]]
        self._seen_clusters = {}  # type: Dict[str, float]
        self._handled = set()  # type: set
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="emr-standin", daemon=True)
        self._timers = []  # type: List[threading.Timer]
        self._bin = Path(tempfile.mkdtemp(prefix="emr-node-bin-"))
        self.errors = []  # type: List[BaseException]

    # --- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> "ClusterStandIn":
        # A node has Python and nothing of this project: its python3 runs without site-packages.
        python3 = self._bin / "python3"
        python3.write_text('#!/bin/sh\nexec {} -S "$@"\n'.format(shlex.quote(self.node_python or sys.executable)))
        python3.chmod(0o755)
        self.emr = session_client("emr", endpoint_url=self.endpoint, region=self.region)
        self.s3 = session_client("s3", endpoint_url=self.endpoint, region=self.region)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        for timer in self._timers:
            timer.join(timeout=30)
        shutil.rmtree(self._bin, ignore_errors=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._tick()
            except Exception as error:  # keep serving; the test asserts on self.errors
                self.errors.append(error)
            self._stop.wait(self.poll)

    # --- moto's in-process state ---------------------------------------------------

    def _cluster(self, cluster_id: str):
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.emr.models import emr_backends

        return emr_backends[DEFAULT_ACCOUNT_ID][self.region].clusters[cluster_id]

    def _step(self, cluster_id: str, step_id: str):
        return next(s for s in self._cluster(cluster_id).steps if s.id == step_id)

    # --- the cluster's work --------------------------------------------------------

    def _tick(self) -> None:
        clusters = self.emr.list_clusters(ClusterStates=ACTIVE)["Clusters"]
        for summary in clusters:
            cluster_id = summary["Id"]
            first = self._seen_clusters.setdefault(cluster_id, time.monotonic())
            cluster = self._cluster(cluster_id)
            if time.monotonic() - first < self.startup and not cluster.keep_job_flow_alive_when_no_steps:
                self._set_state(cluster, "STARTING")  # a new cluster takes a while to come up
                continue
            steps = self.emr.list_steps(ClusterId=cluster_id)["Steps"][::-1]  # oldest first
            waiting = [s for s in steps if s["Status"]["State"] in ("PENDING", "RUNNING")]
            todo = [s for s in waiting if s["Id"] not in self._handled]
            if not todo:
                if not waiting and cluster.state in ("STARTING", "RUNNING"):
                    self._idle(cluster_id)
                continue
            step_id = todo[0]["Id"]
            self._handled.add(step_id)
            if not self._set_state(cluster, "RUNNING"):
                continue
            step = self._step(cluster_id, step_id)
            step.state = "RUNNING"
            step.start_date_time = datetime.now(timezone.utc)
            if not self.hold:  # held, a step runs for ever (until the cluster is terminated)
                self._run_step(cluster_id, step_id)

    @staticmethod
    def _set_state(cluster, state: str) -> bool:
        """Move an active cluster to ``state``; never revive one that was terminated meanwhile."""
        if cluster.state not in ACTIVE:
            return False
        cluster.state = state
        return True

    def _idle(self, cluster_id: str) -> None:
        cluster = self._cluster(cluster_id)
        if cluster.keep_job_flow_alive_when_no_steps:
            self._set_state(cluster, "WAITING")
        elif cluster.state in ACTIVE:
            cluster.last_state_change_reason = "Steps completed"
            cluster.terminate()

    def _run_step(self, cluster_id: str, step_id: str) -> None:
        detail = self.emr.describe_step(ClusterId=cluster_id, StepId=step_id)["Step"]
        config = detail["Config"]
        log_uri = self.emr.describe_cluster(ClusterId=cluster_id)["Cluster"].get("LogUri")
        app = "application_{}_{:04d}".format(int(time.time() * 1000), len(self.executed) + 1)
        record = {"cluster": cluster_id, "step": step_id, "args": config["Args"], "application": app}
        self.executed.append(record)
        step = self._step(cluster_id, step_id)
        try:
            if config["Jar"] != "command-runner.jar" or config["Args"][:1] != ["hadoop-streaming"]:
                raise StepFailed(["Cannot run program: {} {}".format(config["Jar"], config["Args"][:1])])
            client_lines, containers = self._streaming(config["Args"][1:], app)
        except StepFailed as failure:
            record["state"] = "FAILED"
            client_lines = failure.client_lines
            containers = failure.containers
            step.state = "FAILED"
            step.last_state_change_reason = "Step failed"
        else:
            record["state"] = "COMPLETED"
            step.state = "COMPLETED"
        step.end_date_time = datetime.now(timezone.utc)
        if log_uri:
            self._write_logs_later(log_uri, cluster_id, step_id, app, client_lines, containers)
        if step.state == "FAILED" and step.action_on_failure in ("TERMINATE_CLUSTER", "TERMINATE_JOB_FLOW"):
            cluster = self._cluster(cluster_id)
            for other in cluster.steps:
                if other.state in ("PENDING", "RUNNING"):
                    other.state = "CANCELLED"
            cluster.last_state_change_reason = "Shut down as step failed"
            cluster.terminate()
            cluster.state = "TERMINATED_WITH_ERRORS"

    # --- hadoop-streaming ----------------------------------------------------------

    def _streaming(self, args: List[str], app: str) -> Tuple[List[str], List[Tuple[str, bytes]]]:
        conf, files, options = parse_streaming_args(args)
        job = app.replace("application_", "job_")
        output = options["-output"][0]
        client = ["INFO client.DefaultNoHARMFailoverProxyProvider: Connecting to ResourceManager"]
        input_format = options.get("-inputformat", [TEXT_INPUT_FORMAT])[-1]
        if input_format not in INPUT_FORMATS:
            raise StepFailed(client + ["-inputformat : class not found : " + input_format,
                                       "Streaming Command Failed!"])
        if self._exists(output):
            raise StepFailed(client + [
                'Exception in thread "main" org.apache.hadoop.mapred.FileAlreadyExistsException: '
                "Output directory {} already exists".format(output)
            ])
        objects = []  # type: List[Tuple[str, int]]
        for pattern in options["-input"]:
            objects.extend(self._glob(pattern, client))
        try:
            max_size = int(conf.get(SPLIT_MAXSIZE, "0"))
        except ValueError:
            raise StepFailed(client + ['Exception in thread "main" java.lang.NumberFormatException: For input '
                                       'string: "{}"'.format(conf[SPLIT_MAXSIZE])])
        if input_format == TEXT_INPUT_FORMAT:
            splits = [[Block(uri, 0, size)] for uri, size in objects]
        else:
            splits = combine_splits(objects, max_size)
        ignore_key = java_boolean(conf.get(IGNORE_KEY), input_format == TEXT_INPUT_FORMAT)
        self.executed[-1]["map_tasks"] = len(splits)
        client += [
            "INFO mapred.FileInputFormat: Total input files to process : {}".format(len(objects)),
            "INFO mapreduce.JobSubmitter: number of splits:{}".format(len(splits)),
            "INFO impl.YarnClientImpl: Submitted application {}".format(app),
            "INFO mapreduce.Job: Running job: {}".format(job),
        ]
        work = Path(tempfile.mkdtemp(prefix="emr-task-"))
        try:
            for uri in files:
                bucket, key = parse_s3_uri(uri)
                (work / key.rsplit("/", 1)[-1]).write_bytes(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read())
            self.executed[-1]["task_files"] = sorted(path.name for path in work.iterdir())
            combined = []  # type: List[bytes]
            containers = []  # type: List[Tuple[str, bytes]]
            for number, split in enumerate(splits):
                attempt = "attempt_{}_m_{:06d}_0".format(job[4:], number)
                mapped = self._task(options["-mapper"][0], self._map_input(split, ignore_key), work, attempt, conf)
                containers.append(mapped[1])
                if mapped[0] is None:
                    raise self._task_failed(client, attempt, containers)
                out = _hadoop_sort(mapped[0])
                if "-combiner" in options:
                    combined_out = self._task(options["-combiner"][0], out, work, attempt, conf)
                    if combined_out[0] is None:
                        containers.append(combined_out[1])
                        raise self._task_failed(client, attempt, containers)
                    out = combined_out[0]
                combined.append(out)
            attempt = "attempt_{}_r_000000_0".format(job[4:])
            reduced = self._task(options["-reducer"][0], _hadoop_sort(b"".join(combined)), work, attempt, conf)
            containers.append(reduced[1])
            if reduced[0] is None:
                raise self._task_failed(client, attempt, containers)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        bucket, key = parse_s3_uri(output)
        self.s3.put_object(Bucket=bucket, Key=key.rstrip("/") + "/part-00000", Body=reduced[0])
        self.s3.put_object(Bucket=bucket, Key=key.rstrip("/") + "/_SUCCESS", Body=b"")
        client += [
            "INFO mapreduce.Job: Job {} completed successfully".format(job),
            "INFO streaming.StreamJob: Output directory: {}".format(output),
        ]
        return client, containers

    def _glob(self, pattern: str, client: List[str]) -> List[Tuple[str, int]]:
        """``(uri, size)`` of the files an ``-input`` pattern reaches, as Hadoop's FileInputFormat lists them."""
        bucket, key = parse_s3_uri(pattern)
        listed = {}  # type: Dict[str, int]
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=_listing_prefix(key)):
            listed.update((item["Key"], item["Size"]) for item in page.get("Contents", ()))
        files, folders = hadoop_glob(key, listed)
        if folders:
            raise StepFailed(client + ["ERROR streaming.StreamJob: Error Launching job : Not a file: s3://{}/{}"
                                       .format(bucket, folders[0]), "Streaming Command Failed!"])
        if not files:
            what = "Input Pattern {} matches 0 files" if GLOB_CHARS.search(key) else "Input path does not exist: {}"
            raise StepFailed(client + ["ERROR streaming.StreamJob: Error Launching job : " + what.format(pattern),
                                       "Streaming Command Failed!"])
        return [("s3://{}/{}".format(bucket, name), listed[name]) for name in files]

    def _map_input(self, split: List["Block"], ignore_key: bool) -> bytes:
        """What streaming writes to a map task's stdin: each line of the split, ``offset<TAB>`` first unless ignored."""
        out = []
        for block in split:
            for offset, line in split_lines(self._read_input(block.uri), block.start, block.length,
                                            whole=_compressed(block.uri)):
                if not ignore_key:
                    out.append(b"%d\t" % offset)
                out.append(line + b"\n")
        return b"".join(out)

    def _task_failed(self, client: List[str], attempt: str, containers: List[Tuple[str, bytes]]) -> StepFailed:
        return StepFailed(client + [
            "INFO mapreduce.Job: Task Id : {}, Status : FAILED".format(attempt),
            "Error: java.lang.RuntimeException: PipeMapRed.waitOutputThreads(): subprocess failed with code 1",
            "\tat org.apache.hadoop.streaming.PipeMapRed.waitOutputThreads(PipeMapRed.java:326)",
            "ERROR streaming.StreamJob: Job not successful!",
            "Streaming Command Failed!",
        ], containers)

    def _task(self, command: str, data: bytes, work: Path, attempt: str, conf: Dict[str, str]):
        """Run one streaming command; (stdout or None if it failed, (attempt, stderr log))."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
        env["PATH"] = "{}{}{}".format(self._bin, os.pathsep, env.get("PATH", ""))
        env.update({name.replace(".", "_"): value for name, value in conf.items()})
        env.update(mapreduce_task_attempt_id=attempt, mapreduce_task_id=attempt.replace("attempt_", "task_")[:-2])
        words = shlex.split(command)
        try:
            done = subprocess.run(words, input=data, cwd=str(work), env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        except OSError as error:  # e.g. the program does not exist on the node
            return None, (attempt, "Cannot run program \"{}\": {}\n".format(words[0], error).encode())
        stderr = b"".join(line for line in done.stderr.splitlines(True) if not line.startswith(b"reporter:"))
        return (done.stdout if done.returncode == 0 else None), (attempt, stderr)

    def _read_input(self, uri: str) -> bytes:
        bucket, key = parse_s3_uri(uri)
        data = self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if key.endswith(".gz"):
            return gzip.decompress(data)
        if key.endswith(".bz2"):
            return bz2.decompress(data)
        return data

    def _exists(self, uri: str) -> bool:
        bucket, key = parse_s3_uri(uri)
        listed = self.s3.list_objects_v2(Bucket=bucket, Prefix=key.rstrip("/") + "/", MaxKeys=1)
        return bool(listed.get("Contents"))

    # --- logs, late as EMR's -------------------------------------------------------

    def _write_logs_later(self, log_uri, cluster_id, step_id, app, client_lines, containers) -> None:
        def write() -> None:
            try:
                base = "{}/{}".format(log_uri.rstrip("/"), cluster_id)
                stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S,000")
                stderr = "".join("{} {}\n".format(stamp, line) if line.startswith(("INFO", "ERROR")) else line + "\n"
                                 for line in client_lines)
                self._put_gz(base + "/steps/{}/stderr.gz".format(step_id), stderr.encode())
                self._put_gz(base + "/steps/{}/syslog.gz".format(step_id), stderr.encode())
                self._put_gz(base + "/steps/{}/controller.gz".format(step_id),
                             "{} INFO startExec 'hadoop jar command-runner.jar'\n".format(stamp).encode())
                for number, (attempt, text) in enumerate(containers, 2):
                    container = "container_{}_01_{:06d}".format(app[len("application_"):], number)
                    folder = base + "/containers/{}/{}".format(app, container)
                    self._put_gz(folder + "/stderr.gz", text)
                    self._put_gz(folder + "/syslog.gz", "{} INFO [main] {} started\n".format(stamp, attempt).encode())
            except Exception as error:
                self.errors.append(error)

        timer = threading.Timer(self.log_delay, write)
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _put_gz(self, uri: str, data: bytes) -> None:
        bucket, key = parse_s3_uri(uri)
        self.s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(data))


def parse_streaming_args(args: List[str]) -> Tuple[Dict[str, str], List[str], Dict[str, List[str]]]:
    """Split ``hadoop-streaming`` arguments as Hadoop does, failing on what it would reject."""
    conf = {}  # type: Dict[str, str]
    files = []  # type: List[str]
    i = 0
    while i < len(args) and args[i] in GENERIC_OPTIONS:
        flag, value = args[i], args[i + 1]
        if flag == "-D":
            name, _, setting = value.partition("=")
            conf[name] = setting
        elif flag == "-files":
            files.extend(value.split(","))
        i += 2
    options = {}  # type: Dict[str, List[str]]
    while i < len(args):
        flag = args[i]
        if flag not in STREAMING_OPTIONS or i + 1 >= len(args):
            raise StepFailed(["ERROR streaming.StreamJob: Unrecognized option: {}".format(flag),
                              "Streaming Command Failed!"])
        options.setdefault(flag, []).append(args[i + 1])
        i += 2
    for required in ("-input", "-output", "-mapper", "-reducer"):
        if required not in options:
            raise StepFailed(["ERROR streaming.StreamJob: Missing required option: {}".format(required[1:]),
                              "Streaming Command Failed!"])
    return conf, files, options


def _hadoop_sort(data: bytes) -> bytes:
    """Order lines by key bytes (the text before the first tab), as Hadoop's shuffle does."""
    lines = data.splitlines(True)
    lines = [line if line.endswith(b"\n") else line + b"\n" for line in lines]
    return b"".join(sorted(lines, key=lambda line: line.rstrip(b"\n").split(b"\t", 1)[0]))


# --- Hadoop's input side, written here independently of the product -------------


def expand_braces(pattern: str) -> List[str]:
    """``a{b,c{d,e}}f`` -> ``abf, acdf, acef``, as Hadoop's GlobExpander does."""
    start = pattern.find("{")
    if start < 0:
        return [pattern]
    depth, options, begin = 0, [], start + 1
    for i in range(start, len(pattern)):
        if pattern[i] == "{":
            depth += 1
        elif pattern[i] == "}":
            depth -= 1
            if depth == 0:
                options.append(pattern[begin:i])
                rest = pattern[i + 1:]
                return [variant for option in options for variant in expand_braces(pattern[:start] + option + rest)]
        elif pattern[i] == "," and depth == 1:
            options.append(pattern[begin:i])
            begin = i + 1
    raise StepFailed(["ERROR streaming.StreamJob: Illegal file pattern: Unclosed group near index {}".format(start)])


def hadoop_glob(pattern: str, keys: Sequence[str]) -> Tuple[List[str], List[str]]:
    """The keys a Hadoop input path reaches, and the sub-folders it would refuse (``Not a file``).

    Per ``/``-separated component (so ``*`` never crosses a ``/``), with
    ``{a,b}`` alternatives and ``[^a]`` classes; a match that is a folder
    stands for the files directly in it; names starting with ``_`` or
    ``.`` are left out as FileInputFormat's hidden-file filter does.
    """
    files, folders = [], []  # type: List[str], List[str]
    for variant in expand_braces(pattern.rstrip("/")):
        parts = [part.replace("[^", "[!") for part in variant.split("/")] if variant else []  # "": the bucket
        for key in keys:
            names = key.split("/")
            if len(names) <= len(parts) - 1 or not all(
                    fnmatch.fnmatchcase(name, part) for name, part in zip(names, parts)):
                continue
            rest = names[len(parts):]
            if rest and parts and names[len(parts) - 1].startswith(HIDDEN):
                continue  # the glob matched a hidden folder: the filter drops it with all it holds
            if len(rest) > 1:
                folder = "/".join(names[:len(parts) + 1])
                if folder not in folders and not rest[0].startswith(HIDDEN):
                    folders.append(folder)
            elif not names[-1].startswith(HIDDEN) and names[-1] and key not in files:
                files.append(key)
    return sorted(files), folders


def _listing_prefix(key: str) -> str:
    match = GLOB_CHARS.search(key)
    return key if match is None else key[:key.rfind("/", 0, match.start()) + 1]


def _compressed(uri: str) -> bool:
    return uri.endswith((".gz", ".bz2"))


class Block:
    """Bytes ``start .. start + length`` of one object: a piece of a map task's split."""

    def __init__(self, uri: str, start: int, length: int) -> None:
        self.uri, self.start, self.length = uri, start, length

    def __repr__(self) -> str:
        return "Block({!r}, {}, {})".format(self.uri, self.start, self.length)


def combine_splits(objects: Sequence[Tuple[str, int]], max_size: int) -> List[List[Block]]:
    """Group objects into splits as CombineFileInputFormat does (one rack, no locality).

    A compressed object is one block (``.gz`` cannot be split; ``.bz2``
    could, which this stand-in does not model); a plain one is cut into
    blocks of at most ``max_size`` (halving a remainder between one and two
    sizes).  Blocks join a split until it reaches ``max_size``; with
    ``max_size`` 0 everything is one split.
    """
    blocks = []  # type: List[Block]
    for uri, size in objects:
        if _compressed(uri) or not max_size:
            blocks.append(Block(uri, 0, size))
            continue
        offset, left = 0, size
        while True:
            length = left // 2 if max_size < left < 2 * max_size else min(max_size, left)
            blocks.append(Block(uri, offset, length))
            offset, left = offset + length, left - length
            if left <= 0:
                break
    splits, current, size = [], [], 0  # type: List[List[Block]], List[Block], int
    for block in blocks:
        current.append(block)
        size += block.length
        if max_size and size >= max_size:
            splits.append(current)
            current, size = [], 0
    if current:
        splits.append(current)
    return splits


_TERMINATOR = re.compile(rb"\r\n|\r|\n")


def split_lines(data: bytes, start: int, length: int, whole: bool = False) -> Iterator[Tuple[int, bytes]]:
    """``(offset, line)`` that LineRecordReader gives for bytes ``start .. start+length`` of ``data``.

    Lines end at ``\\n``, ``\\r`` or ``\\r\\n`` (not part of the line).  A split
    owns the lines starting in ``(start, start + length]``, and the first
    line when ``start`` is 0; ``whole`` (a compressed object) reads all.
    """
    end = len(data) if whole else start + length
    position = 0
    for match in _TERMINATOR.finditer(data):
        if (position == 0 and start == 0) or start < position <= end:
            yield position, data[position:match.start()]
        position = match.end()
        if position > end:
            return
    if position < len(data) and ((position == 0 and start == 0) or start < position <= end):
        yield position, data[position:]


def java_boolean(value: Optional[str], default: bool) -> bool:
    """``Configuration.getBoolean``: ``true``/``false`` in any case, anything else the default."""
    if value is not None and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return default
