"""The command line: `main` is the click group (console script `martechgov`)."""

import os

# martechgov uses no pydantic plugins; looking for them would scan every installed
# package's metadata at each start (about a tenth of a one-file check's time).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from martechgov.cli.main import main  # noqa: E402

__all__ = ["main"]
