"""EMR API calls whose failures read as one line a user can act on."""

from typing import Any, Callable, Dict

from hashtagcount.aws import aws_error, client_error_code
from hashtagcount.errors import UserError

_ROLE_HINT = "; the default roles are created once per account with: aws emr create-default-roles"


def emr_error(what: str, error: BaseException) -> UserError:
    """:func:`~hashtagcount.aws.aws_error` for EMR, pointing at the default roles when a role is the problem."""
    import botocore.exceptions

    user_error = aws_error(what, error, "EMR")
    if isinstance(error, botocore.exceptions.ClientError) and "role" in client_error_code(error)[1].lower():
        return UserError(str(user_error) + _ROLE_HINT)
    return user_error


def call(what: str, function: Callable[..., Any], **kwargs: Any) -> Any:
    """``function(**kwargs)``, turning AWS errors into a :class:`UserError` about ``what``."""
    import botocore.exceptions

    try:
        return function(**kwargs)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        raise emr_error(what, error)


def answer(response: Any, what: str, *path: Any) -> Any:
    """``response[path[0]][path[1]]...``, or a one-line :class:`UserError` about ``what`` if EMR left it out.

    An answer can lack a part the API model documents (moto's
    ``describe_step`` of an unknown step id has no ``Step``): a
    ``KeyError`` traceback would hide which cluster or step was asked for.
    """
    value = response
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            raise UserError("{}: EMR's answer has no {}; check the id (and --region)".format(
                what, "".join("[{!r}]".format(part) for part in path)))
    return value


def _described(response: Any, what: str, part: str) -> Dict[str, Any]:
    """The ``Cluster`` or ``Step`` of a describe answer, with the ``Id`` and ``Status.State`` every caller reads."""
    item = answer(response, what, part)
    answer(response, what, part, "Id")
    answer(response, what, part, "Status", "State")
    return item


def describe_cluster(emr: Any, cluster_id: str) -> Dict[str, Any]:
    """The ``Cluster`` EMR describes for ``cluster_id`` (state, ``LogUri``, ...)."""
    what = "describe cluster " + cluster_id
    return _described(call(what, emr.describe_cluster, ClusterId=cluster_id), what, "Cluster")


def describe_step(emr: Any, cluster_id: str, step_id: str) -> Dict[str, Any]:
    """The ``Step`` EMR describes for ``step_id`` of ``cluster_id``."""
    what = "describe step {} of cluster {}".format(step_id, cluster_id)
    return _described(call(what, emr.describe_step, ClusterId=cluster_id, StepId=step_id), what, "Step")
