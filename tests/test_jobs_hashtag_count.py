"""jobs/hashtag_count.py: the mrjob job prints exactly the pipe's ranking, on every runner we can run.

"The pipe" is ``cat | mapper.py | LC_ALL=C sort | reducer.py``, ranked by
count descending then tag, run as real processes (``tests/pipeline.py``).
The inline runner runs in-process; the local runner runs as users start it,
from another directory, and again under each supported Python in a fresh
venv that holds only mrjob (from setup.py), which proves the job ships the
``hashtagcount`` package itself.  Hadoop and EMR cannot run here: their
tests stop at what mrjob hands the cluster (steps, task commands, shipped
files, the example EMR configuration), for EMR read back over HTTP from
moto's EMR and S3, for Hadoop from mrjob's private methods (no hadoop
binary runs here to show them).
"""

import ast
import gzip
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, NamedTuple, Sequence

import pytest

from pipeline import (
    REPO, SAMPLE_DATA, input_files, joined_inputs, pyenv_python_or_skip, rank_tsv, read_input, run_pipe,
)
from tweets import json_line, retweet, tweet

JOB = REPO / "jobs" / "hashtag_count.py"
_spec = importlib.util.spec_from_file_location("hashtag_count", JOB)
hashtag_count = sys.modules["hashtag_count"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hashtag_count)
MRHashtagCount = hashtag_count.MRHashtagCount
CONF_EXAMPLE = REPO / "jobs" / "mrjob.conf.example"
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")
EMR_7_NODE_PYTHON = "3.9"  # python3 of Amazon Linux 2023, which runs the tasks on EMR 7


# ---------------------------------------------------------------- input data

@pytest.fixture
def tweets_dir(tmp_path) -> Path:
    """A small archive with every framing case: CRLF, ``}{``, invalid UTF-8, .gz, a subdirectory."""
    root = tmp_path / "tweets"
    (root / "2017" / "01").mkdir(parents=True)
    (root / "a.json").write_bytes(
        json_line(tweet("Rust", "go"), end=b"\r\n")
        + json_line(tweet("rust"), tweet("Python", "rust"))
        + json_line(retweet("Rust", "RT_only"), retweet("rt_only"))
        + b'{"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"}}}\r\n'
        + json_line(tweet("caf\u00e9", "CAF\u00c9", "\u65e5\u672c", "go"), ascii=True)
        + b'{"text":"bad \xff byte","entities":{"hashtags":[{"text":"utf8"}]}}\n'
        + b"this line is not JSON\n\n"
    )
    with gzip.open(root / "b.json.gz", "wb") as out:
        out.write(json_line(*(tweet("tag%02d" % (i % 25)) for i in range(60))))
        out.write(json_line(tweet("Go", "GO")))
    (root / "2017" / "01" / "c.json").write_bytes(
        json_line(tweet("python"), retweet("python")) + b'{"text":"cut off","entities":{"hashtags":[{"te'
    )
    for hidden in ("_expected.tsv", ".c.json.partial", "2017/_SUCCESS"):
        (root / hidden).write_bytes(json_line(tweet("hidden")))
    return root


@pytest.fixture(scope="session")
def sample_data() -> Path:
    assert SAMPLE_DATA.is_dir(), "sample_data/ is part of the repository"
    return SAMPLE_DATA


def pipe_ranking(paths: Sequence[Path], mapper_args: Sequence[str] = (), top: int = 0,
                 python: str = sys.executable) -> bytes:
    """The pipe's ranked output for ``paths``: files, or directories read as Hadoop reads them.

    Each file's last line ends at the end of the file, as in Hadoop and mrjob.
    """
    files = [f for path in paths for f in (input_files(path) if path.is_dir() else [path])]
    ranked = rank_tsv(run_pipe(joined_inputs(files), mapper_args, python=python))
    return b"".join(ranked.splitlines(keepends=True)[:top]) if top else ranked


# ------------------------------------------------------------- running the job

def run_inline(args: Sequence[str], tmp_path: Path):
    """Run the job in-process with the inline runner; return (output bytes, counters of step 1)."""
    job = MRHashtagCount(["-r", "inline", "--no-conf", "--local-tmp-dir", str(tmp_path), *args])
    with job.make_runner() as runner:
        runner.run()
        return b"".join(runner.cat_output()), runner.counters()[0]


def clean_env(tmp_path: Path) -> Dict[str, str]:
    """The caller's environment without PYTHONPATH; mrjob's temp files go to ``tmp_path``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TMPDIR"] = str(tmp_path)
    return env


def run_script(python: str, args: Sequence[str], cwd: Path, tmp_path: Path) -> bytes:
    """``python /path/to/jobs/hashtag_count.py ARGS`` started in ``cwd``; return stdout."""
    done = subprocess.run(
        [python, str(JOB), "--no-conf", *args], cwd=str(cwd), env=clean_env(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    for tmp_dir in re.findall(rb"Creating temp directory (\S+)", done.stderr):
        # mrjob's local runner hard-codes its task lock file in /tmp.
        Path("/tmp/wrapper.lock." + os.path.basename(tmp_dir.decode())).unlink(missing_ok=True)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    assert b"Traceback" not in done.stderr
    return done.stdout


# ------------------------------------------------------- same answer as the pipe

def test_inline_runner_matches_the_pipe_on_sample_data(sample_data, tmp_path):
    output, _ = run_inline(["--top", "0", str(sample_data)], tmp_path)
    assert output
    assert output == pipe_ranking([sample_data])


def test_inline_runner_matches_the_pipe_on_real_tweets(shared_tweets, tmp_path):
    output, _ = run_inline(["--top", "0", str(shared_tweets)], tmp_path)
    assert output.count(b"\n") > 1000
    assert output == pipe_ranking([shared_tweets])


@pytest.mark.parametrize("option", ["--exclude-retweets", "--case-sensitive"])
def test_counting_options_mean_what_they_mean_for_mapper_py(option, shared_tweets, tmp_path):
    archives = sorted(shared_tweets.glob("*.json.gz"))
    output, _ = run_inline(["--top", "0", option, *map(str, archives)], tmp_path)
    default, _ = run_inline(["--top", "0", *map(str, archives)], tmp_path)
    assert output != default
    assert output == pipe_ranking(archives, [option])


def test_counters_are_the_ones_mapper_py_reports_to_hadoop(shared_tweets, tmp_path):
    archives = sorted(shared_tweets.glob("*.json.gz"))
    _, counters = run_inline([str(p) for p in archives], tmp_path)
    data = b"".join(map(read_input, archives))
    mapper = subprocess.run(
        [sys.executable, str(REPO / "mapper.py")], input=data, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, env=dict(os.environ, mapreduce_task_id="task_0_m_0"), check=True,
    )
    reported = {}
    for match in re.finditer(r"^reporter:counter:([^,]+),([^,]+),(\d+)$", mapper.stderr.decode(), re.M):
        reported.setdefault(match[1], {})[match[2]] = int(match[3])
    assert reported["hashtag-count"]["lines"] == data.count(b"\n") + (not data.endswith(b"\n"))
    assert counters == reported


def test_local_runner_started_elsewhere_matches_the_pipe(sample_data, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output = run_script(sys.executable, ["-r", "local", "--top", "0", str(sample_data)], elsewhere, tmp_path)
    assert output == pipe_ranking([sample_data])


def test_runs_as_a_module_from_the_repository_root(sample_data, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "jobs.hashtag_count", "--no-conf", "-r", "inline", "--top", "5",
         os.path.relpath(sample_data, REPO)], cwd=str(REPO), env=clean_env(tmp_path), stdout=subprocess.PIPE, check=True,
    )
    assert done.stdout == pipe_ranking([sample_data], top=5)


# ------------------------------------------------------------------ input forms

def test_a_directory_with_gz_and_subdirectories_matches_the_pipe(tweets_dir, tmp_path):
    output, _ = run_inline(["--top", "0", str(tweets_dir)], tmp_path)
    assert b"rust\t4\n" in output and b"tag00\t3\n" in output and b"caf\xc3\xa9\t2\n" in output
    assert b"hidden" not in output  # Hadoop skips _* and .* files; so does the job on every runner
    assert output == pipe_ranking([tweets_dir])


def test_gz_input_counts_like_the_uncompressed_file(tweets_dir, tmp_path):
    plain = tmp_path / "b.json"
    plain.write_bytes(gzip.decompress((tweets_dir / "b.json.gz").read_bytes()))
    compressed, _ = run_inline(["--top", "0", str(tweets_dir / "b.json.gz")], tmp_path)
    uncompressed, _ = run_inline(["--top", "0", str(plain)], tmp_path)
    assert compressed.startswith(b"tag00\t3\ntag01\t3\n")
    assert compressed == uncompressed == pipe_ranking([plain])


def test_empty_input_prints_nothing(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    output, counters = run_inline([str(empty)], tmp_path)
    assert output == b""
    assert counters == {}


@pytest.mark.parametrize("option", ["--exclude-retweets", "--case-sensitive"])
def test_options_on_every_framing_case(option, tweets_dir, tmp_path):
    output, _ = run_inline(["--top", "0", option, str(tweets_dir)], tmp_path)
    assert output == pipe_ranking([tweets_dir], [option])
    if option == "--exclude-retweets":
        assert b"rt_only" not in output
    else:
        assert b"Rust\t2\n" in output and b"GO\t1\n" in output


def test_top_keeps_the_first_lines_of_the_full_ranking(tweets_dir, tmp_path):
    everything, _ = run_inline(["--top", "0", str(tweets_dir)], tmp_path)
    default, _ = run_inline([str(tweets_dir)], tmp_path)
    three, _ = run_inline(["--top", "3", str(tweets_dir)], tmp_path)
    lines = everything.splitlines(keepends=True)
    assert len(lines) > 20
    assert default == b"".join(lines[:20])
    assert three == b"go\t4\nrust\t4\npython\t3\n"  # ties in code-point order


def test_counters_say_what_the_mapper_saw(tmp_path):
    tweets = tmp_path / "t.json"
    tweets.write_bytes(
        json_line(tweet("Rust", "go"), end=b"\r\n")       # 1 record, 1 tweet, 2 hashtags
        + json_line(tweet("rust"), tweet("py"))            # 2 records, 2 tweets, 2 hashtags
        + b'{"delete":{"status":{"id":1}}}\n'              # no hashtags array: skipped unparsed
        + b"not json\n"                                    # malformed
        + b'{"text":"t","entities":{"hashtags":[{"text":"x"\n'  # malformed (cut off)
    )
    _, counters = run_inline([str(tweets)], tmp_path)
    assert counters == {"hashtag-count": {
        "lines": 5, "lines skipped by pre-check": 1, "records parsed": 3, "tweets": 3,
        "malformed pieces": 2, "hashtags": 4,
    }}


# ----------------------------------------------------------------- user errors

@pytest.mark.parametrize("args, message", [
    (["--top", "-1", "sample_data"], "argument -n/--top: must be at least 0, not -1"),
    (["no/such/tweets.json"], "input path no/such/tweets.json does not exist"),
    (["sample_data/_expected.tsv"],
     "input file sample_data/_expected.tsv would be skipped: Hadoop ignores files named _* and .*"),
])
def test_user_errors_are_one_line_and_exit_2(args, message, tmp_path):
    done = subprocess.run([sys.executable, str(JOB), *args], cwd=str(REPO), env=clean_env(tmp_path),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[-1] == "hashtag_count.py: error: " + message
    assert b"Traceback" not in done.stderr


def test_a_launch_failure_is_one_line_not_a_traceback(tmp_path):
    missing = tmp_path / "no-hadoop-here" / "hadoop"
    done = subprocess.run(
        [sys.executable, str(JOB), "--no-conf", "-r", "hadoop", "--hadoop-bin", str(missing), "sample_data"],
        cwd=str(REPO), env=clean_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[-1] == (
        "hashtag_count.py: error: FileNotFoundError: [Errno 2] No such file or directory: "
        "'{}' (add -v for the traceback)".format(missing)
    )
    assert b"Traceback" not in done.stderr


# ------------------------------------------- hadoop and emr: what can be checked here

def test_steps_count_then_rank_in_one_reducer():
    steps = [step.description(n) for n, step in enumerate(MRHashtagCount([]).steps())]
    script = {"type": "script"}
    assert steps == [
        {"type": "streaming", "mapper": script, "combiner": script, "reducer": script},
        {"type": "streaming", "reducer": script, "jobconf": {"mapreduce.job.reduces": "1"}},
    ]


TASK_OPTIONS = "--top 7 --exclude-retweets --case-sensitive"
PACKAGE_MODULES = {"__init__.py", "extract.py", "records.py", "hashtags.py", "ranking.py"}


def test_hadoop_tasks_get_the_options_and_the_package(tmp_path):
    """What the hadoop runner would hand ``hadoop jar``.

    No public alternative: mrjob 0.7.4 shows a Hadoop runner's task commands
    and shipped files only to a hadoop binary, and none runs here, so this
    calls the runner's private methods (mrjob is pinned to 0.7.4).  The EMR
    test below checks the same through EMR's API.
    """
    job = MRHashtagCount(["--local-tmp-dir", str(tmp_path), *TASK_OPTIONS.split(), "-r", "hadoop",
                          "hdfs:///user/me/tweets/"])
    with job.make_runner() as runner:
        runner._add_job_files_for_upload()
        runner._create_setup_wrapper_scripts()
        runner._create_dir_archives()
        task_options = TASK_OPTIONS.split()
        assert runner._substep_args(0, "mapper")[-7:] == ["hashtag_count.py", "--step-num=0", "--mapper", *task_options]
        assert runner._substep_args(0, "combiner")[-4:] == task_options
        assert runner._substep_args(1, "reducer")[-7:] == ["hashtag_count.py", "--step-num=1", "--reducer", *task_options]
        archives = runner._working_dir_mgr.name_to_path("archive")
        assert set(archives) == {"hashtagcount"}
        files = runner._working_dir_mgr.name_to_path("file")
        assert Path(files["hashtag_count.py"]) == JOB and "mrjob.zip" in files
        with tarfile.open(archives["hashtagcount"]) as tar:
            assert PACKAGE_MODULES <= set(tar.getnames())


class Launched(NamedTuple):
    """What ``-r emr`` asked EMR for, as EMR's and S3's APIs show it."""

    cluster: dict  # describe_cluster's "Cluster"
    instance_groups: List[dict]
    bootstrap_actions: List[dict]
    steps: List[Dict[str, List[str]]]  # each step's hadoop-streaming options, oldest step first
    shipped: Dict[str, bytes]  # what the first step's -files and -archives download, by name in the task's directory


def streaming_options(args: Sequence[str]) -> Dict[str, List[str]]:
    """A ``command-runner.jar hadoop-streaming -flag value ...`` step's values by flag, in order."""
    assert args[0] == "hadoop-streaming", args
    options = {}  # type: Dict[str, List[str]]
    for flag, value in zip(args[1::2], args[2::2]):
        options.setdefault(flag, []).append(value)
    return options


def launch_on_emr(s3, emr, endpoint: str, tmp_path: Path, *job_args: str) -> Launched:
    """Run ``hashtag_count.py -r emr --conf-path jobs/mrjob.conf.example`` against moto and read what it launched.

    moto runs no step, so the job waits on its first one while this reads
    the cluster, its steps and the objects they ship over HTTP; then Ctrl-C
    ends the job, and mrjob terminates its cluster.
    """
    s3.create_bucket(Bucket="example-bucket")
    s3.put_object(Bucket="example-bucket", Key="tweets/a.json", Body=json_line(tweet("a")))
    endpoints = [word for api in ("s3", "emr", "iam", "ec2") for word in ("--{}-endpoint".format(api), endpoint)]
    command = [
        sys.executable, str(JOB), "-r", "emr", "--conf-path", str(CONF_EXAMPLE), *endpoints,
        "--cloud-tmp-dir", "s3://example-bucket/tmp/", "--check-cluster-every", "0.1",
        # moto 5 gives a cluster that asked for no application a nameless one (EMR's
        # default is Hadoop), and mrjob 0.7.4 reads the name: ask for Hadoop by name.
        "--application", "Hadoop",
        # Both steps at once: by default mrjob adds step 2 when step 1 is done, which is never here.
        "--add-steps-in-batch", *job_args, "s3://example-bucket/tweets/",
    ]
    log = tmp_path / "job.log"
    earlier = {cluster["Id"] for cluster in emr.list_clusters()["Clusters"]}
    with log.open("wb") as stderr:
        job = subprocess.Popen(command, cwd=str(REPO), env=clean_env(tmp_path), stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while True:
            clusters = [c for c in emr.list_clusters()["Clusters"] if c["Id"] not in earlier]
            steps = emr.list_steps(ClusterId=clusters[0]["Id"])["Steps"][::-1] if clusters else []
            if len(steps) == 2:
                break
            assert job.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "no cluster with two steps after 60 s"
            time.sleep(0.1)
        cluster_id = clusters[0]["Id"]
        options = [streaming_options(step["Config"]["Args"]) for step in steps]
        shipped = {}
        for uri in ",".join(options[0].get("-files", []) + options[0].get("-archives", [])).split(","):
            location, _, name = uri.partition("#")
            bucket, _, key = location[len("s3://"):].partition("/")
            shipped[name] = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        launched = Launched(
            emr.describe_cluster(ClusterId=cluster_id)["Cluster"],
            emr.list_instance_groups(ClusterId=cluster_id)["InstanceGroups"],
            emr.list_bootstrap_actions(ClusterId=cluster_id)["BootstrapActions"],
            options, shipped,
        )
        job.send_signal(signal.SIGINT)
        job.wait(timeout=60)
    finally:
        if job.poll() is None:
            job.kill()
            job.wait()
    return launched


def test_emr_tasks_get_the_options_and_the_package(s3, emr, moto_server, tmp_path):
    counting, ranking = launch_on_emr(s3, emr, moto_server, tmp_path, *TASK_OPTIONS.split()).steps
    assert counting["-mapper"] == ["/bin/sh -x setup-wrapper.sh python3 hashtag_count.py --step-num=0 --mapper "
                                   + TASK_OPTIONS]
    assert counting["-combiner"][0].endswith(" hashtag_count.py --step-num=0 --combiner " + TASK_OPTIONS)
    assert counting["-reducer"][0].endswith(" hashtag_count.py --step-num=0 --reducer " + TASK_OPTIONS)
    assert ranking["-reducer"][0].endswith(" hashtag_count.py --step-num=1 --reducer " + TASK_OPTIONS)
    assert ranking["-D"] == ["mapreduce.job.reduces=1"]  # one reducer: a global ranking


def test_emr_tasks_get_the_job_and_the_hashtagcount_package(s3, emr, moto_server, tmp_path):
    shipped = launch_on_emr(s3, emr, moto_server, tmp_path).shipped
    assert set(shipped) == {"hashtag_count.py", "mrjob.zip", "setup-wrapper.sh", "hashtagcount"}
    assert shipped["hashtag_count.py"] == JOB.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(shipped["hashtagcount"])) as tar:
        assert PACKAGE_MODULES <= set(tar.getnames())


def test_example_emr_conf_is_valid_mrjob_0_7_4_config_for_emr_7(s3, emr, moto_server, tmp_path):
    from mrjob.conf import load_opts_from_mrjob_conf
    from mrjob.emr import EMRJobRunner

    [(_, opts)] = load_opts_from_mrjob_conf("emr", str(CONF_EXAMPLE))
    assert set(opts) <= EMRJobRunner.OPT_NAMES
    assert re.fullmatch(r"emr-7\.\d+\.\d+", opts["release_label"])
    assert not {"aws_access_key_id", "aws_secret_access_key", "aws_session_token"} & set(opts)
    launched = launch_on_emr(s3, emr, moto_server, tmp_path)
    cluster = launched.cluster
    assert cluster["ClusterArn"].split(":")[3] == opts["region"]
    assert cluster["ReleaseLabel"] == opts["release_label"]
    assert {"Key": "project", "Value": opts["tags"]["project"]} in cluster["Tags"]
    assert {(g["InstanceGroupType"], g["InstanceType"], g["RequestedInstanceCount"]) for g in launched.instance_groups} == {
        ("MASTER", opts["instance_type"], 1), ("CORE", opts["instance_type"], opts["num_core_instances"])}
    assert cluster["ServiceRole"] == opts["iam_service_role"]
    assert cluster["Ec2InstanceAttributes"]["IamInstanceProfile"] == opts["iam_instance_profile"]
    assert launched.steps[0]["-mapper"][0].split()[3:5] == [opts["python_bin"], "hashtag_count.py"]
    assert cluster["AutoTerminate"]  # a one-off run's cluster ends with its last step
    pooled = launch_on_emr(s3, emr, moto_server, tmp_path, "--pool-clusters")
    assert not pooled.cluster["AutoTerminate"]  # a kept cluster ends itself after max_mins_idle
    assert [str(opts["max_mins_idle"] * 60)] in [action["Args"] for action in pooled.bootstrap_actions]


# ------------------------------------------------- Python 3.11, 3.12, 3.13 in bare venvs

def mrjob_requirements() -> List[str]:
    """setup.py's MRJOB list: mrjob and the markers that keep it alive on newer Pythons."""
    for node in ast.parse((REPO / "setup.py").read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "MRJOB" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no MRJOB list")


def bare_venv(request, tmp_path_factory, python: Path) -> Path:
    """A venv with only setup.py's mrjob requirements, cached across runs in pytest's cache."""
    cache = request.config.cache
    root = Path(cache.mkdir("mrjob-venvs")) if cache else tmp_path_factory.mktemp("mrjob-venvs")
    venv = root / python.parents[1].name
    stamp = venv / "installed-requirements.txt"
    wanted = "\n".join(mrjob_requirements()) + "\n"
    if not stamp.exists() or stamp.read_text() != wanted:
        subprocess.run([str(python), "-m", "venv", "--clear", str(venv)], check=True)
        pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                              "--disable-pip-version-check", *mrjob_requirements()],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert pip.returncode == 0, pip.stderr.decode(errors="replace")[-3000:]
        stamp.write_text(wanted)
    return venv / "bin" / "python"


@pytest.mark.parametrize("minor", SUPPORTED_PYTHONS + (EMR_7_NODE_PYTHON,))
def test_inline_and_local_runners_under_each_python(minor, sample_data, request, tmp_path_factory, tmp_path):
    python = pyenv_python_or_skip(minor)
    venv_python = str(bare_venv(request, tmp_path_factory, python))
    not_installed = subprocess.run([venv_python, "-c", "import hashtagcount"], cwd=str(tmp_path),
                                   env=clean_env(tmp_path), stderr=subprocess.DEVNULL)
    assert not_installed.returncode != 0, "the project leaked into the bare venv"
    expected = pipe_ranking([sample_data], python=venv_python)
    for runner in ("inline", "local"):
        output = run_script(venv_python, ["-r", runner, "--top", "0", str(sample_data)], tmp_path, tmp_path)
        assert output == expected, runner
    assert_yarn_style_mapper_task_counts_like_mapper_py(venv_python, sample_data, tmp_path)


def assert_yarn_style_mapper_task_counts_like_mapper_py(python: str, sample_data: Path, tmp_path: Path) -> None:
    """Start a mapper task as YARN does: every shipped file is a symlink into its own cache dir.

    Python puts the script's *resolved* directory on sys.path, where the
    package is not; the job must find the ``hashtagcount`` beside its link.
    """
    cache = tmp_path / "filecache"
    (cache / "10").mkdir(parents=True)
    shutil.copy(JOB, cache / "10" / "hashtag_count.py")
    shutil.copytree(REPO / "hashtagcount", cache / "11" / "hashtagcount.tar.gz",
                    ignore=shutil.ignore_patterns("__pycache__"))
    work = tmp_path / "container" / "work"
    work.mkdir(parents=True)
    (work / "hashtag_count.py").symlink_to(cache / "10" / "hashtag_count.py")
    (work / "hashtagcount").symlink_to(cache / "11" / "hashtagcount.tar.gz", target_is_directory=True)
    data = b"".join(map(read_input, input_files(sample_data)))
    task = subprocess.run(
        [python, "hashtag_count.py", "--step-num=0", "--mapper"], input=data, cwd=str(work),
        env=clean_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert task.returncode == 0, task.stderr.decode(errors="replace")[-3000:]
    mapper = subprocess.run([python, str(REPO / "mapper.py")], input=data, stdout=subprocess.PIPE, check=True)
    job_keys = Counter(json.loads(out.split(b"\t")[0]) for out in task.stdout.splitlines())
    mapper_keys = Counter(out.split(b"\t")[0].decode() for out in mapper.stdout.splitlines())
    assert job_keys and job_keys == mapper_keys
