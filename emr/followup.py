"""``emr status|logs|fetch|terminate``: follow a run started with ``--no-wait``.

Everything is read back from EMR itself: the step's arguments hold its
output location, the cluster holds its log location, so these commands
need only the cluster id (and the step id when a cluster ran several).
"""

import argparse
import sys
from pathlib import Path
from typing import Any, Dict, Optional, TextIO

from hashtagcount.errors import UserError

from .calls import answer, describe_cluster, describe_step, emr_error
from .clients import Clients
from .collect import check_save_path, collect, default_save_path
from .diagnose import diagnose
from .plan import STEP_NAME
from .watch import STEP_ENDED, terminate


def find_step(emr: Any, cluster_id: str, step_id: Optional[str]) -> Dict[str, Any]:
    """The step ``step_id``, or the cluster's latest hashtag-count step."""
    if step_id:
        return describe_step(emr, cluster_id, step_id)
    import botocore.exceptions

    latest = None
    try:
        for page in emr.get_paginator("list_steps").paginate(ClusterId=cluster_id):
            latest = next((s for s in page.get("Steps", ()) if s.get("Name") == STEP_NAME), None)
            if latest:  # steps come newest first
                break
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        raise emr_error("list steps of " + cluster_id, error)
    if latest:
        return describe_step(emr, cluster_id, answer(latest, "list steps of " + cluster_id, "Id"))
    raise UserError("cluster {} has no {!r} step; give the step id too".format(cluster_id, STEP_NAME))


def step_output(step: Dict[str, Any]) -> str:
    """The ``-output`` location among the step's streaming arguments."""
    args = step.get("Config", {}).get("Args", [])
    for flag, value in zip(args, args[1:]):
        if flag == "-output":
            return value
    raise UserError("step {} is not a hashtag-count streaming step (it has no -output)".format(step["Id"]))


def status(args: argparse.Namespace, stdout: TextIO = sys.stdout) -> int:
    """Print the cluster's and the step's states; exit 1 if the step failed."""
    emr = Clients(args).emr
    cluster = describe_cluster(emr, args.cluster_id)
    step = find_step(emr, args.cluster_id, args.step_id)
    for what, item in (("cluster " + cluster["Id"], cluster), ("step " + step["Id"], step)):
        change = item["Status"].get("StateChangeReason") or {}
        reason = change.get("Message") or change.get("Code") or ""
        print("{}: {}{}".format(what, item["Status"]["State"], " ({})".format(reason) if reason else ""), file=stdout)
    print("output: {}".format(step_output(step)), file=stdout)
    state = step["Status"]["State"]
    return 1 if state in STEP_ENDED and state != "COMPLETED" else 0


def logs(args: argparse.Namespace, out: TextIO = sys.stderr) -> int:
    """Print the probable cause of a failed step from its logs; of any other step, its state, at once."""
    clients = Clients(args)
    emr = clients.emr
    cluster = describe_cluster(emr, args.cluster_id)
    step = find_step(emr, args.cluster_id, args.step_id)
    state = step["Status"]["State"]
    if state != "FAILED":
        print("step {} is {}: no failure to explain{}".format(
            step["Id"], state, "" if state in STEP_ENDED else " (yet); follow it with: hashtag-count emr status {} {}"
            .format(args.cluster_id, step["Id"])), file=out)
        return 0
    s3 = clients.s3
    failure = step["Status"].get("FailureDetails")
    cause = diagnose(s3, cluster.get("LogUri"), args.cluster_id, step["Id"], args.log_wait, args.poll, out, failure)
    if cause is None:
        print("no failure found in the logs of step {} (state {})".format(step["Id"], step["Status"]["State"]), file=out)
        return 0
    return 1


def fetch(args: argparse.Namespace, stdout: TextIO = sys.stdout, out: TextIO = sys.stderr) -> int:
    """Download, rank, print and save the results of a completed step."""
    clients = Clients(args)
    step = find_step(clients.emr, args.cluster_id, args.step_id)
    state = step["Status"]["State"]
    if state != "COMPLETED":
        raise UserError("step {} is {}, not COMPLETED: there are no results to fetch{}".format(
            step["Id"], state, "" if state in STEP_ENDED else " yet"))
    output = step_output(step)
    save = Path(args.save) if args.save else None
    if save is not None:
        check_save_path(save)
    collect(clients.s3, output, args.top, args.format, save, stdout, out)
    if save is None:
        print(_where_run_saved(default_save_path(output)), file=out)
    return 0


def _where_run_saved(default: Path) -> str:
    """The note of a ``fetch`` without ``--save``: only the default name is knowable, so say exactly that."""
    if default.is_file():
        return "collect: 'emr run' saved this full ranking here as {}".format(default)
    return ("collect: not saved (give --save FILE); 'emr run' saved it as {} in the folder it ran in, unless it was "
            "given --save FILE: EMR keeps no record of that, so this command knows only the default name".format(default))


def terminate_command(args: argparse.Namespace, out: TextIO = sys.stderr) -> int:
    """Terminate a cluster the user names (the one place this tool stops a cluster it did not create)."""
    terminate(Clients(args).emr, args.cluster_id, "asked for with emr terminate", out)
    return 0
