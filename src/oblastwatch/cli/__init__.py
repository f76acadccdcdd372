"""The ``oblastwatch`` command line.

Each group of subcommands lives in ``oblastwatch.cli.<group>`` and exposes
``register(subparsers)``; a subcommand stores its handler as ``func`` and returns an exit code.
Errors a user can act on are raised as ``CommandError`` and printed as one line, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from oblastwatch.cli.common import CommandError

# Module names under oblastwatch.cli, each with register(subparsers).
COMMAND_GROUPS: tuple[str, ...] = ("data", "fetch", "export", "analysis", "animate", "alerts")


def build_parser() -> argparse.ArgumentParser:
    """The ``oblastwatch`` argument parser, with the subcommands of :data:`COMMAND_GROUPS`."""
    parser = argparse.ArgumentParser(
        prog="oblastwatch",
        description="Strikes on Ukraine's regions next to the diplomacy around them.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        importlib.import_module(f"oblastwatch.cli.{group}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    A :class:`CommandError` is printed as one line on stderr (status 2); a reader that closes
    the pipe early ends the command quietly (status 1).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return status
    except CommandError as error:
        print(f"oblastwatch {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`oblastwatch regions | head`): stop quietly, and point stdout
        # at devnull so the interpreter's final flush does not raise again (Python docs, signal).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
