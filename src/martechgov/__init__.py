"""martechgov: governance-as-code for marketing technology procurement."""

__version__ = "0.1.0"
