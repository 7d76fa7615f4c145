"""``hashtag-count emr run``: preflight, upload, launch, watch, diagnose, collect.

The order is the point: everything that can be checked without a cluster
is checked before one starts, and from the moment this run creates a
cluster until its results are collected, any way out (failure, error,
Ctrl-C, SIGTERM, SIGHUP) terminates that cluster.  A cluster given with ``--cluster-id`` belongs
to the user and is never terminated.
"""

import argparse
import json
import shlex
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, TextIO, Tuple

from hashtagcount.aws import check_bucket_names, parse_s3_uri
from hashtagcount import stops
from hashtagcount.errors import UserError
from hashtagcount.partitions import date_inputs

from . import plan
from .calls import answer, call, describe_cluster
from .clients import Clients
from .collect import check_save_path, collect, default_save_path
from .diagnose import diagnose
from .preflight import check_output_absent, check_outside_inputs, list_inputs
from .upload import Bundle, build_bundle, upload
from .watch import CLUSTER_ENDING, Watcher, say, terminate

ACTIVE_CLUSTER = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING")


def input_patterns(inputs: Sequence[str], date_from: Optional[str], date_to: Optional[str]) -> List[str]:
    """The ``-input`` globs: the ``--input`` values, or each prefix expanded over ``--from/--to``."""
    for uri in inputs:
        parse_s3_uri(uri)
    return date_inputs(list(inputs), date_from, date_to)


def new_run_id(now: Optional[datetime] = None) -> str:
    """``20170301T120000Z-1a2b3c4d``: sorts by time and is unique across runs."""
    now = now or datetime.now(timezone.utc)
    return "{}-{}".format(now.strftime("%Y%m%dT%H%M%SZ"), uuid.uuid4().hex[:8])


class Requests:
    """The uploads and EMR requests of a run (built by :mod:`plan`), decided before any AWS call."""

    def __init__(self, args: argparse.Namespace, bundle: Bundle, run_id: str, inputs: List[str]) -> None:
        code_uri = args.code_uri.rstrip("/")
        self.inputs = list(inputs)
        self.output = (args.output or "{}/results/{}".format(code_uri, run_id)).rstrip("/")
        self.log_uri = None if args.cluster_id else (args.log_uri or code_uri + "/logs/")
        self.bundle = bundle
        self.uploads = bundle.uploads(code_uri)
        creating = args.cluster_id is None
        args_list = plan.streaming_args(
            self.inputs, self.output, bundle.code(code_uri), "hashtag-count " + run_id,
            exclude_retweets=args.exclude_retweets, case_sensitive=args.case_sensitive,
            split_size=args.split_size,
        )
        # A failure ends a cluster this run created; a user's cluster carries on.
        step = plan.streaming_step(args_list, "TERMINATE_CLUSTER" if creating else "CONTINUE")
        self.run_job_flow = None  # type: Optional[Dict[str, Any]]
        if creating:
            self.run_job_flow = plan.run_job_flow_request(
                name="hashtag-count " + run_id,
                log_uri=self.log_uri,
                release_label=args.release_label,
                instance_type=args.instance_type,
                instance_count=args.instance_count,
                spot=args.spot,
                idle_timeout=args.idle_timeout,
                service_role=args.service_role,
                job_flow_role=args.job_flow_role,
                run_id=run_id,
                subnet_id=args.subnet_id,
                ec2_key_name=args.ec2_key_name,
                tags=args.tag or (),
            )
        self.add_job_flow_steps = plan.add_job_flow_steps_request(args.cluster_id, [step])

    def as_json(self, args: argparse.Namespace) -> Dict[str, Any]:
        """The ``--dry-run`` document: uploads, both requests, and the AWS CLI equivalent."""
        document = {"uploads": self.uploads}  # type: Dict[str, Any]
        if self.run_job_flow is not None:
            document["run_job_flow"] = self.run_job_flow
        document["add_job_flow_steps"] = self.add_job_flow_steps
        document["aws_cli"] = plan.aws_cli(
            self.uploads, self.run_job_flow, self.add_job_flow_steps,
            args.profile, args.region, args.endpoint_url,
        )
        return document


def check_options(args: argparse.Namespace) -> None:
    """Refuse options that would be silently ignored or rejected by EMR; fill in the defaults.

    Cluster-shape options default to None so that giving one together with
    ``--cluster-id`` (which would ignore it) can be told from not giving it.
    """
    shape = [
        name for name, value in (
            ("--release-label", args.release_label), ("--instance-type", args.instance_type),
            ("--instance-count", args.instance_count), ("--idle-timeout", args.idle_timeout),
            ("--log-uri", args.log_uri), ("--service-role", args.service_role),
            ("--job-flow-role", args.job_flow_role), ("--spot", args.spot or None),
            ("--subnet-id", args.subnet_id), ("--ec2-key-name", args.ec2_key_name), ("--tag", args.tag),
        ) if value is not None
    ]
    if args.cluster_id and shape:
        raise UserError("{} shape(s) a new cluster; with --cluster-id the existing cluster's "
                        "settings apply: drop {}".format(", ".join(shape), " ".join(shape)))
    defaults = {
        "release_label": plan.DEFAULT_RELEASE_LABEL, "instance_type": plan.DEFAULT_INSTANCE_TYPE,
        "instance_count": plan.DEFAULT_INSTANCE_COUNT, "idle_timeout": plan.DEFAULT_IDLE_TIMEOUT,
        "service_role": plan.DEFAULT_SERVICE_ROLE, "job_flow_role": plan.DEFAULT_JOB_FLOW_ROLE,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.instance_count < 1:
        raise UserError("--instance-count {}: a cluster needs at least 1 node".format(args.instance_count))
    if args.spot and args.instance_count < 3:
        raise UserError("--spot needs --instance-count 3 or more (a master, an on-demand core node "
                        "and at least one Spot task node), not {}".format(args.instance_count))
    low, high = plan.IDLE_TIMEOUT_RANGE
    if not low <= args.idle_timeout <= high:
        raise UserError("--idle-timeout {}: EMR accepts {} to {} seconds".format(args.idle_timeout, low, high))
    check_tags(args.tag or (), args.service_role)
    if args.no_wait and args.save:
        raise UserError("--save {}: with --no-wait nothing is collected; save later with "
                        "'hashtag-count emr fetch CLUSTER_ID --save {}'".format(args.save, args.save))
    if args.output is not None and not parse_s3_uri(args.output)[1].strip("/"):
        raise UserError("--output {}: give a folder inside the bucket, not the bucket itself".format(args.output))


def check_tags(tags: Sequence[Tuple[str, str]], service_role: str) -> None:
    """Refuse a ``--tag`` key given twice, or one the tool sets itself with another value (EMR keeps one)."""
    seen = {}  # type: Dict[str, str]
    for key, value in tags:
        if key in seen:
            raise UserError("--tag {}={} and --tag {}={}: a cluster has one value per tag key; give {!r} "
                            "once".format(key, seen[key], key, value, key))
        seen[key] = value
    v2 = plan.V2_POLICY_TAG
    if plan.is_v2_role(service_role) and seen.get(v2["Key"], v2["Value"]) != v2["Value"]:
        raise UserError("--tag {}={}: with the service role {} this tool sets {}={} itself, which that role's "
                        "managed policy needs; drop this --tag".format(
                            v2["Key"], seen[v2["Key"]], service_role, v2["Key"], v2["Value"]))


def run(args: argparse.Namespace, stdout: TextIO = sys.stdout, out: TextIO = sys.stderr) -> int:
    """The ``emr run`` command; returns the exit code.

    SIGTERM (a cancelled CI job, ``timeout``) and SIGHUP (a closed terminal)
    take the path of Ctrl-C, so a cluster this run created is terminated
    whichever way the run is stopped.  Only SIGKILL escapes; the cluster's
    own backstops (see :func:`plan.run_job_flow_request`) cover that.
    """
    launch = Launch(args, stdout, out)
    previous = stops.catch()
    try:
        return launch.run()
    except KeyboardInterrupt as stop:
        stops.ignore()
        return launch.interrupted(stops.signal_of(stop))
    except BaseException:
        stops.ignore()
        launch.end_created("the run failed")
        raise
    finally:
        stops.restore(previous)


class Launch:
    """One ``emr run``: what it has created so far, so that every way out can end it."""

    def __init__(self, args: argparse.Namespace, stdout: TextIO, out: TextIO) -> None:
        self.args = args
        self.stdout = stdout
        self.out = out
        self.emr = None  # type: Any
        self.created = None  # type: Optional[str]

    def run(self) -> int:
        args, out = self.args, self.out
        check_options(args)
        parse_s3_uri(args.code_uri)
        run_id = new_run_id()
        bundle = build_bundle()
        patterns = input_patterns(args.input, args.date_from, args.date_to)
        requests = Requests(args, bundle, run_id, patterns)
        locations = [("--input", uri) for uri in requests.inputs]
        locations += [("--code-uri", args.code_uri), ("--output", requests.output)]
        if requests.log_uri:
            locations.append(("--log-uri", requests.log_uri))
        check_bucket_names(locations)
        check_outside_inputs(args.input, locations[len(requests.inputs):])
        save = Path(args.save) if args.save else default_save_path(requests.output)
        if not args.no_wait:
            check_save_path(save)
        if args.dry_run:  # every check above needs no AWS; a dry run stops before the first AWS call
            json.dump(requests.as_json(args), self.stdout, indent=2)
            self.stdout.write("\n")
            return 0
        clients = Clients(args)
        s3 = clients.s3
        self.emr = emr = clients.emr
        matches = list_inputs(s3, requests.inputs, out, len(args.input) if args.date_from is not None else 0)
        found = [m.pattern for m in matches if not m.empty]
        if found != requests.inputs:
            requests = Requests(args, bundle, run_id, found)
        check_output_absent(s3, requests.output)
        log_uri = requests.log_uri
        if args.cluster_id:
            cluster = describe_cluster(emr, args.cluster_id)
            state = cluster["Status"]["State"]
            if state not in ACTIVE_CLUSTER:
                raise UserError("--cluster-id {} is {}; steps can be added only to a cluster that is {}".format(
                    args.cluster_id, state, ", ".join(ACTIVE_CLUSTER)))
            log_uri = cluster.get("LogUri")
        upload(s3, bundle, args.code_uri, out)

        cluster_id = args.cluster_id
        if cluster_id is None:
            with stops.deferred():
                cluster_id = answer(call("create cluster", emr.run_job_flow, **requests.run_job_flow),
                                    "create cluster", "JobFlowId")
                self.created = cluster_id
            print("cluster {} created ({} x {}, {}); it ends after the step, or after {} s idle".format(
                cluster_id, args.instance_count, args.instance_type, args.release_label, args.idle_timeout),
                file=out, flush=True)
        request = dict(requests.add_job_flow_steps, JobFlowId=cluster_id)
        what = "add step to cluster " + cluster_id
        step_id = answer(call(what, emr.add_job_flow_steps, **request), what, "StepIds", 0)
        print("step {} added to cluster {}; output: {}".format(step_id, cluster_id, requests.output),
              file=out, flush=True)
        if args.no_wait:
            self.created = None  # it terminates itself after the step
            _print_follow_up(args, cluster_id, step_id, out)
            return 0
        outcome = Watcher(emr, cluster_id, step_id, args.poll, out).wait()
        if not outcome.succeeded:
            print("step {} {}{}".format(step_id, outcome.step_state,
                                        ": " + outcome.reason if outcome.reason else ""), file=out)
            if outcome.cluster_state not in CLUSTER_ENDING:
                self.end_created("its step failed")
            self.created = None
            diagnose(s3, log_uri, cluster_id, step_id, args.log_wait, min(args.poll, 30.0), out, outcome.failure)
            return 1
        collect(s3, requests.output, args.top, args.format, save, self.stdout, out)
        self.created = None  # its step is done, so it is ending by itself
        return 0

    def interrupted(self, signum: int) -> int:
        """Say what a stop (Ctrl-C, SIGTERM, SIGHUP) leaves behind, end a created cluster; the exit code."""
        name = stops.name(signum)
        if self.created:
            say(self.out, "{}: this run created cluster {}, so it is terminated now".format(name, self.created))
            self.end_created(name)
        elif self.args.cluster_id and self.emr is not None:
            say(self.out, "{}: cluster {} was given with --cluster-id and keeps running; a step already "
                          "added continues (cancel it in the EMR console if you need to)".format(
                              name, self.args.cluster_id))
        else:
            say(self.out, "{}: stopped before any cluster was started".format(name))
        return stops.exit_status(signum)

    def end_created(self, why: str) -> None:
        """Terminate the cluster this run created, unless it is already ending; if that fails, say what to do."""
        cluster_id, self.created = self.created, None
        if not cluster_id:
            return
        try:
            if describe_cluster(self.emr, cluster_id)["Status"]["State"] in CLUSTER_ENDING:
                return
            terminate(self.emr, cluster_id, why, self.out)
        except UserError as error:
            raise UserError("{}; cluster {} may still be running and billing: terminate it with "
                            "'hashtag-count emr terminate {}' or in the EMR console".format(
                                error, cluster_id, cluster_id))


def _print_follow_up(args: argparse.Namespace, cluster_id: str, step_id: str, out: TextIO) -> None:
    extra = "".join(
        " {} {}".format(option, shlex.quote(value))
        for option, value in (("--profile", args.profile), ("--region", args.region), ("--endpoint-url", args.endpoint_url))
        if value
    )
    print("not waiting (--no-wait); follow the run with:", file=out)
    for verb in ("status", "logs", "fetch"):
        print("  hashtag-count emr {} {} {}{}".format(verb, cluster_id, step_id, extra), file=out)
