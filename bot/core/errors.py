"""Errors a command raises to answer politely instead of failing."""


class UsageError(ValueError):
    """Bad arguments: the message says what is wrong; the usage line is added by dispatch."""


class Refusal(PermissionError):
    """The user may not do this (e.g. an admin command); the message says who can."""


def require_admin(inv, what: str) -> None:
    """Raise ``Refusal`` unless the invocation comes from an admin."""
    if not inv.is_admin:
        raise Refusal(
            f"Sorry, only briefbot admins can {what}. Admins are the users listed in "
            "BRIEFBOT_ADMINS (and, where the platform has them, workspace or server admins); "
            "ask one of them."
        )
