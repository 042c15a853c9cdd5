"""`martechgov new`: the guided request wizard."""
