"""The exact EMR requests of a run, built without calling AWS.

Pure functions from options to the keyword arguments of boto3's
``run_job_flow`` and ``add_job_flow_steps``: ``--dry-run`` prints them and
the real run sends them, so what a user reviews is what EMR receives.
``aws_cli`` renders the same requests as ``aws`` commands to paste.
"""

import json
import shlex
from typing import Any, Dict, List, Optional, Sequence, Tuple

TOOL = "hashtag-count"
TOOL_TAG = "tool"
RUN_TAG = "hashtag-count:run"
DEFAULT_RELEASE_LABEL = "emr-7.14.0"  # Hadoop 3.4.2, python3 = 3.9 on the nodes
DEFAULT_INSTANCE_TYPE = "m5.xlarge"
DEFAULT_INSTANCE_COUNT = 3
DEFAULT_IDLE_TIMEOUT = 3600
IDLE_TIMEOUT_RANGE = (60, 604800)  # what EMR's AutoTerminationPolicy accepts
DEFAULT_SERVICE_ROLE = "EMR_DefaultRole"
DEFAULT_JOB_FLOW_ROLE = "EMR_EC2_DefaultRole"
V2_SERVICE_ROLE = "EMR_DefaultRole_V2"
# AmazonEMRServicePolicy_v2 acts only on resources carrying this tag.
V2_POLICY_TAG = {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}
# Many small objects share a map task: Hadoop's combining input format of
# the old mapred API (hadoop-streaming's -inputformat takes only that API).
INPUT_FORMAT = "org.apache.hadoop.mapred.lib.CombineTextInputFormat"
SPLIT_SIZE_PROPERTY = "mapreduce.input.fileinputformat.split.maxsize"
DEFAULT_SPLIT_SIZE = 256 * 1024 * 1024
STEP_NAME = "hashtag-count: count hashtags"
CLUSTER_ID_PLACEHOLDER = "<ClusterId returned by run_job_flow>"


class Code:
    """Where the two uploaded scripts live on S3 (``-files`` ships exactly them to every task)."""

    def __init__(self, mapper: str, reducer: str) -> None:
        self.mapper = mapper
        self.reducer = reducer

    def uris(self) -> List[str]:
        return [self.mapper, self.reducer]


def mapper_command(exclude_retweets: bool, case_sensitive: bool) -> str:
    """The ``-mapper`` command: the node's ``python3`` runs the shipped ``mapper.py``."""
    words = ["python3", "mapper.py"]
    if exclude_retweets:
        words.append("--exclude-retweets")
    if case_sensitive:
        words.append("--case-sensitive")
    return " ".join(words)


def streaming_args(
    inputs: Sequence[str],
    output: str,
    code: Code,
    job_name: str,
    exclude_retweets: bool = False,
    case_sensitive: bool = False,
    split_size: int = DEFAULT_SPLIT_SIZE,
) -> List[str]:
    """``hadoop-streaming`` arguments: generic options (``-D``, ``-files``) first, as Hadoop requires.

    ``CombineTextInputFormat`` packs objects into map tasks of about
    ``split_size`` bytes (a ``.gz`` object whole, as gzip cannot be split)
    instead of one task per object.  With any input format but
    ``TextInputFormat`` streaming writes ``offset<TAB>line`` to the mapper
    unless ``stream.map.input.ignoreKey`` is true, so it is set.
    ``reducer.py`` is also the combiner (sums are associative), which cuts
    the shuffle to one line per hashtag per map task.
    """
    args = [
        "hadoop-streaming",
        "-D", "mapreduce.job.name={}".format(job_name),
        "-D", "{}={}".format(SPLIT_SIZE_PROPERTY, split_size),
        "-D", "stream.map.input.ignoreKey=true",
        "-files", ",".join(code.uris()),
        "-inputformat", INPUT_FORMAT,
        "-mapper", mapper_command(exclude_retweets, case_sensitive),
        "-combiner", "python3 reducer.py",
        "-reducer", "python3 reducer.py",
    ]
    for pattern in inputs:
        args += ["-input", pattern]
    args += ["-output", output]
    return args


def streaming_step(args: List[str], action_on_failure: str) -> Dict[str, Any]:
    """One ``StepConfig`` running ``args`` through ``command-runner.jar``."""
    return {
        "Name": STEP_NAME,
        "ActionOnFailure": action_on_failure,
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": list(args)},
    }


def instance_groups(instance_type: str, instance_count: int, spot: bool) -> List[Dict[str, Any]]:
    """One on-demand master, on-demand core nodes, and (``spot``) Spot task nodes.

    With ``spot`` one core node stays on-demand, because core nodes hold
    HDFS and the job's intermediate data; only task nodes, which hold
    nothing, may be reclaimed.  Spot pays at most the on-demand price.
    """
    groups = [_group("Master", "MASTER", instance_type, 1, "ON_DEMAND")]
    workers = instance_count - 1
    if not workers:
        return groups
    if spot:
        groups.append(_group("Core", "CORE", instance_type, 1, "ON_DEMAND"))
        groups.append(_group("Task (Spot)", "TASK", instance_type, workers - 1, "SPOT"))
    else:
        groups.append(_group("Core", "CORE", instance_type, workers, "ON_DEMAND"))
    return groups


def _group(name: str, role: str, instance_type: str, count: int, market: str) -> Dict[str, Any]:
    return {
        "Name": name,
        "InstanceRole": role,
        "Market": market,
        "InstanceType": instance_type,
        "InstanceCount": count,
    }


def is_v2_role(service_role: str) -> bool:
    """Whether ``service_role`` (a name or an ARN) is EMR's v2 default role, whose policy needs the tag."""
    return service_role.rsplit("/", 1)[-1] == V2_SERVICE_ROLE


def run_job_flow_request(
    name: str,
    log_uri: str,
    release_label: str = DEFAULT_RELEASE_LABEL,
    instance_type: str = DEFAULT_INSTANCE_TYPE,
    instance_count: int = DEFAULT_INSTANCE_COUNT,
    spot: bool = False,
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT,
    service_role: str = DEFAULT_SERVICE_ROLE,
    job_flow_role: str = DEFAULT_JOB_FLOW_ROLE,
    run_id: str = "",
    subnet_id: Optional[str] = None,
    ec2_key_name: Optional[str] = None,
    tags: Sequence[Tuple[str, str]] = (),
) -> Dict[str, Any]:
    """``run_job_flow`` keyword arguments for a transient cluster.

    ``KeepJobFlowAliveWhenNoSteps=False`` ends the cluster after its last
    step (and right after start-up if no step was ever added), and the
    idle timeout is a second guard should anything keep it waiting.
    The v2 service role may act only on tagged resources, so a cluster
    started with it carries :data:`V2_POLICY_TAG`.
    """
    cluster_tags = [{"Key": TOOL_TAG, "Value": TOOL}]
    if run_id:
        cluster_tags.append({"Key": RUN_TAG, "Value": run_id})
    given = {key for key, _ in tags}
    if is_v2_role(service_role) and V2_POLICY_TAG["Key"] not in given:
        cluster_tags.append(dict(V2_POLICY_TAG))
    cluster_tags += [{"Key": key, "Value": value} for key, value in tags]
    instances = {
        "InstanceGroups": instance_groups(instance_type, instance_count, spot),
        "KeepJobFlowAliveWhenNoSteps": False,
        "TerminationProtected": False,
    }  # type: Dict[str, Any]
    if subnet_id:
        instances["Ec2SubnetId"] = subnet_id
    if ec2_key_name:
        instances["Ec2KeyName"] = ec2_key_name
    return {
        "Name": name,
        "LogUri": log_uri,
        "ReleaseLabel": release_label,
        "Applications": [{"Name": "Hadoop"}],
        "Instances": instances,
        "AutoTerminationPolicy": {"IdleTimeout": idle_timeout},
        "ServiceRole": service_role,
        "JobFlowRole": job_flow_role,
        "VisibleToAllUsers": True,
        "Tags": cluster_tags,
    }


def add_job_flow_steps_request(cluster_id: Optional[str], steps: List[Dict[str, Any]]) -> Dict[str, Any]:
    """``add_job_flow_steps`` keyword arguments (a placeholder id until the cluster exists)."""
    return {"JobFlowId": cluster_id or CLUSTER_ID_PLACEHOLDER, "Steps": steps}


# --- the same requests as AWS CLI commands ---------------------------------------


def _global_options(profile: Optional[str], region: Optional[str], endpoint_url: Optional[str]) -> List[str]:
    words = []
    for option, value in (("--profile", profile), ("--region", region), ("--endpoint-url", endpoint_url)):
        if value:
            words += [option, value]
    return words


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def aws_cli(
    uploads: List[Dict[str, str]],
    run_job_flow: Optional[Dict[str, Any]],
    add_job_flow_steps: Dict[str, Any],
    profile: Optional[str] = None,
    region: Optional[str] = None,
    endpoint_url: Optional[str] = None,
) -> List[str]:
    """Shell-quoted ``aws`` commands doing what the run does (uploads, create-cluster, add-steps).

    ``add-steps`` needs the cluster id that ``create-cluster`` prints, so
    that command reads it from ``$CLUSTER_ID`` when the cluster is new.
    """
    common = _global_options(profile, region, endpoint_url)
    commands = [
        shlex.join(["aws", "s3", "cp", item["source"], item["dest"], *common]) for item in uploads
    ]
    if run_job_flow is not None:
        commands.append("CLUSTER_ID=$(" + shlex.join(_create_cluster(run_job_flow) + common) + ")")
        cluster = '"$CLUSTER_ID"'
    else:
        cluster = shlex.quote(add_job_flow_steps["JobFlowId"])
    steps = [
        {
            "Type": "CUSTOM_JAR",
            "Name": step["Name"],
            "ActionOnFailure": step["ActionOnFailure"],
            "Jar": step["HadoopJarStep"]["Jar"],
            "Args": step["HadoopJarStep"]["Args"],
        }
        for step in add_job_flow_steps["Steps"]
    ]
    commands.append(
        "aws emr add-steps --cluster-id {} --steps {}".format(
            cluster, shlex.join([_compact(steps)] + common)
        )
    )
    return commands


def _create_cluster(request: Dict[str, Any]) -> List[str]:
    groups = []
    for group in request["Instances"]["InstanceGroups"]:
        item = {
            "Name": group["Name"],
            "InstanceGroupType": group["InstanceRole"],
            "InstanceType": group["InstanceType"],
            "InstanceCount": group["InstanceCount"],
        }
        if group["Market"] == "SPOT":
            item["BidPrice"] = "OnDemandPrice"  # the CLI's spelling of Market=SPOT at on-demand cap
        groups.append(item)
    words = [
        "aws", "emr", "create-cluster",
        "--name", request["Name"],
        "--release-label", request["ReleaseLabel"],
        "--applications", " ".join("Name=" + app["Name"] for app in request["Applications"]),
        "--instance-groups", _compact(groups),
        "--auto-terminate",
        "--auto-termination-policy", "IdleTimeout={}".format(request["AutoTerminationPolicy"]["IdleTimeout"]),
        "--log-uri", request["LogUri"],
        "--service-role", request["ServiceRole"],
        "--ec2-attributes", _ec2_attributes(request),
        "--visible-to-all-users",
        "--tags", *("{}={}".format(tag["Key"], tag["Value"]) for tag in request["Tags"]),
        "--query", "ClusterId", "--output", "text",
    ]
    return words


def _ec2_attributes(request: Dict[str, Any]) -> str:
    attributes = ["InstanceProfile=" + request["JobFlowRole"]]
    for name, key in (("SubnetId", "Ec2SubnetId"), ("KeyName", "Ec2KeyName")):
        if request["Instances"].get(key):
            attributes.append("{}={}".format(name, request["Instances"][key]))
    return ",".join(attributes)
