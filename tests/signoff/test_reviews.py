"""Reading GitHub's review and team-member lists as its REST API and `gh api` give them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from martechgov.errors import UsageError
from martechgov.signoff import reviews as reviews_module
from martechgov.signoff.reviews import read_members, read_pages, read_reviews

from .conftest import FIXTURES, HEAD_SHA


def test_reviews_keep_what_sign_off_needs() -> None:
    first, second = read_reviews(FIXTURES / "approved-then-changes-requested.json")
    assert (first.id, first.login, first.state, first.commit_id) == (
        2101, "example-dpo", "APPROVED", HEAD_SHA)
    assert first.submitted_at is not None and first.submitted_at < second.submitted_at  # type: ignore[operator]
    assert second.state == "CHANGES_REQUESTED"


def test_pending_reviews_have_no_submission_time_and_deleted_accounts_no_user() -> None:
    pending = read_reviews(FIXTURES / "approved-then-commented.json")[-1]
    assert (pending.state, pending.submitted_at) == ("PENDING", None)
    ghost = read_reviews(FIXTURES / "deleted-account.json")[0]
    assert (ghost.user, ghost.login) == (None, None)


def test_pages_back_to_back_and_slurped_pages_give_the_same_items(tmp_path: Path) -> None:
    items = read_pages(FIXTURES / "everyone-approves.json", "reviews")  # [..][..]
    assert [item["id"] for item in items] == [2101, 2102, 2104, 2105, 2106]
    pages = (FIXTURES / "everyone-approves.json").read_text()
    slurped = tmp_path / "slurped.json"
    decoder = json.JSONDecoder()
    first, end = decoder.raw_decode(pages)
    second, _ = decoder.raw_decode(pages[end:].lstrip())
    slurped.write_text(json.dumps([first, second]))
    assert read_pages(slurped, "reviews") == items
    assert read_members(FIXTURES / "members-it-architecture-slurped.json") == read_members(
        FIXTURES / "members-it-architecture.json") == {"ines-arch", "example-ciso"}


def test_no_reviews_yet_is_an_empty_list() -> None:
    assert read_reviews(FIXTURES / "no-reviews.json") == []


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty; expected GitHub's list of reviews"),
    (b"  \n", "is empty"),
    (b'{"id": 1}', "expected GitHub's list of reviews (a JSON array), found a JSON dict"),
    (b"[1, 2]", "review 1: `the item`: Input should be a valid dictionary"),
    (b"[[1]", ":1:5: not valid JSON"),
    (b"\xff\xfe[]", "not UTF-8 text (byte 0)"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'[{"id": 3, "user": {"login": "a"}, "state": "APPROVED", "commit_id": null}]',
     "review 1 (id 3) is APPROVED but has no `submitted_at`"),
    (b'[{"id": 3, "user": {"login": "a"}, "state": "APPROVED", "commit_id": null, '
     b'"submitted_at": "2026-11-24T09:12:40"}]', "`submitted_at`: Input should have timezone"),
])
def test_anything_else_is_an_error_with_the_file_name(tmp_path: Path, content: bytes,
                                                      message: str) -> None:
    path = tmp_path / "reviews.json"
    path.write_bytes(content)
    with pytest.raises(UsageError) as caught:
        read_reviews(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_a_file_too_big_to_be_reviews_is_refused_without_reading_it_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reviews_module, "MAX_BYTES", 1024)
    path = tmp_path / "reviews.json"
    path.write_text("[" + " " * 2048 + "]")
    with pytest.raises(UsageError, match="larger than"):
        read_reviews(path)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        read_members(tmp_path / "nope.json")


def test_members_must_be_users(tmp_path: Path) -> None:
    path = tmp_path / "members.json"
    path.write_text('[{"name": "Legal", "slug": "legal"}]')  # a list of teams, not members
    with pytest.raises(UsageError, match="member 1: `login`: Field required"):
        read_members(path)
