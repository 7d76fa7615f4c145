"""The S3 and EMR clients of one ``emr`` command, with the region resolved first.

EMR is regional and botocore only finds out that no region is configured
when the first request is built, as a long ``NoRegionError`` traceback.
Resolving it here, as botocore would (``--region``, then
``AWS_DEFAULT_REGION``, then the profile), turns that into one line
before any upload or cluster.
"""

import argparse
from typing import Any, Optional

from hashtagcount.aws import client_of, session
from hashtagcount.errors import UserError


def resolve_region(aws: Any, profile: Optional[str] = None) -> str:
    """The region the boto3 session ``aws`` will use, or a :class:`UserError` saying how to give one."""
    resolved = aws.region_name
    if not resolved:
        raise UserError(
            "no AWS region configured: pass --region (e.g. --region us-east-1), set AWS_DEFAULT_REGION, "
            "or give the profile one (aws configure set region REGION{})".format(
                " --profile " + profile if profile else "")
        )
    return resolved


class Clients:
    """``s3`` and ``emr`` clients for the AWS options of ``args``: one session, its region resolved first."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._session = session(args.profile, args.region)
        self.region = resolve_region(self._session, args.profile)
        self._endpoint_url = args.endpoint_url
        self._made = {}  # type: dict

    def _client(self, service: str) -> Any:
        if service not in self._made:
            self._made[service] = client_of(self._session, service, self._endpoint_url)
        return self._made[service]

    @property
    def s3(self) -> Any:
        return self._client("s3")

    @property
    def emr(self) -> Any:
        return self._client("emr")
