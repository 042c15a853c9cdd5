"""The one family of errors martechgov raises on purpose.

Anything in this family means "martechgov could not judge" and becomes exit code 2 with
the message in the CLI's single handler. Problems with a request file are not errors:
they are findings on an `invalid` result, and the other files are still checked.
"""

from __future__ import annotations


class MartechgovError(Exception):
    """Base of every expected failure; the message is shown to the user as is."""


class UsageError(MartechgovError):
    """The command line asks for something that cannot be done."""


class PolicyError(MartechgovError):
    """The policy library (Rego, data files, exceptions) is broken."""


class EngineError(MartechgovError):
    """The Rego engine failed, or returned something that is not a decision."""


class GitError(MartechgovError):
    """A git repository, ref or history is missing or unusable."""
