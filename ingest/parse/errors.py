"""The one error parsers raise."""


class ParseError(ValueError):
    """Nothing usable in the input; the message says why, in words for the user."""
