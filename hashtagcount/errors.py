"""The one exception type that means "the user can fix this"."""

from typing import Sequence


class UserError(Exception):
    """A problem with the user's input, options, credentials or AWS resources.

    The CLI prints its message as one line and exits non-zero, without a
    traceback; the message must name the file, key or option and the cause.
    """

    exit_code = 2


def all_problems(problems: Sequence[str]) -> UserError:
    """One error naming every problem, so a user fixes them in one go, not one run each."""
    distinct = list(dict.fromkeys(problems))
    if len(distinct) == 1:
        return UserError(distinct[0])
    return UserError("{} inputs could not be read: {}".format(len(distinct), "; ".join(distinct)))
