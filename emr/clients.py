"""The S3 and EMR clients of one ``emr`` command, with the region resolved first.

EMR is regional and botocore only finds out that no region is configured
when the first request is built, as a long ``NoRegionError`` traceback.
Resolving it here, as botocore would (``--region``, then
``AWS_DEFAULT_REGION``, then the profile), turns that into one line
before any upload or cluster.
"""

import argparse
from typing import Any

from hashtagcount.aws import session, session_client
from hashtagcount.errors import UserError


def resolve_region(profile: Any = None, region: Any = None) -> str:
    """The region boto3 will use, or a :class:`UserError` saying how to give one."""
    resolved = session(profile, region).region_name
    if not resolved:
        raise UserError(
            "no AWS region configured: pass --region (e.g. --region us-east-1), set AWS_DEFAULT_REGION, "
            "or give the profile one (aws configure set region REGION{})".format(
                " --profile " + profile if profile else "")
        )
    return resolved


class Clients:
    """``s3`` and ``emr`` clients for the AWS options of ``args``, made only after the region resolved."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.region = resolve_region(args.profile, args.region)
        self._args = args
        self._made = {}  # type: dict

    def _client(self, service: str) -> Any:
        if service not in self._made:
            args = self._args
            self._made[service] = session_client(service, args.profile, self.region, args.endpoint_url)
        return self._made[service]

    @property
    def s3(self) -> Any:
        return self._client("s3")

    @property
    def emr(self) -> Any:
        return self._client("emr")
