"""``hashtag-count emr run`` end to end: real processes, real HTTP, moto plus a cluster stand-in.

The command runs as a subprocess with ``--endpoint-url`` pointing at
moto's server; :class:`emr_standin.ClusterStandIn` plays the cluster,
running each submitted streaming step from its own arguments.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from command import hashtag_count
from emr_standin import ClusterStandIn
from emr_user import (
    CODE, EXPECTED, FAST, SAMPLE, broken_python, clusters, emr_run, node_python, upload_tree, users_cluster,
)
from pipeline import REPO, input_files, rank_tsv, ranked_pipe_output, read_input, run_pipe

def test_make_emr_run_counts_sample_data_like_the_pipe(cloud, emr, moto_server, tmp_path):
    saved = tmp_path / "ranking.tsv"
    with ClusterStandIn(moto_server, node_python=node_python()) as cluster:
        done = subprocess.run(
            ["make", "-s", "-o", ".venv/.installed", "emr-run",
             "INPUT=s3://tweets/firehose", "FROM=2017-01-31", "TO=2017-02-01", "CODE=" + CODE,
             "ARGS=--endpoint-url {} --poll 0.1 --top 0 --format tsv --save {}".format(moto_server, saved)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert cluster.errors == []
    expected = EXPECTED.read_text(encoding="utf-8")
    pipe = ranked_pipe_output(p for p in input_files(SAMPLE)).decode("utf-8")
    assert done.stdout == expected == pipe
    assert saved.read_text(encoding="utf-8") == expected
    # The step the stand-in ran was the one the launcher built: both days, one -input each.
    (ran,) = cluster.executed
    inputs = [ran["args"][i + 1] for i, a in enumerate(ran["args"]) if a == "-input"]
    assert inputs == ["s3://tweets/firehose/2017/01/31/*/*", "s3://tweets/firehose/2017/02/01/*/*"]
    # The scripts travel alone: -files names the two, and they ran from a task folder holding only them.
    files = ran["args"][ran["args"].index("-files") + 1].split(",")
    assert [uri.rsplit("/", 1)[1] for uri in files] == ["mapper.py", "reducer.py"]
    assert ran["task_files"] == ["mapper.py", "reducer.py"]
    assert "input: 6 object(s)" in done.stderr.replace(",", "")
    assert "cluster {}: STARTING".format(ran["cluster"]) in done.stderr
    assert "step {}: COMPLETED".format(ran["step"]) in done.stderr
    (summary,) = clusters(emr)
    assert summary["Status"]["State"] == "TERMINATED"  # a transient cluster ends after its step


def test_rerun_reuses_uploaded_code_and_writes_a_new_output(cloud, moto_server, tmp_path):
    with ClusterStandIn(moto_server) as cluster:
        first = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", endpoint=moto_server, cwd=tmp_path)
        second = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", endpoint=moto_server, cwd=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
    assert "uploaded" in first.stderr and "uploaded" not in second.stderr
    assert second.stderr.count("is up to date") == 2
    outputs = [run["args"][-1] for run in cluster.executed]
    assert len(set(outputs)) == 2
    assert len(list(tmp_path.glob("hashtag-ranking-*.tsv"))) == 2  # neither run overwrote the other


def test_cluster_id_adds_the_step_and_leaves_the_cluster_running(cloud, emr, moto_server, tmp_path):
    own = users_cluster(emr, "my long-running cluster", log_uri="s3://code-bucket/my-logs/")
    with ClusterStandIn(moto_server) as cluster:
        done = emr_run("--input", "s3://tweets/firehose", "--from", "2017-01-31", "--to", "2017-02-01",
                       "--cluster-id", own, "--format", "tsv", "--top", "3", endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "".join(EXPECTED.read_text(encoding="utf-8").splitlines(True)[:3])
    assert [run["cluster"] for run in cluster.executed] == [own]
    assert [c["Id"] for c in clusters(emr)] == [own]  # no cluster was created
    assert emr.describe_cluster(ClusterId=own)["Cluster"]["Status"]["State"] == "WAITING"
    step = emr.describe_step(ClusterId=own, StepId=cluster.executed[0]["step"])["Step"]
    assert step["ActionOnFailure"] == "CONTINUE"  # a failure must not end the user's cluster


def test_cluster_shape_options_are_refused_with_cluster_id(moto_server, aws_env, tmp_path):
    done = emr_run("--input", "s3://tweets/x/*", "--cluster-id", "j-1", "--instance-count", "5",
                   endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 2
    assert "--instance-count" in done.stderr and "--cluster-id" in done.stderr
    assert "Traceback" not in done.stderr


def test_existing_output_is_refused_and_left_alone(cloud, emr, moto_server, tmp_path):
    cloud.put_object(Bucket="code-bucket", Key="results/old/part-00000", Body=b"keep\t1\n")
    done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--output", "s3://code-bucket/results/old/",
                   endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(
        "hashtag-count: error: --output s3://code-bucket/results/old already exists")
    assert cloud.get_object(Bucket="code-bucket", Key="results/old/part-00000")["Body"].read() == b"keep\t1\n"
    assert clusters(emr) == []


def test_a_pattern_matching_nothing_is_refused_before_any_cluster(cloud, emr, moto_server, tmp_path):
    done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--input", "s3://tweets/firehose/2016/*/*/*/*",
                   endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert "s3://tweets/firehose/2016/*/*/*/*" in last and "matches no object" in last
    assert "s3://tweets/firehose/2017/02/*/*/*  3 object(s)" in done.stderr
    assert clusters(emr) == []


def test_a_bare_prefix_above_folders_is_refused_before_any_upload(cloud, emr, moto_server, tmp_path):
    done = emr_run("--input", "s3://tweets/firehose", endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("hashtag-count: error: s3://tweets/firehose: s3://tweets/firehose/2017 is a folder")
    assert "Hadoop reads only the objects directly in a folder and fails the job on a sub-folder" in line
    assert "e.g. s3://tweets/firehose/*/*/*/*/*, or --from/--to" in line
    assert "Contents" not in cloud.list_objects_v2(Bucket="code-bucket")  # nothing uploaded
    assert clusters(emr) == []


def test_a_prefix_holding_objects_directly_is_counted_and_hidden_names_are_skipped(cloud, moto_server, tmp_path):
    hour = SAMPLE / "2017" / "01" / "31" / "23"
    for path in sorted(hour.iterdir()):
        cloud.put_object(Bucket="tweets", Key="flat/" + path.name, Body=path.read_bytes())
    # Bookkeeping Hadoop's hidden-file filter drops: not counted, and a hidden folder is no "Not a file".
    for key in ("flat/_SUCCESS", "flat/.part.crc", "flat/_logs/history/job.jhist"):
        cloud.put_object(Bucket="tweets", Key=key, Body=b"#not #tweets\n")
    with ClusterStandIn(moto_server) as cluster:
        done = emr_run("--input", "s3://tweets/flat", "--top", "0", "--format", "tsv",
                       endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert cluster.errors == []
    assert "input: s3://tweets/flat  2 object(s)" in done.stderr
    assert done.stdout == ranked_pipe_output(input_files(hour)).decode("utf-8")


def test_a_date_range_without_data_is_refused(cloud, emr, moto_server, tmp_path):
    done = emr_run("--input", "s3://tweets/firehose", "--from", "2017-02-02", "--to", "2017-02-03",
                   endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 2
    assert "s3://tweets/firehose/2017/02/02/*/*" in done.stderr.splitlines()[-1]
    assert clusters(emr) == []


def test_empty_hours_of_a_range_are_left_out_and_named_in_one_note(cloud, moto_server, tmp_path):
    with ClusterStandIn(moto_server) as cluster:
        done = emr_run("--input", "s3://tweets/firehose", "--from", "2017-01-31T20", "--to", "2017-01-31T23",
                       "--top", "0", "--format", "tsv", endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (note,) = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert note == ("note: 2 date pattern(s) matched nothing and are left out: "
                    "s3://tweets/firehose/2017/01/31/20/*, s3://tweets/firehose/2017/01/31/21/*")
    (ran,) = cluster.executed
    assert [ran["args"][i + 1] for i, a in enumerate(ran["args"]) if a == "-input"] == [
        "s3://tweets/firehose/2017/01/31/22/*", "s3://tweets/firehose/2017/01/31/23/*"]
    assert done.stdout == ranked_pipe_output(input_files(SAMPLE / "2017" / "01" / "31")).decode("utf-8")


def _without_region(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE")}
    env.update(AWS_CONFIG_FILE=str(tmp_path / "no-config"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-creds"),
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_EC2_METADATA_DISABLED="true")
    return env


@pytest.mark.parametrize("command", [
    ["run", "--input", "s3://tweets/firehose/2017/02/*/*/*", "--code-uri", CODE],
    ["status", "j-1ABCDEFGHIJKL"], ["logs", "j-1ABCDEFGHIJKL"], ["fetch", "j-1ABCDEFGHIJKL"],
    ["terminate", "j-1ABCDEFGHIJKL"],
])
def test_no_region_is_one_line_before_any_request(command, tmp_path):
    done = hashtag_count("emr", *command, endpoint="http://127.0.0.1:9", env=_without_region(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("hashtag-count: error: no AWS region configured: pass --region")
    assert "AWS_DEFAULT_REGION" in line


def test_the_region_of_the_profile_is_used(cloud, moto_server, tmp_path):
    env = _without_region(tmp_path)
    (tmp_path / "no-config").write_text("[profile tweets]\nregion = us-east-1\n")
    (tmp_path / "no-creds").write_text("[tweets]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    with ClusterStandIn(moto_server):
        done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--profile", "tweets",
                       endpoint=moto_server, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("save, problem", [
    ("nodir/x.tsv", "there is no folder nodir"),
    ("exists.tsv", "the file exists and would not be overwritten"),
    ("/proc/x.tsv", "cannot create a file in the folder /proc"),  # its mode bits say writable to root
])
def test_a_save_target_that_cannot_work_is_refused_before_any_cluster(save, problem, cloud, emr, moto_server, tmp_path):
    (tmp_path / "exists.tsv").write_text("mine\n")
    done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--save", save, endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line == "hashtag-count: error: --save {}: {}".format(save, problem) + line.split(problem, 1)[1]
    assert clusters(emr) == []
    assert (tmp_path / "exists.tsv").read_text() == "mine\n"


def test_many_small_objects_share_few_map_tasks_and_the_mapper_reads_clean_lines(s3, moto_server, tmp_path):
    # 240 small Firehose-like objects: every line of sample_data dealt round-robin.
    lines = b"".join(read_input(p) for p in input_files(SAMPLE)).splitlines(True)
    s3.create_bucket(Bucket="tweets")
    s3.create_bucket(Bucket="code-bucket")
    for number in range(240):
        key = "firehose/2017/02/01/{:02d}/tweets-{:03d}".format(number % 24, number)
        s3.put_object(Bucket="tweets", Key=key, Body=b"".join(lines[number::240]))
    with ClusterStandIn(moto_server) as cluster:
        done = emr_run("--input", "s3://tweets/firehose", "--from", "2017-02-01", "--to", "2017-02-01",
                       "--split-size", "64K", "--top", "0", "--format", "tsv", endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (ran,) = cluster.executed
    total = sum(len(line) for line in lines)
    assert ran["map_tasks"] == -(-total // (64 * 1024)) < 10
    assert done.stdout == rank_tsv(run_pipe(b"".join(lines))).decode("utf-8")  # no "0\t{..." lines


def test_unusual_line_separators_in_tags_come_back_byte_for_byte(s3, moto_server, tmp_path):
    tags = ["e\u2028x", "n\u0085l", "fs\x1cgs\x1d", "plain"]
    tweets = "".join(
        json.dumps({"id": n, "text": "#" + tag, "entities": {"hashtags": [{"text": tag, "indices": [0, 1]}]}}) + "\n"
        for n, tag in enumerate(tags * 2)
    ).encode("utf-8")
    s3.create_bucket(Bucket="tweets")
    s3.create_bucket(Bucket="code-bucket")
    s3.put_object(Bucket="tweets", Key="odd/tweets-1", Body=tweets)
    with ClusterStandIn(moto_server):
        done = hashtag_count("emr", "run", "--code-uri", CODE, *FAST, "--input", "s3://tweets/odd/*",
                             "--top", "0", "--format", "tsv", endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pipe = rank_tsv(run_pipe(tweets))
    assert "e\u2028x\t2\n".encode("utf-8") in pipe and "malformed" not in done.stderr
    assert done.stdout.encode("utf-8") == pipe


@pytest.mark.parametrize("uri, rule", [
    ("s3://Tweets/x/*", "only lowercase letters, digits, hyphens and dots"),
    ("s3://tw/x/*", "3 to 63 characters"),
    ("s3://tweets..archive/x/*", "two adjacent dots"),
    ("s3://192.168.10.12/x/*", "IP address"),
    ("s3://tweets-/x/*", "start and end with a letter or digit"),
])
def test_invalid_bucket_names_are_refused_naming_the_rule(uri, rule, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "hashtagcount", "emr", "run", "--input", uri, "--code-uri", CODE, "--dry-run"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert uri in line and rule in line


def test_a_dotted_bucket_name_works_end_to_end(s3, emr, moto_server, tmp_path):
    upload_tree(s3, SAMPLE, "tweets.example.org", "firehose/")
    s3.create_bucket(Bucket="code.example.org")
    with ClusterStandIn(moto_server):
        done = hashtag_count(
            "emr", "run", "--input", "s3://tweets.example.org/firehose", "--from", "2017-01-31", "--to", "2017-02-01",
            "--code-uri", "s3://code.example.org/hc", "--format", "tsv", "--top", "0", *FAST,
            endpoint=moto_server, cwd=tmp_path,
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED.read_text(encoding="utf-8")


def test_code_inside_the_input_is_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "hashtagcount", "emr", "run", "--input", "s3://tweets/firehose",
         "--from", "2017-02-01", "--to", "2017-02-02", "--code-uri", "s3://tweets/firehose/code", "--dry-run"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "--code-uri s3://tweets/firehose/code is inside the input location s3://tweets/firehose" in done.stderr


def test_a_crashing_mapper_is_diagnosed_from_its_task_log(cloud, emr, moto_server, tmp_path):
    with ClusterStandIn(moto_server, node_python=str(broken_python(tmp_path)), log_delay=1.0) as cluster:
        done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    err = done.stderr
    (ran,) = cluster.executed
    assert "step {}: FAILED".format(ran["step"]) in err
    assert "diagnose: waiting up to 20 s" in err
    cause = err[err.index("probable cause"):]
    assert cause.startswith("probable cause (traceback, from s3://code-bucket/hashtag-count/logs/{}/containers/"
                            .format(ran["cluster"]))
    assert "Traceback (most recent call last):" in cause
    assert 'mapper.py", line' in cause
    assert cause.rstrip().endswith("ModuleNotFoundError: import of json halted; None in sys.modules")
    assert "Streaming Command Failed!" not in err  # the traceback, not a wall of log
    state = emr.describe_cluster(ClusterId=ran["cluster"])["Cluster"]["Status"]["State"]
    assert state in ("TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS")
    assert not list(tmp_path.glob("hashtag-ranking-*"))


def _wait_for(process: subprocess.Popen, *parts: str, timeout: float = 30) -> str:
    """Read the process's stderr until a line holding every one of ``parts`` appears; return what was read."""
    seen = ""
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, seen
        line = process.stderr.readline()
        assert line, seen
        seen += line
        if all(part in line for part in parts):
            return seen


def _as_at_a_terminal() -> None:
    """Ctrl-C reaches a command run at a terminal, even when this suite runs as a background job
    (a shell without job control starts those with SIGINT ignored, and children inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args, endpoint: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hashtagcount", "emr", "run", "--code-uri", CODE, *FAST, *args,
         "--endpoint-url", endpoint],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, preexec_fn=_as_at_a_terminal,
    )


def _interrupt_when_running(args, endpoint: str, cwd: Path, signum: int = signal.SIGINT):
    """Start ``emr run``, send ``signum`` (Ctrl-C) once its step runs; return (exit code, what it printed after)."""
    with ClusterStandIn(endpoint, hold=True):
        process = _start(["--input", "s3://tweets/firehose/2017/02/*/*/*", *args], endpoint, cwd)
        try:
            _wait_for(process, "step s-", ": RUNNING")
            process.send_signal(signum)
            _, rest = process.communicate(timeout=30)
        finally:
            process.kill()
    return process.returncode, rest


@pytest.mark.parametrize("signum, code, said", [
    (signal.SIGINT, 130, "interrupted (Ctrl-C)"),
    (signal.SIGTERM, 143, "stopped by SIGTERM"),  # a cancelled CI job, timeout
    (signal.SIGHUP, 129, "stopped by SIGHUP"),  # a closed terminal, a dropped ssh session
])
def test_every_stop_terminates_the_cluster_the_run_created(signum, code, said, cloud, emr, moto_server, tmp_path):
    returncode, rest = _interrupt_when_running([], moto_server, tmp_path, signum)
    assert returncode == code
    (summary,) = clusters(emr)
    lines = rest.splitlines()
    assert "{}: this run created cluster {}, so it is terminated now".format(said, summary["Id"]) in lines, rest
    assert summary["Status"]["State"] in ("TERMINATING", "TERMINATED")
    assert "cluster {}: TERMINAT".format(summary["Id"]) in rest
    assert "Traceback" not in rest


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_leaves_a_given_cluster_running(signum, code, cloud, emr, moto_server, tmp_path):
    own = users_cluster(emr, "mine")
    returncode, rest = _interrupt_when_running(["--cluster-id", own], moto_server, tmp_path, signum)
    assert returncode == code
    assert "keeps running" in rest
    assert emr.describe_cluster(ClusterId=own)["Cluster"]["Status"]["State"] == "RUNNING"


def test_no_wait_then_status_and_fetch(cloud, emr, moto_server, tmp_path):
    with ClusterStandIn(moto_server) as cluster:
        started = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--no-wait",
                          endpoint=moto_server, cwd=tmp_path)
        assert started.returncode == 0, started.stderr
        follow = [line.strip() for line in started.stderr.splitlines() if line.startswith("  hashtag-count emr ")]
        assert [line.split()[2] for line in follow] == ["status", "logs", "fetch"]
        deadline = time.monotonic() + 30
        while not cluster.executed or "state" not in cluster.executed[0]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    cluster_id, step_id = follow[0].split()[3:5]
    status = hashtag_count("emr", "status", cluster_id, endpoint=moto_server)
    assert status.returncode == 0, status.stderr
    assert "step {}: COMPLETED".format(step_id) in status.stdout
    fetched = hashtag_count("emr", "fetch", cluster_id, step_id, "--format", "json", "--top", "2",
                            endpoint=moto_server, cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    top = [(row["hashtag"], row["count"]) for row in json.loads(fetched.stdout)]
    pipe = ranked_pipe_output(input_files(SAMPLE / "2017" / "02")).decode("utf-8")
    assert top == [(tag, int(count)) for tag, count in (line.split("\t") for line in pipe.splitlines()[:2])]
    assert list(tmp_path.glob("hashtag-ranking-*.tsv")) == []  # fetch saves only when asked
    saved = hashtag_count("emr", "fetch", cluster_id, "--save", "mine.tsv", endpoint=moto_server, cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    assert (tmp_path / "mine.tsv").read_text(encoding="utf-8") == pipe
    again = hashtag_count("emr", "fetch", cluster_id, "--save", "mine.tsv", endpoint=moto_server, cwd=tmp_path)
    assert again.returncode == 2 and "would not be overwritten" in again.stderr
