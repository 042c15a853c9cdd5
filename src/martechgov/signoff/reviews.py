"""GitHub's answers as its REST API returns them: a pull request's reviews
(`GET /repos/{owner}/{repo}/pulls/{number}/reviews`) and a team's members
(`GET /orgs/{org}/teams/{team_slug}/members`).

Both are lists, served in pages. A file may hold one list, the pages `gh api --paginate`
prints one after another (`[...][...]`), or the outer list `--slurp` wraps them in
(`[[...], [...]]`). Anything else (GitHub's error object, a truncated download, an unknown
review state) is an error: nothing is signed off on input we do not understand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from martechgov.errors import UsageError
from martechgov.userfiles import read_limited

MAX_BYTES = 32 * 1024 * 1024  # about 10,000 reviews; a real pull request has dozens

M = TypeVar("M", bound=BaseModel)
ReviewState = Literal["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]


class GithubUser(BaseModel):
    """A "simple user": GitHub sends many more fields, only the login matters here."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    login: str = Field(min_length=1, max_length=100)


class Review(BaseModel):
    """One pull-request review, as GitHub's REST API returns it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: int
    user: GithubUser | None  # null when the account was deleted
    state: ReviewState
    commit_id: str | None  # null when the commit is gone from the repository
    submitted_at: AwareDatetime | None = None  # absent while a review is PENDING

    @property
    def login(self) -> str | None:
        """The reviewer's login in lower case (GitHub logins ignore case)."""
        return self.user.login.lower() if self.user is not None else None


def read_reviews(path: Path) -> list[Review]:
    """The reviews in `path`, in the order GitHub listed them."""
    reviews = [_validated(Review, item, path, f"review {n}")
               for n, item in enumerate(read_pages(path, "reviews"), start=1)]
    for n, review in enumerate(reviews, start=1):
        if review.state != "PENDING" and review.submitted_at is None:
            raise UsageError(f"{path}: review {n} (id {review.id}) is {review.state} but "
                             "has no `submitted_at`; is this GitHub's list of reviews?")
    return reviews


def read_members(path: Path) -> frozenset[str]:
    """The logins (lower case) in a team's member list."""
    return frozenset(_validated(GithubUser, item, path, f"member {n}").login.lower()
                     for n, item in enumerate(read_pages(path, "team members"), start=1))


def read_pages(path: Path, what: str) -> list[Any]:
    """Every item of every page in `path`, in order."""
    items: list[Any] = []
    for page in _documents(path, what):
        if isinstance(page, dict) and "message" in page:
            raise UsageError(f"{path}: GitHub answered with an error instead of the "
                             f"{what}: {str(page['message'])[:200]}")
        if not isinstance(page, list):
            raise UsageError(f"{path}: expected GitHub's list of {what} (a JSON array), "
                             f"found a JSON {type(page).__name__}")
        if page and all(isinstance(item, list) for item in page):  # gh api --slurp
            items.extend(item for inner in page for item in inner)
        else:
            items.extend(page)
    return items


def _documents(path: Path, what: str) -> list[Any]:
    text = _text(path)
    decoder = json.JSONDecoder()
    documents: list[Any] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position == len(text):
            break
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON "
                             f"({exc.msg}); expected GitHub's list of {what}") from None
        except RecursionError:
            raise UsageError(f"{path}: JSON nested too deeply to be GitHub's list of "
                             f"{what}") from None
        documents.append(document)
    if not documents:
        raise UsageError(f"{path} is empty; expected GitHub's list of {what}")
    return documents


def _text(path: Path) -> str:
    raw = read_limited(path, MAX_BYTES,
                       too_big="that is not a pull request's reviews or a team's members")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _validated(model: type[M], item: Any, path: Path, label: str) -> M:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"]) or "the item"
        raise UsageError(f"{path}: {label}: `{where}`: {error['msg']}; is this GitHub's "
                         f"JSON?") from None
