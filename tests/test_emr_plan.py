"""The EMR requests: built without AWS, printed by ``--dry-run``, valid for EMR's API model."""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import botocore.session
import pytest
from botocore.validate import ParamValidator

from emr_standin import StepFailed, parse_streaming_args

from hashtagcount.emr import plan

CODE = plan.Code("s3://c/code/x/mapper.py", "s3://c/code/x/reducer.py")


def no_aws_env(tmp_path) -> dict:
    """An environment in which no AWS credentials or config can be found."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "missing-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "missing-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def dry_run(tmp_path, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "hashtagcount", "emr", "run", *args, "--dry-run",
         "--endpoint-url", "http://127.0.0.1:9"],  # nothing listens there: any request would fail
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=no_aws_env(tmp_path), cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)


def validate(operation: str, params: dict) -> str:
    """What botocore's validator (the one real requests go through) finds wrong; '' if nothing."""
    model = botocore.session.get_session().get_service_model("emr").operation_model(operation)
    report = ParamValidator().validate(params, model.input_shape)
    return report.generate_report() if report.has_errors() else ""


def test_dry_run_needs_no_credentials_and_prints_requests_emr_accepts(tmp_path):
    document = dry_run(
        tmp_path, "--input", "s3://tweets/firehose", "--from", "2017-02-01", "--to", "2017-03-01T05",
        "--code-uri", "s3://my-code/hc", "--spot", "--instance-count", "4", "--exclude-retweets",
        "--subnet-id", "subnet-0123456789abcdef0", "--ec2-key-name", "my key", "--tag", "project=hashtags",
        "--tag", "cost centre=42", "--service-role", "EMR_DefaultRole_V2", "--split-size", "512M",
    )
    assert list(document) == ["uploads", "run_job_flow", "add_job_flow_steps", "aws_cli"]
    assert validate("RunJobFlow", document["run_job_flow"]) == ""
    assert validate("AddJobFlowSteps", document["add_job_flow_steps"]) == ""

    cluster = document["run_job_flow"]
    assert cluster["Instances"]["KeepJobFlowAliveWhenNoSteps"] is False
    assert cluster["AutoTerminationPolicy"] == {"IdleTimeout": 3600}
    assert cluster["ReleaseLabel"].startswith("emr-7.")
    assert (cluster["ServiceRole"], cluster["JobFlowRole"]) == ("EMR_DefaultRole_V2", "EMR_EC2_DefaultRole")
    tags = {tag["Key"]: tag["Value"] for tag in cluster["Tags"]}
    assert tags["tool"] == "hashtag-count" and tags["for-use-with-amazon-emr-managed-policies"] == "true"
    assert (tags["project"], tags["cost centre"]) == ("hashtags", "42")
    assert cluster["Instances"]["Ec2SubnetId"] == "subnet-0123456789abcdef0"
    assert cluster["Instances"]["Ec2KeyName"] == "my key"
    markets = [(g["InstanceRole"], g["Market"], g["InstanceCount"]) for g in cluster["Instances"]["InstanceGroups"]]
    assert markets == [("MASTER", "ON_DEMAND", 1), ("CORE", "ON_DEMAND", 1), ("TASK", "SPOT", 2)]

    (step,) = document["add_job_flow_steps"]["Steps"]
    assert step["ActionOnFailure"] == "TERMINATE_CLUSTER"
    args = step["HadoopJarStep"]["Args"]
    assert step["HadoopJarStep"]["Jar"] == "command-runner.jar" and args[0] == "hadoop-streaming"
    assert args[1:9] == ["-D", args[2], "-D", "mapreduce.input.fileinputformat.split.maxsize=536870912",
                         "-D", "stream.map.input.ignoreKey=true",
                         "-files", ",".join(u["dest"] for u in _by_name(document["uploads"]))]
    assert args[2].startswith("mapreduce.job.name=hashtag-count ")
    assert args[9:11] == ["-inputformat", "org.apache.hadoop.mapred.lib.CombineTextInputFormat"]
    assert args[args.index("-mapper") + 1] == "python3 mapper.py --exclude-retweets"
    assert args[args.index("-combiner") + 1] == args[args.index("-reducer") + 1] == "python3 reducer.py"
    inputs = [args[i + 1] for i, a in enumerate(args) if a == "-input"]
    assert inputs == ["s3://tweets/firehose/2017/02/*/*/*"] + [
        "s3://tweets/firehose/2017/03/01/{:02d}/*".format(h) for h in range(6)]
    assert args[-2] == "-output" and args[-1].startswith("s3://my-code/hc/results/")

    for upload in document["uploads"]:
        assert upload["dest"].startswith("s3://my-code/hc/code/")
        assert os.path.isfile(upload["source"])
    commands = document["aws_cli"]
    assert [shlex.split(c)[:3] for c in commands[:2]] == [["aws", "s3", "cp"]] * 2
    assert commands[2].startswith("CLUSTER_ID=$(aws emr create-cluster ")
    create = shlex.split(commands[2][len("CLUSTER_ID=$("):-1])
    assert create[create.index("--service-role") + 1] == "EMR_DefaultRole_V2"
    assert create[create.index("--ec2-attributes") + 1] == (
        "InstanceProfile=EMR_EC2_DefaultRole,SubnetId=subnet-0123456789abcdef0,KeyName=my key")
    cli_tags = create[create.index("--tags") + 1:create.index("--query")]
    assert cli_tags == ["{}={}".format(key, value) for key, value in tags.items()]
    words = shlex.split(commands[3])
    assert words[:5] == ["aws", "emr", "add-steps", "--cluster-id", "$CLUSTER_ID"]
    (cli_step,) = json.loads(words[6])
    assert cli_step["Args"] == args and cli_step["Jar"] == "command-runner.jar"
    assert words[-2:] == ["--endpoint-url", "http://127.0.0.1:9"]


def _by_name(uploads):
    order = ["mapper.py", "reducer.py"]
    return sorted(uploads, key=lambda u: order.index(u["dest"].rsplit("/", 1)[1]))


def test_dry_run_on_a_given_cluster_adds_steps_only(tmp_path):
    document = dry_run(tmp_path, "--input", "s3://tweets/2017/02/*/*/*", "--input", "s3://tweets/2017/03/01/*/*",
                       "--code-uri", "s3://my-code/hc", "--cluster-id", "j-2AXXXXXXGAPLF", "--case-sensitive")
    assert list(document) == ["uploads", "add_job_flow_steps", "aws_cli"]
    request = document["add_job_flow_steps"]
    assert validate("AddJobFlowSteps", request) == ""
    assert request["JobFlowId"] == "j-2AXXXXXXGAPLF"
    assert request["Steps"][0]["ActionOnFailure"] == "CONTINUE"
    args = request["Steps"][0]["HadoopJarStep"]["Args"]
    assert args[args.index("-mapper") + 1] == "python3 mapper.py --case-sensitive"
    assert shlex.split(document["aws_cli"][-1])[3:5] == ["--cluster-id", "j-2AXXXXXXGAPLF"]


def test_the_dry_run_uploads_and_ships_exactly_the_two_scripts(tmp_path):
    document = dry_run(tmp_path, "--input", "s3://tweets/x/*", "--code-uri", "s3://my-code/hc")
    sources = [Path(u["source"]) for u in document["uploads"]]
    assert [p.name for p in sources] == ["mapper.py", "reducer.py"]
    (step,) = document["add_job_flow_steps"]["Steps"]
    args = step["HadoopJarStep"]["Args"]
    assert args[args.index("-files") + 1] == ",".join(u["dest"] for u in document["uploads"])


def test_generic_options_come_before_streaming_options():
    args = plan.streaming_args(["s3://t/a/*", "s3://t/b/*"], "s3://o/out", CODE, "job")
    flags = [a for a in args if a.startswith("-")]
    assert flags == ["-D", "-D", "-D", "-files", "-inputformat", "-mapper", "-combiner", "-reducer",
                     "-input", "-input", "-output"]


def test_the_default_service_role_gets_no_v2_tag_and_a_given_v2_tag_is_not_doubled():
    request = plan.run_job_flow_request("n", "s3://l/")
    assert [tag["Key"] for tag in request["Tags"]] == ["tool"]
    assert "Ec2SubnetId" not in request["Instances"] and "Ec2KeyName" not in request["Instances"]
    arn = "arn:aws:iam::123456789012:role/EMR_DefaultRole_V2"
    request = plan.run_job_flow_request("n", "s3://l/", service_role=arn,
                                        tags=[("for-use-with-amazon-emr-managed-policies", "true")])
    assert [tag["Key"] for tag in request["Tags"]] == ["tool", "for-use-with-amazon-emr-managed-policies"]


def test_instance_groups_without_spot_are_all_on_demand():
    groups = plan.instance_groups("m5.xlarge", 3, spot=False)
    assert [(g["InstanceRole"], g["Market"], g["InstanceCount"]) for g in groups] == [
        ("MASTER", "ON_DEMAND", 1), ("CORE", "ON_DEMAND", 2)]
    assert [g["InstanceRole"] for g in plan.instance_groups("m5.xlarge", 1, spot=False)] == ["MASTER"]


def test_option_mistakes_are_one_line_errors(tmp_path):
    for args, message in [
        (["--spot", "--instance-count", "2"], "--spot needs --instance-count 3 or more"),
        (["--idle-timeout", "30"], "--idle-timeout 30: EMR accepts 60 to 604800 seconds"),
        (["--from", "2017-02-01"], "--from and --to go together"),
        (["--top", "-3"], "argument -n/--top: must be at least 0, not -3"),
        (["--split-size", "256"], "give at least 64K (a bare number counts bytes: 256M, not 256)"),
        (["--split-size", "lots"], "'lots' is not a size such as 256M"),
        (["--subnet-id", "sn-1"], "'sn-1' is not a subnet id"),
        (["--tag", "project"], "'project' is not KEY=VALUE"),
        (["--tag", "aws:x=1"], "reserved by AWS"),
        (["--tag", "tool=mine"], "this tool sets the tag 'tool' itself"),
        (["--tag", "k=v;rm"], "tags may hold letters, digits, spaces"),
        (["--ec2-key-name", " k"], "is not an EC2 key pair name"),
        (["--endpoint-url", "127.0.0.1:5055"], "is not an http:// or https:// URL"),
        (["--cluster-id", "j-1", "--subnet-id", "subnet-01234567"], "drop --subnet-id"),
        (["--no-wait", "--save", "x.tsv"], "with --no-wait nothing is collected"),
        (["--save", "nodir/x.tsv"], "--save nodir/x.tsv: there is no folder nodir"),
        (["--save", "/proc/x.tsv"], "--save /proc/x.tsv: cannot create a file in the folder /proc"),
        (["--tag", "team=a", "--tag", "team=b"], "--tag team=a and --tag team=b: a cluster has one value per tag key"),
        (["--service-role", "EMR_DefaultRole_V2", "--tag", "for-use-with-amazon-emr-managed-policies=false"],
         "this tool sets for-use-with-amazon-emr-managed-policies=true itself"),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "hashtagcount", "emr", "run", "--input", "s3://tweets/f",
             "--code-uri", "s3://code-bucket/x", "--dry-run", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=no_aws_env(tmp_path),
        )
        assert done.returncode == 2
        assert done.stderr.startswith(("hashtag-count: error: ", "hashtag-count emr run: error: ")), done.stderr
        assert message in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr


def test_the_stand_in_parses_the_step_as_hadoop_would_and_rejects_misplaced_generic_options():
    args = plan.streaming_args(["s3://t/a/*"], "s3://o/out", CODE, "job name")[1:]
    conf, files, options = parse_streaming_args(args)
    assert conf == {"mapreduce.job.name": "job name", "stream.map.input.ignoreKey": "true",
                    "mapreduce.input.fileinputformat.split.maxsize": str(plan.DEFAULT_SPLIT_SIZE)}
    assert files == CODE.uris()
    assert options["-input"] == ["s3://t/a/*"] and options["-output"] == ["s3://o/out"]
    assert options["-inputformat"] == [plan.INPUT_FORMAT]
    misplaced = args[8:] + args[:8]  # -D and -files after the streaming options
    with pytest.raises(StepFailed) as failure:
        parse_streaming_args(misplaced)
    assert failure.value.client_lines[0] == "ERROR streaming.StreamJob: Unrecognized option: -D"
