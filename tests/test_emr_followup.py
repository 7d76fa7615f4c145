"""``emr status|logs|fetch|terminate`` on runs started with ``--no-wait``."""

import time

from emr_standin import ClusterStandIn, broken_python, clusters, emr_run, hashtag_count, users_cluster


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
