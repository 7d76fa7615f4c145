"""The one exception type that means "the user can fix this"."""


class UserError(Exception):
    """A problem with the user's input, options, credentials or AWS resources.

    The CLI prints its message as one line and exits non-zero, without a
    traceback; the message must name the file, key or option and the cause.
    """

    exit_code = 2
