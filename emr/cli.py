"""``hashtag-count emr ...``: run the hashtag job on AWS EMR and follow it."""

import argparse
import re
from typing import Tuple

from hashtagcount.options import add_aws_options, add_counting_options, add_date_options, add_output_options

from . import plan

RUN_EPILOG = """\
examples:
  # February 2017 of a Firehose archive (s3://tweets/firehose/YYYY/MM/DD/HH/...)
  hashtag-count emr run --input s3://tweets/firehose --from 2017-02-01 --to 2017-02-28 \\
      --code-uri s3://my-code/hashtag-count

  # see the exact EMR requests first (no AWS call, no credentials needed)
  hashtag-count emr run --input s3://tweets/firehose --from 2017-02-01 --to 2017-02-28 \\
      --code-uri s3://my-code/hashtag-count --dry-run

  # explicit Hadoop globs, on a cluster that is already running
  hashtag-count emr run --input 's3://tweets/firehose/2017/02/*/*/*' \\
      --input 's3://tweets/firehose/2017/03/01/*/*' --code-uri s3://my-code/hashtag-count \\
      --cluster-id j-1ABCDEFGHIJKL

cost: a new cluster bills EC2 and EMR charges per node and second from start-up
until it ends; it ends by itself after the step (or after --idle-timeout idle
seconds), and Ctrl-C, SIGTERM, SIGHUP or any failure of this command
terminates it.
"""


_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
_SIZE = re.compile(r"(\d+)\s*([KMG]?)(?:I?B)?", re.IGNORECASE)
MIN_SPLIT_SIZE = 64 * 1024
_SUBNET = re.compile(r"subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})")
_TAG_TEXT = re.compile(r"[\w\s.:/=+\-@]*")
RESERVED_TAG_KEYS = (plan.TOOL_TAG, plan.RUN_TAG)


def split_size(text: str) -> int:
    """A ``type=`` for ``--split-size``: bytes, or a number with K, M or G (powers of 1024)."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError("{!r} is not a size such as 256M, 1G or 134217728".format(text))
    size = int(match.group(1)) * _UNITS[match.group(2).upper()]
    if size < MIN_SPLIT_SIZE:
        raise argparse.ArgumentTypeError(
            "{!r} is {:,} bytes; give at least {}K (a bare number counts bytes: 256M, not 256)".format(
                text, size, MIN_SPLIT_SIZE >> 10))
    return size


def subnet_id(text: str) -> str:
    """A ``type=`` for ``--subnet-id``: ``subnet-`` and 8 or 17 hexadecimal digits."""
    if not _SUBNET.fullmatch(text):
        raise argparse.ArgumentTypeError("{!r} is not a subnet id such as subnet-0123456789abcdef0".format(text))
    return text


def key_name(text: str) -> str:
    """A ``type=`` for ``--ec2-key-name``: an EC2 key pair name (1-255 printable ASCII characters)."""
    if not 1 <= len(text) <= 255 or not text.isprintable() or not text.isascii() or text != text.strip():
        raise argparse.ArgumentTypeError("{!r} is not an EC2 key pair name (1-255 printable ASCII "
                                         "characters, no leading or trailing space)".format(text))
    return text


def tag(text: str) -> Tuple[str, str]:
    """A ``type=`` for ``--tag KEY=VALUE``, checked against AWS's tag rules."""
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError("{!r} is not KEY=VALUE, e.g. project=hashtags".format(text))
    if len(key) > 128 or len(value) > 256:
        raise argparse.ArgumentTypeError("{!r}: a tag key has at most 128 characters and a value at most 256".format(text))
    if key.lower().startswith("aws:"):
        raise argparse.ArgumentTypeError("{!r}: keys starting with 'aws:' are reserved by AWS".format(text))
    if key in RESERVED_TAG_KEYS:
        raise argparse.ArgumentTypeError("{!r}: this tool sets the tag {!r} itself".format(text, key))
    if not (_TAG_TEXT.fullmatch(key) and _TAG_TEXT.fullmatch(value)):
        raise argparse.ArgumentTypeError("{!r}: tags may hold letters, digits, spaces and _ . : / = + - @ only".format(text))
    return key, value


def seconds(text: str) -> float:
    """A ``type=`` for a wait: a number of seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("{!r} is not a number of seconds".format(text))
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds, not {}".format(text))
    return value


def _wait_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("waiting")
    group.add_argument("--poll", type=seconds, default=30.0, metavar="SECONDS",
                       help="seconds between two looks at the cluster and step (default: %(default)s)")
    group.add_argument("--log-wait", type=seconds, default=600.0, metavar="SECONDS",
                       help="after a failure, wait at most this long for EMR to copy the logs to S3, "
                            "which it does about every 5 minutes (default: %(default)s)")


def _target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cluster_id", metavar="CLUSTER_ID", help="the cluster, e.g. j-1ABCDEFGHIJKL")
    parser.add_argument("step_id", metavar="STEP_ID", nargs="?",
                        help="the step, e.g. s-1ABCDEFGHIJKL (default: the cluster's latest hashtag-count step)")


def _run(args: argparse.Namespace) -> int:
    from .run import run

    return run(args)


def _status(args: argparse.Namespace) -> int:
    from .followup import status

    return status(args)


def _logs(args: argparse.Namespace) -> int:
    from .followup import logs

    return logs(args)


def _fetch(args: argparse.Namespace) -> int:
    from .followup import fetch

    return fetch(args)


def _terminate(args: argparse.Namespace) -> int:
    from .followup import terminate_command

    return terminate_command(args)


def register(subparsers: "argparse._SubParsersAction") -> None:
    """Add ``emr`` and its commands ``run``, ``status``, ``logs``, ``fetch``, ``terminate``."""
    emr = subparsers.add_parser(
        "emr",
        help="count hashtags on AWS EMR (Hadoop Streaming) and follow the run",
        description="Count hashtags on an AWS EMR cluster with Hadoop Streaming, using the same "
                    "mapper.py and reducer.py as the local pipe.",
    )
    verbs = emr.add_subparsers(title="commands", dest="emr_command", metavar="COMMAND")
    verbs.required = True

    run = verbs.add_parser(
        "run",
        help="check, upload, launch, watch, diagnose and collect one job",
        description="Check the inputs, upload the scripts, run the job as a Hadoop Streaming step "
                    "(on a new transient cluster, or on --cluster-id), print state changes, explain a "
                    "failure from the logs, and print and save the ranking.",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = run.add_argument_group("what to count and where things go")
    where.add_argument("--input", action="append", required=True, metavar="S3_URI",
                       help="with --from/--to: the prefix holding YYYY/MM/DD/HH/ folders; otherwise a Hadoop "
                            "glob reaching the objects, e.g. 's3://tweets/2017/02/*/*/*' (repeatable)")
    where.add_argument("--code-uri", required=True, metavar="S3_URI",
                       help="where the scripts are uploaded, under code/<content hash>/ (must be outside "
                            "the input); the default output and log locations live here too")
    where.add_argument("--output", metavar="S3_URI",
                       help="where Hadoop writes the totals; must not exist "
                            "(default: <code-uri>/results/<UTC time>-<random id>)")
    where.add_argument("--split-size", type=split_size, default=plan.DEFAULT_SPLIT_SIZE, metavar="SIZE",
                       help="bytes of input per map task: small objects are packed together up to this "
                            "size, larger uncompressed ones split, a .gz object read whole (K, M, G "
                            "allowed; default: {}M)".format(plan.DEFAULT_SPLIT_SIZE >> 20))
    add_date_options(run)
    add_counting_options(run)

    cluster = run.add_argument_group("cluster (a new transient one unless --cluster-id)")
    cluster.add_argument("--cluster-id", metavar="ID",
                         help="add the step to this running cluster instead of creating one; it is never "
                              "terminated by this command")
    cluster.add_argument("--release-label", help="EMR release (default: {})".format(plan.DEFAULT_RELEASE_LABEL))
    cluster.add_argument("--instance-type",
                         help="EC2 instance type of every node (default: {})".format(plan.DEFAULT_INSTANCE_TYPE))
    cluster.add_argument("--instance-count", type=int,
                         help="nodes in all, master included (default: {})".format(plan.DEFAULT_INSTANCE_COUNT))
    cluster.add_argument("--spot", action="store_true",
                         help="run the workers beyond one core node as Spot task nodes (cheaper, may be "
                              "reclaimed; capped at the on-demand price); needs --instance-count 3 or more")
    cluster.add_argument("--idle-timeout", type=int, metavar="SECONDS",
                         help="EMR terminates the cluster after this many idle seconds, a guard besides "
                              "ending after the step (60-604800; default: {})".format(plan.DEFAULT_IDLE_TIMEOUT))
    cluster.add_argument("--log-uri", metavar="S3_URI",
                         help="where EMR copies the cluster's logs (default: <code-uri>/logs/)")
    cluster.add_argument("--service-role",
                         help="IAM role EMR acts as (default: {})".format(plan.DEFAULT_SERVICE_ROLE))
    cluster.add_argument("--job-flow-role", metavar="INSTANCE_PROFILE",
                         help="instance profile of the nodes (default: {})".format(plan.DEFAULT_JOB_FLOW_ROLE))
    cluster.add_argument("--subnet-id", type=subnet_id, metavar="SUBNET",
                         help="launch the nodes in this VPC subnet (needed where the account has no default "
                              "VPC; default: EMR's choice)")
    cluster.add_argument("--ec2-key-name", type=key_name, metavar="KEY_PAIR",
                         help="EC2 key pair allowing ssh to the master node as hadoop, for debugging")
    cluster.add_argument("--tag", action="append", type=tag, metavar="KEY=VALUE",
                         help="add this tag to the cluster (repeatable); with the service role {} the tag "
                              "{}={} is added for its managed policy".format(
                                  plan.V2_SERVICE_ROLE, plan.V2_POLICY_TAG["Key"], plan.V2_POLICY_TAG["Value"]))

    behaviour = run.add_argument_group("run")
    behaviour.add_argument("--dry-run", action="store_true",
                           help="print the uploads, the exact EMR requests and the equivalent AWS CLI "
                                "commands as one JSON object, and stop after the local checks (no AWS call, so "
                                "no credentials or region needed, and the inputs are not listed)")
    behaviour.add_argument("--no-wait", action="store_true",
                           help="return once the step is submitted; follow it with emr status/logs/fetch")
    add_output_options(run, save="default: hashtag-ranking-<run id>.tsv here")
    _wait_options(run)
    add_aws_options(run, "S3 and EMR")
    run.set_defaults(run=_run)

    status = verbs.add_parser("status", help="print the state of a cluster and its step",
                              description="Print the state of a cluster and of its hashtag-count step; "
                                          "exit 1 if the step failed.")
    _target(status)
    add_aws_options(status, "S3 and EMR")
    status.set_defaults(run=_status)

    logs = verbs.add_parser("logs", help="explain a failed step from its logs",
                            description="Read a step's logs on S3 and print the probable cause of its failure.")
    _target(logs)
    _wait_options(logs)
    add_aws_options(logs, "S3 and EMR")
    logs.set_defaults(run=_logs)

    fetch = verbs.add_parser("fetch", help="download, print and save the ranking of a finished step",
                             description="Download the totals of a completed step, print the top hashtags "
                                         "and save the full ranking.")
    _target(fetch)
    add_output_options(fetch, save="default: print only; 'emr run' saved its own copy")
    add_aws_options(fetch, "S3 and EMR")
    fetch.set_defaults(run=_fetch)

    stop = verbs.add_parser("terminate", help="terminate a cluster",
                            description="Terminate a cluster, e.g. one started with --no-wait that you no "
                                        "longer need (it would end by itself after its step).")
    stop.add_argument("cluster_id", metavar="CLUSTER_ID", help="the cluster, e.g. j-1ABCDEFGHIJKL")
    add_aws_options(stop, "S3 and EMR")
    stop.set_defaults(run=_terminate)
