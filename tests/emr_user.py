"""Driving ``hashtag-count emr`` from tests the way a user does, and the user's own resources.

The cluster side lives in :mod:`emr_standin`; this module is the user's
side: the sample archive on "S3", the command as a real process (through
:func:`command.hashtag_count`), a node ``python3`` and a cluster the user
started by hand.
"""

import subprocess
import sys
from pathlib import Path
from typing import Optional

from command import hashtag_count
from pipeline import REPO

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


def emr_run(*args: str, endpoint: str, cwd: Path, env=None) -> subprocess.CompletedProcess:
    return hashtag_count("emr", "run", "--code-uri", CODE, *FAST, *args, endpoint=endpoint, cwd=cwd, env=env)


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
        "sys.argv = [a for a in sys.argv[1:] if a != '-S']\n"
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
