"""A stand-in for EMR's nodes on top of moto's server, for end-to-end tests.

moto's EMR accepts clusters and steps but never runs a step.  This
stand-in plays the cluster: a thread that finds new steps over HTTP
(``list_clusters``/``list_steps``/``describe_step``, as any EMR client
would), runs each Hadoop Streaming step from its OWN arguments, and
reports the result the way EMR does:

* the arguments are parsed as ``hadoop-streaming`` parses them: generic
  options (``-D``, ``-files``) first, then streaming options; anything else
  fails the step with Hadoop's error line;
* the ``-files`` objects are downloaded into a task working directory and
  the ``-mapper``, ``-combiner`` and ``-reducer`` commands run there as real
  processes (split on spaces, no shell, as Hadoop does) under the node's
  ``python3``;
* each object matched by the ``-input`` globs (expanded by the product's
  own :mod:`hashtagcount.sources`, whose glob rules are Hadoop's) is one map
  task; ``.gz``/``.bz2`` objects are decompressed by suffix like Hadoop's
  codecs; map output is sorted by key bytes, combined per task, merged,
  sorted again and reduced by one reducer into ``part-00000`` plus
  ``_SUCCESS``;
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
import gzip
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from hashtagcount.aws import parse_s3_uri, session_client
from hashtagcount.sources import expand_s3
from pipeline import REPO

ACTIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
GENERIC_OPTIONS = ("-D", "-files", "-libjars", "-archives", "-conf")
STREAMING_OPTIONS = ("-mapper", "-combiner", "-reducer", "-input", "-output", "-numReduceTasks")


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
        if self.node_python:
            (self._bin / "python3").symlink_to(self.node_python)
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
        if self._exists(output):
            raise StepFailed(client + [
                'Exception in thread "main" org.apache.hadoop.mapred.FileAlreadyExistsException: '
                "Output directory {} already exists".format(output)
            ])
        inputs = []
        for pattern in options["-input"]:
            match = expand_s3(pattern, self.s3)
            if match.empty:
                raise StepFailed(client + [
                    "ERROR streaming.StreamJob: Error Launching job : Input Pattern {} matches 0 files".format(pattern),
                    "Streaming Command Failed!",
                ])
            inputs.extend(source.name for source in match.sources)
        client += [
            "INFO mapred.FileInputFormat: Total input files to process : {}".format(len(inputs)),
            "INFO impl.YarnClientImpl: Submitted application {}".format(app),
            "INFO mapreduce.Job: Running job: {}".format(job),
        ]
        work = Path(tempfile.mkdtemp(prefix="emr-task-"))
        try:
            for uri in files:
                bucket, key = parse_s3_uri(uri)
                (work / key.rsplit("/", 1)[-1]).write_bytes(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read())
            combined = []  # type: List[bytes]
            containers = []  # type: List[Tuple[str, bytes]]
            for number, uri in enumerate(inputs):
                attempt = "attempt_{}_m_{:06d}_0".format(job[4:], number)
                mapped = self._task(options["-mapper"][0], self._read_input(uri), work, attempt, conf)
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
        env = dict(os.environ)
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


# --- driving the launcher from tests ---------------------------------------------

SAMPLE = REPO / "sample_data"
EXPECTED = SAMPLE / "_expected.tsv"
CODE = "s3://code-bucket/hashtag-count"
FAST = ["--poll", "0.1", "--log-wait", "20"]


def node_python() -> str:
    """EMR 7's ``python3`` is 3.9: use a 3.9 interpreter for the "nodes" when pyenv has one."""
    found = sorted(Path.home().glob(".pyenv/versions/3.9*/bin/python3.9"))
    return str(found[-1]) if found else sys.executable


def upload_tree(s3, root: Path, bucket: str, prefix: str) -> None:
    s3.create_bucket(Bucket=bucket)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        s3.put_object(Bucket=bucket, Key=prefix + path.relative_to(root).as_posix(), Body=path.read_bytes())


def hashtag_count(*args: str, endpoint: str, timeout: float = 90, cwd: Path = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hashtagcount", *args, "--endpoint-url", endpoint],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout, cwd=cwd,
    )


def emr_run(*args: str, endpoint: str, cwd: Path) -> subprocess.CompletedProcess:
    return hashtag_count("emr", "run", "--code-uri", CODE, *FAST, *args, endpoint=endpoint, cwd=cwd)


def clusters(emr) -> list:
    return emr.list_clusters()["Clusters"]


def broken_python(tmp_path: Path) -> Path:
    """A node ``python3`` whose standard library lost ``json``: the mapper dies at import."""
    shim = tmp_path / "node-bin" / "python3"
    shim.parent.mkdir()
    shim.write_text(
        "#!{}\n"
        "import runpy, sys\n"
        "sys.modules['json'] = None  # a broken node image\n"
        "sys.argv = sys.argv[1:]\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')\n".format(sys.executable)
    )
    shim.chmod(0o755)
    return shim


def users_cluster(emr, name: str, log_uri: Optional[str] = None, steps=()) -> str:
    """A long-running cluster the user started, not the tool: ``--cluster-id`` must leave it running."""
    request = dict(
        Name=name, ReleaseLabel="emr-7.14.0",
        Instances={"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.xlarge", "InstanceCount": 3,
                   "KeepJobFlowAliveWhenNoSteps": True},
        JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole", Steps=list(steps),
    )
    if log_uri:
        request["LogUri"] = log_uri
    return emr.run_job_flow(**request)["JobFlowId"]
