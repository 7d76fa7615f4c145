"""``emr status|logs|fetch|terminate`` on runs started with ``--no-wait``."""

import time

from command import hashtag_count
from emr_standin import ClusterStandIn
from emr_user import broken_python, clusters, emr_run, users_cluster


def wait_until_run(cluster: ClusterStandIn, count: int = 1) -> None:
    deadline = time.monotonic() + 30
    while len([r for r in cluster.executed if "state" in r]) < count:
        assert time.monotonic() < deadline, "the stand-in never ran the step"
        time.sleep(0.05)


def test_status_and_logs_of_a_failed_step(cloud, emr, moto_server, tmp_path):
    with ClusterStandIn(moto_server, node_python=str(broken_python(tmp_path)), log_delay=0.5) as cluster:
        started = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--no-wait", endpoint=moto_server, cwd=tmp_path)
        assert started.returncode == 0, started.stderr
        wait_until_run(cluster)
    (ran,) = cluster.executed
    status = hashtag_count("emr", "status", ran["cluster"], endpoint=moto_server)
    assert status.returncode == 1
    assert "step {}: FAILED".format(ran["step"]) in status.stdout
    assert "cluster {}: TERMINATED_WITH_ERRORS".format(ran["cluster"]) in status.stdout
    logs = hashtag_count("emr", "logs", ran["cluster"], ran["step"], "--log-wait", "10", "--poll", "0.1",
                         endpoint=moto_server)
    assert logs.returncode == 1
    assert logs.stderr.rstrip().endswith("ModuleNotFoundError: import of json halted; None in sys.modules")
    fetch = hashtag_count("emr", "fetch", ran["cluster"], endpoint=moto_server, cwd=tmp_path)
    assert fetch.returncode == 2
    assert fetch.stderr == "hashtag-count: error: step {} is FAILED, not COMPLETED: there are no results to fetch\n".format(
        ran["step"])


def test_terminate_ends_a_cluster(cloud, emr, moto_server):
    cluster_id = users_cluster(emr, "left over")
    done = hashtag_count("emr", "terminate", cluster_id, endpoint=moto_server)
    assert done.returncode == 0, done.stderr
    assert "terminating cluster {}".format(cluster_id) in done.stderr
    assert clusters(emr)[0]["Status"]["State"] in ("TERMINATING", "TERMINATED")


def test_a_cluster_that_has_ended_cannot_take_the_step(cloud, emr, moto_server, tmp_path):
    cluster_id = users_cluster(emr, "gone")
    emr.terminate_job_flows(JobFlowIds=[cluster_id])
    done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--cluster-id", cluster_id,
                   endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 2
    assert "--cluster-id {} is TERMINATED; steps can be added only".format(cluster_id) in done.stderr
    assert emr.list_steps(ClusterId=cluster_id)["Steps"] == []


def test_logs_of_a_step_that_has_not_failed_say_its_state_at_once(cloud, emr, moto_server, tmp_path):
    with ClusterStandIn(moto_server, hold=True):
        started = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--no-wait", endpoint=moto_server, cwd=tmp_path)
        assert started.returncode == 0, started.stderr
        cluster_id, step_id = started.stderr.split("  hashtag-count emr logs ")[1].split()[:2]
        deadline = time.monotonic() + 30
        while emr.describe_step(ClusterId=cluster_id, StepId=step_id)["Step"]["Status"]["State"] != "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        begun = time.monotonic()
        logs = hashtag_count("emr", "logs", cluster_id, "--log-wait", "600", endpoint=moto_server)
        took = time.monotonic() - begun
        emr.terminate_job_flows(JobFlowIds=[cluster_id])
    assert logs.returncode == 0, logs.stderr
    assert logs.stderr.startswith("step {} is RUNNING: no failure to explain (yet)".format(step_id))
    assert "waiting" not in logs.stderr and took < 60  # far from the 600 s log wait


def test_fetch_validates_its_options_and_says_where_emr_run_saved(cloud, emr, moto_server, tmp_path):
    with ClusterStandIn(moto_server) as cluster:
        done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--top", "2", endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (saved,) = tmp_path.glob("hashtag-ranking-*.tsv")
    (ran,) = cluster.executed
    fetched = hashtag_count("emr", "fetch", ran["cluster"], "--format", "tsv", "--top", "2",
                            endpoint=moto_server, cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout == done.stdout
    assert "'emr run' saved this full ranking here as {}".format(saved.name) in fetched.stderr
    for args, message in [(["--top", "-3"], "must be at least 0, not -3"),
                          (["--save", "nodir/y.tsv"], "--save nodir/y.tsv: there is no folder nodir")]:
        refused = hashtag_count("emr", "fetch", ran["cluster"], *args, endpoint=moto_server, cwd=tmp_path)
        assert refused.returncode == 2
        (line,) = refused.stderr.splitlines()
        assert message in line


def test_an_unknown_step_is_one_line_naming_cluster_and_step(cloud, emr, moto_server):
    cluster_id = users_cluster(emr, "mine")
    for verb in ("status", "logs", "fetch"):
        done = hashtag_count("emr", verb, cluster_id, "s-NOSUCH", endpoint=moto_server)
        assert done.returncode == 2, done.stderr
        (line,) = done.stderr.splitlines()
        assert line == ("hashtag-count: error: describe step s-NOSUCH of cluster {}: EMR's answer has no "
                        "['Step']; check the id (and --region)".format(cluster_id))


def test_fetch_says_it_knows_only_the_default_name_when_emr_run_saved_elsewhere(cloud, emr, moto_server, tmp_path):
    with ClusterStandIn(moto_server) as cluster:
        done = emr_run("--input", "s3://tweets/firehose/2017/02/*/*/*", "--save", "out.tsv",
                       endpoint=moto_server, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (ran,) = cluster.executed
    fetched = hashtag_count("emr", "fetch", ran["cluster"], endpoint=moto_server, cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    default = "hashtag-ranking-{}.tsv".format(ran["args"][-1].rsplit("/", 1)[-1])
    (note,) = [line for line in fetched.stderr.splitlines() if "not saved" in line]
    assert note == ("collect: not saved (give --save FILE); 'emr run' saved it as {} in the folder it ran in, "
                    "unless it was given --save FILE: EMR keeps no record of that, so this command knows only "
                    "the default name".format(default))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tsv"]
