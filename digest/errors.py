"""Errors a user can act on: printed as one line, exit code non-zero."""


class DigestError(Exception):
    """A problem with the user's input or environment, reported without a traceback."""

    exit_code = 2
