"""Files named on the command line: bounded reads, a UsageError naming the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from martechgov.errors import UsageError
from martechgov.userfiles import read_limited


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "reviews.json"
    path.write_bytes(b"x" * 10)
    assert read_limited(path, 10) == b"x" * 10


def test_a_bigger_file_is_refused_saying_what_it_cannot_be(tmp_path: Path) -> None:
    path = tmp_path / "reviews.json"
    path.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(UsageError, match=r"reviews.json is larger than 2 MiB; not reviews$"):
        read_limited(path, 2 * 1024 * 1024, too_big="not reviews")


def test_an_endless_file_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    link = tmp_path / "zero.json"
    os.symlink("/dev/zero", link)  # a user's own path may be a link: never read without end
    with pytest.raises(UsageError, match="larger than 1,000 bytes"):
        read_limited(link, 1000)


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the sign-offs .*missing.json: No such"):
        read_limited(tmp_path / "missing.json", 10, "the sign-offs")
