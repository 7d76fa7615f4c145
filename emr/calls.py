"""EMR API calls whose failures read as one line a user can act on."""

from typing import Any, Callable

from hashtagcount.errors import UserError

_ROLE_HINT = "; the default roles are created once per account with: aws emr create-default-roles"


def emr_error(what: str, error: BaseException) -> UserError:
    """A :class:`UserError` for a failed EMR request (never showing credentials)."""
    import botocore.exceptions as exc

    if isinstance(error, exc.NoCredentialsError):
        return UserError("{}: no AWS credentials found: set AWS_PROFILE or run aws configure".format(what))
    if isinstance(error, (exc.EndpointConnectionError, exc.ConnectTimeoutError, exc.ConnectionClosedError)):
        return UserError("{}: cannot reach the EMR endpoint: {}".format(what, error))
    if isinstance(error, exc.ClientError):
        info = error.response.get("Error", {})
        code = str(info.get("Code", ""))
        message = info.get("Message") or code
        hint = _ROLE_HINT if "role" in message.lower() else ""
        return UserError("{}: EMR error {}: {}{}".format(what, code, message, hint))
    return UserError("{}: {}".format(what, error))


def call(what: str, function: Callable[..., Any], **kwargs: Any) -> Any:
    """``function(**kwargs)``, turning AWS errors into a :class:`UserError` about ``what``."""
    import botocore.exceptions

    try:
        return function(**kwargs)
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        raise emr_error(what, error)
