"""The command line: `main` is the click group (console script `martechgov`)."""

from martechgov.cli.main import main

__all__ = ["main"]
