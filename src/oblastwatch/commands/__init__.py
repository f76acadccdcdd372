"""Subcommand groups of the ``oblastwatch`` CLI, one module each."""

# Module names under oblastwatch.commands, each with register(subparsers).
COMMAND_GROUPS: tuple[str, ...] = ("data", "export", "analysis")


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""
