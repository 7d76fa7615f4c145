"""Watching a step on moto's EMR (run by the stand-in) and terminating a cluster."""

import io

from emr_standin import ClusterStandIn
from emr_user import users_cluster
from hashtagcount.emr.watch import Watcher, elapsed_label, terminate


def test_elapsed_label():
    assert elapsed_label(0) == "[ 0:00:00]"
    assert elapsed_label(3909.9) == "[ 1:05:09]"


def test_state_changes_are_printed_once_each_until_the_step_ends(s3, moto_server):
    from hashtagcount.aws import session_client

    emr = session_client("emr", endpoint_url=moto_server)
    bad_step = {"Name": "not streaming", "ActionOnFailure": "CONTINUE",
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "job.py"]}}
    cluster_id = users_cluster(emr, "watched")
    step_id = emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[bad_step])["StepIds"][0]
    out = io.StringIO()
    with ClusterStandIn(moto_server):
        outcome = Watcher(emr, cluster_id, step_id, poll_seconds=0.05, out=out).wait()
    assert outcome.step_state == "FAILED" and not outcome.succeeded
    lines = out.getvalue().splitlines()
    states = [line.split("] ", 1)[1] for line in lines]
    assert states[0] == "cluster {}: RUNNING".format(cluster_id)
    assert states[-1].startswith("step {}: FAILED".format(step_id))
    assert len(states) == len(set(states))  # a state is printed when it changes, not at every poll
    assert all(line.startswith("[ 0:00:") for line in lines)


def test_terminate_says_why_and_reports_the_new_state(s3, moto_server):
    from hashtagcount.aws import session_client

    emr = session_client("emr", endpoint_url=moto_server)
    cluster_id = users_cluster(emr, "watched")
    out = io.StringIO()
    state = terminate(emr, cluster_id, "testing", out)
    assert state in ("TERMINATING", "TERMINATED")
    assert out.getvalue().splitlines()[0] == "terminating cluster {} (testing)".format(cluster_id)
    assert emr.describe_cluster(ClusterId=cluster_id)["Cluster"]["Status"]["State"] == state
