"""boto3 clients configured the way the AWS CLI is: profile, region, endpoint.

Credentials come only from boto3's default chain (environment, shared
config, SSO, instance role); nothing here ever reads or prints them.
"""

import ipaddress
import re
from typing import Any, Dict, Iterator, Optional, Sequence, Tuple

from .errors import UserError


def session_client(
    service: str,
    profile: Optional[str] = None,
    region: Optional[str] = None,
    endpoint_url: Optional[str] = None,
) -> Any:
    """A boto3 client for ``service`` on a new :func:`session` (see :func:`client_of`)."""
    return client_of(session(profile, region), service, endpoint_url)


def client_of(aws: Any, service: str, endpoint_url: Optional[str] = None) -> Any:
    """A client for ``service`` from the boto3 session ``aws``, configured as every client here is.

    S3 uses path-style addressing so bucket names with dots work over
    HTTPS (virtual-hosted names with dots break the TLS certificate match)
    and so do S3-compatible endpoints given with ``endpoint_url``.
    """
    from botocore.config import Config

    config = Config(
        s3={"addressing_style": "path"},
        retries={"max_attempts": 5, "mode": "standard"},
    )
    return aws.client(service, endpoint_url=endpoint_url, config=config)


def session(profile: Optional[str] = None, region: Optional[str] = None) -> Any:
    """A boto3 session on the default credential chain, or a :class:`UserError` naming a missing profile."""
    import boto3
    import botocore.exceptions

    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except botocore.exceptions.ProfileNotFound:
        raise UserError("AWS profile {!r} is not in your AWS config files".format(profile))


def parse_s3_uri(uri: str) -> Tuple[str, str]:
    """Split ``s3://bucket/key/prefix`` into ``(bucket, key)``."""
    if not uri.startswith("s3://"):
        raise UserError("{!r} is not an S3 URI (expected s3://bucket/prefix)".format(uri))
    bucket, _, key = uri[5:].partition("/")
    if not bucket:
        raise UserError("{!r} names no bucket (expected s3://bucket/prefix)".format(uri))
    return bucket, key


_DENIED = {
    "AccessDenied", "AccessDeniedException", "403", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch",
    "ExpiredToken", "InvalidToken", "AllAccessDisabled", "AccountProblem",
}


def aws_error(what: str, error: BaseException, service: str) -> UserError:
    """One line for a user about a failed ``service`` request on ``what`` (never the credentials)."""
    import botocore.exceptions as exc

    if isinstance(error, exc.NoCredentialsError):
        return UserError("{}: no AWS credentials found: set AWS_PROFILE or run aws configure".format(what))
    if isinstance(error, (exc.EndpointConnectionError, exc.ConnectTimeoutError, exc.ConnectionClosedError)):
        return UserError("{}: cannot reach the {} endpoint: {}".format(what, service, error))
    if isinstance(error, exc.ClientError):
        code, message = client_error_code(error)
        if code in _DENIED:
            return UserError("{}: access denied ({}: {})".format(what, code, message))
        return UserError("{}: {} error {}: {}".format(what, service, code, message))
    return UserError("{}: {}".format(what, error))


def client_error_code(error: Any) -> Tuple[str, str]:
    """The ``(code, message)`` AWS sent back with a ``ClientError``."""
    info = error.response.get("Error", {})
    code = str(info.get("Code", ""))
    return code, info.get("Message") or code


# What S3 answers for a missing key (a HEAD request has no body, so only its status: 404).
NOT_FOUND_CODES = ("NoSuchKey", "404", "NotFound")


def s3_error(uri: str, error: BaseException) -> UserError:
    """:func:`aws_error` for S3, naming a missing bucket or object plainly."""
    import botocore.exceptions as exc

    if isinstance(error, exc.ClientError):
        code, _ = client_error_code(error)
        if code == "NoSuchBucket":
            return UserError("{}: no such bucket {!r}".format(uri, parse_s3_uri(uri)[0]))
        if code in NOT_FOUND_CODES:
            return UserError("{}: no such object".format(uri))
    return aws_error(uri, error, "S3")


def list_objects(client: Any, bucket: str, prefix: str = "", name: Optional[str] = None) -> Iterator[Dict[str, Any]]:
    """Every object under ``prefix`` in ``bucket``, as ``list_objects_v2`` items, page by page.

    The one S3 listing of the project; a failure is a :class:`UserError`
    (see :func:`s3_error`) naming ``name``, by default ``s3://bucket/prefix``.
    """
    import botocore.exceptions

    paginator = client.get_paginator("list_objects_v2")
    try:
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", ()):
                yield item
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
        raise s3_error(name or "s3://{}/{}".format(bucket, prefix), error)


_ALLOWED = re.compile(r"[a-z0-9.-]+")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def bucket_name_problem(name: str) -> Optional[str]:
    """The S3 bucket naming rule ``name`` breaks, or None when it is valid."""
    if not 3 <= len(name) <= 63:
        return "it must be 3 to 63 characters long (it has {})".format(len(name))
    if not _ALLOWED.fullmatch(name):
        bad = sorted(set(re.sub(r"[a-z0-9.-]", "", name)))
        return "only lowercase letters, digits, hyphens and dots are allowed (found {})".format(
            " ".join(repr(c) for c in bad)
        )
    if ".." in name:
        return "it must not contain two adjacent dots"
    for label in name.split("."):
        if not (label[:1].isalnum() and label[-1:].isalnum()):
            return "each dot-separated label must start and end with a letter or digit ({!r} does not)".format(label)
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        return "it must not be formatted as an IP address"
    for prefix in _RESERVED_PREFIXES:
        if name.startswith(prefix):
            return "it must not start with the reserved prefix {!r}".format(prefix)
    for suffix in _RESERVED_SUFFIXES:
        if name.endswith(suffix):
            return "it must not end with the reserved suffix {!r}".format(suffix)
    return None


def invalid_bucket(uri: str) -> Optional[str]:
    """``URI: invalid bucket name 'X': RULE`` when the bucket of ``uri`` breaks a naming rule, else None."""
    bucket, _ = parse_s3_uri(uri)
    problem = bucket_name_problem(bucket)
    if problem:
        return "{}: invalid bucket name {!r}: {}".format(uri, bucket, problem)
    return None


def check_bucket_names(locations: Sequence[Any]) -> None:
    """Raise for the first ``(option, s3 uri)`` whose bucket name breaks a rule."""
    for option, uri in locations:
        problem = invalid_bucket(uri)
        if problem:
            raise UserError("{} {}".format(option, problem))
