"""A stand-in for the GitHub CLI (`gh api ...`) and the REST API behind it.

The workflow harness puts a `gh` on PATH that runs this file. It answers from a state
file (FAKE_GITHUB_STATE) the way GitHub and `gh` do, and records every call:

- objects in GitHub's REST format (reviews, issue comments, users, pull requests, git
  refs, commits and trees), pages of 30 (`per_page`), `--paginate` printing the pages
  one after another as `gh` does (`[...][...]`), and without it only the first page;
- errors as GitHub's JSON on stdout, `gh: <message> (HTTP <status>)` on stderr, exit 1;
  no GH_TOKEN is `gh`'s own refusal (exit 4);
- each token's permissions are the job's `permissions:` (what GITHUB_TOKEN gets): a
  write without them is GitHub's 403 "Resource not accessible by integration";
- anything not implemented (a route, a flag) exits 3 so that the test fails.

Only the standard library: the stub runs in the workflow's environment.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

PER_PAGE = 30
API = "https://api.github.com"
BOT = {"login": "github-actions[bot]", "id": 41898282, "node_id": "MDM6Qm90NDE4OTgyODI=",
       "type": "Bot", "site_admin": False,
       "html_url": "https://github.com/apps/github-actions"}
FORBIDDEN = (403, {"message": "Resource not accessible by integration",
                   "documentation_url": "https://docs.github.com/rest", "status": "403"})


class Answer(Exception):
    """An HTTP answer other than 2xx."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("message", ""))
        self.status, self.body = status, body


def not_found() -> Answer:
    return Answer(404, {"message": "Not Found", "documentation_url":
                        "https://docs.github.com/rest", "status": "404"})


def invalid(message: str) -> Answer:
    return Answer(422, {"message": message, "documentation_url":
                        "https://docs.github.com/rest", "status": "422"})


def user(login: str) -> dict[str, Any]:
    return {"login": login, "id": sum(map(ord, login)) * 7919, "node_id": f"U_{login}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{login}",
            "html_url": f"https://github.com/{login}", "type": "User", "site_admin": False}


class State:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = json.loads(path.read_text())

    def save(self) -> None:
        self.path.write_text(json.dumps(self.data, indent=1))

    def next_id(self) -> int:
        self.data["next_id"] += 1
        return int(self.data["next_id"])

    def allow(self, token: str, scopes: tuple[str, ...], level: str) -> None:
        granted = self.data["tokens"].get(token)
        if granted is None:
            raise Answer(401, {"message": "Bad credentials", "status": "401"})
        rank = {"none": 0, "read": 1, "write": 2}
        if not any(rank[granted["permissions"].get(s, "none")] >= rank[level]
                   for s in scopes):
            raise Answer(*FORBIDDEN)


def handle(state: State, token: str, method: str, path: str, query: dict[str, str],
           body: Any) -> tuple[int, Any]:
    repo = state.data["repository"]
    data = state.data
    prefix = f"repos/{repo}/"
    if path.startswith("orgs/"):
        match = re.fullmatch(r"orgs/([^/]+)/teams/([^/]+)/members", path)
        if not match or method != "GET":
            raise NotImplementedError(f"{method} {path}")
        if not data["tokens"].get(token, {}).get("org_members"):
            raise Answer(*FORBIDDEN)
        members = data["teams"].get(f"{match[1]}/{match[2]}".lower())
        if members is None:
            raise not_found()
        return 200, [user(login) for login in members]
    if not path.startswith(prefix):
        raise NotImplementedError(f"{method} {path}")
    route = path[len(prefix):]
    for pattern, handler in ROUTES:
        match = re.fullmatch(pattern, f"{method} {route}")
        if match:
            return handler(state, token, match, query, body)  # type: ignore[no-any-return]
    raise NotImplementedError(f"{method} {path}")


def pull(state: State, number: str) -> dict[str, Any]:
    found = state.data["pulls"].get(number)
    if found is None:
        raise not_found()
    return found  # type: ignore[no-any-return]


def pull_json(state: State, number: str) -> dict[str, Any]:
    pr = pull(state, number)
    repo = state.data["repository"]
    return {"url": f"{API}/repos/{repo}/pulls/{number}", "number": int(number),
            "state": pr.get("state", "open"), "title": pr.get("title", ""),
            "body": pr.get("body", ""), "user": user(pr["author"]),
            "head": {"ref": pr["head_ref"], "sha": pr["head_sha"]},
            "base": {"ref": pr.get("base", "main")},
            "requested_reviewers": [user(u) for u in pr["requested_reviewers"]],
            "requested_teams": [{"slug": s, "name": s} for s in pr["requested_teams"]]}


def list_reviews(state: State, token: str, m: re.Match[str], _q: Any, _b: Any) -> Any:
    state.allow(token, ("pull-requests",), "read")
    pull(state, m[1])
    return 200, state.data["reviews"].get(m[1], [])


def request_reviewers(state: State, token: str, m: re.Match[str], _q: Any,
                      body: Any) -> Any:
    state.allow(token, ("pull-requests",), "write")
    pr = pull(state, m[1])
    people = [login.lower() for login in body.get("reviewers", [])]
    teams = body.get("team_reviewers", [])
    if pr["author"].lower() in people:
        raise invalid("Review cannot be requested from pull request author.")
    org = state.data["repository"].split("/")[0]
    if any(f"{org}/{slug}".lower() not in state.data["teams"] for slug in teams):
        raise invalid("Reviews may only be requested from collaborators. One or more of "
                      "the teams you specified is not a collaborator of the "
                      f"{state.data['repository']} repository.")
    pr["requested_reviewers"] = sorted({*pr["requested_reviewers"], *people})
    pr["requested_teams"] = sorted({*pr["requested_teams"], *teams})
    return 201, pull_json(state, m[1])


def thread(state: State, number: str) -> str:
    """Issue comments live on issues and pull requests alike; the scope differs."""
    if number in state.data["pulls"]:
        return "pull-requests"
    if number in state.data["issues"]:
        return "issues"
    raise not_found()


def list_comments(state: State, token: str, m: re.Match[str], _q: Any, _b: Any) -> Any:
    state.allow(token, (thread(state, m[1]), "issues"), "read")
    return 200, state.data["comments"].get(m[1], [])


def comment_json(repo: str, number: str, comment_id: int, body: str,
                 author: dict[str, Any], created: str, updated: str) -> dict[str, Any]:
    return {"url": f"{API}/repos/{repo}/issues/comments/{comment_id}",
            "html_url": f"https://github.com/{repo}/issues/{number}#issuecomment-{comment_id}",
            "issue_url": f"{API}/repos/{repo}/issues/{number}", "id": comment_id,
            "node_id": f"IC_{comment_id}", "user": author, "created_at": created,
            "updated_at": updated, "author_association": "NONE", "body": body}


def create_comment(state: State, token: str, m: re.Match[str], _q: Any, body: Any) -> Any:
    state.allow(token, (thread(state, m[1]), "issues"), "write")
    text = body.get("body")
    if not isinstance(text, str) or not text:
        raise invalid("Validation Failed")
    if len(text) > 65536:
        raise invalid("Body is too long (maximum is 65536 characters)")
    comment = comment_json(state.data["repository"], m[1], state.next_id(), text, BOT,
                           "2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z")
    state.data["comments"].setdefault(m[1], []).append(comment)
    return 201, comment


def update_comment(state: State, token: str, m: re.Match[str], _q: Any, body: Any) -> Any:
    for number, comments in state.data["comments"].items():
        for comment in comments:
            if comment["id"] == int(m[1]):
                state.allow(token, (thread(state, number), "issues"), "write")
                if comment["user"]["login"] != BOT["login"]:
                    raise Answer(*FORBIDDEN)
                if len(body.get("body", "")) > 65536:
                    raise invalid("Body is too long (maximum is 65536 characters)")
                comment["body"] = body["body"]
                comment["updated_at"] = "2026-11-23T11:00:00Z"
                return 200, comment
    raise not_found()


def get_issue(state: State, token: str, m: re.Match[str], _q: Any, _b: Any) -> Any:
    state.allow(token, ("issues",), "read")
    issue = state.data["issues"].get(m[1])
    if issue is None:
        raise not_found()
    return 200, issue


# --- git data and pull requests (the intake workflow) ------------------------------

def get_ref(state: State, token: str, m: re.Match[str], _q: Any, _b: Any) -> Any:
    state.allow(token, ("contents",), "read")
    sha = state.data["refs"].get(m[1])
    if sha is None:
        raise not_found()
    return 200, ref_json(state, m[1], sha)


def ref_json(state: State, name: str, sha: str) -> dict[str, Any]:
    repo = state.data["repository"]
    return {"ref": f"refs/{name}", "node_id": f"REF_{name}",
            "url": f"{API}/repos/{repo}/git/refs/{name}",
            "object": {"sha": sha, "type": "commit",
                       "url": f"{API}/repos/{repo}/git/commits/{sha}"}}


def create_ref(state: State, token: str, _m: re.Match[str], _q: Any, body: Any) -> Any:
    state.allow(token, ("contents",), "write")
    name = str(body.get("ref", ""))
    if not name.startswith("refs/heads/") or body.get("sha") not in state.data["commits"]:
        raise invalid("Reference update failed")
    if name[5:] in state.data["refs"]:
        raise invalid("Reference already exists")
    state.data["refs"][name[5:]] = body["sha"]
    return 201, ref_json(state, name[5:], body["sha"])


def update_ref(state: State, token: str, m: re.Match[str], _q: Any, body: Any) -> Any:
    state.allow(token, ("contents",), "write")
    if m[1] not in state.data["refs"]:
        raise invalid("Reference does not exist")
    if body.get("sha") not in state.data["commits"] or body.get("force") is not True:
        raise invalid("Update is not a fast forward")
    state.data["refs"][m[1]] = body["sha"]
    return 200, ref_json(state, m[1], body["sha"])


def get_commit(state: State, token: str, m: re.Match[str], _q: Any, _b: Any) -> Any:
    state.allow(token, ("contents",), "read")
    commit = state.data["commits"].get(m[1])
    if commit is None:
        raise not_found()
    return 200, {"sha": m[1], "tree": {"sha": commit["tree"]}, "message": commit["message"],
                 "parents": [{"sha": p} for p in commit["parents"]]}


def create_tree(state: State, token: str, _m: re.Match[str], _q: Any, body: Any) -> Any:
    state.allow(token, ("contents",), "write")
    files = dict(state.data["trees"].get(body.get("base_tree"), {}))
    for entry in body.get("tree", []):
        if entry.get("mode") != "100644" or entry.get("type") != "blob" or \
                not isinstance(entry.get("content"), str):
            raise NotImplementedError(f"tree entry {sorted(entry)}")
        files[entry["path"]] = entry["content"]
    sha = f"{state.next_id():040x}"
    state.data["trees"][sha] = files
    return 201, {"sha": sha, "tree": [{"path": p, "type": "blob"} for p in sorted(files)]}


def create_commit(state: State, token: str, _m: re.Match[str], _q: Any, body: Any) -> Any:
    state.allow(token, ("contents",), "write")
    if body.get("tree") not in state.data["trees"]:
        raise invalid("Tree SHA does not exist")
    sha = f"{state.next_id():040x}"
    state.data["commits"][sha] = {"tree": body["tree"], "message": body.get("message", ""),
                                  "parents": body.get("parents", [])}
    return 201, {"sha": sha, "tree": {"sha": body["tree"]}}


def list_pulls(state: State, token: str, _m: re.Match[str], query: dict[str, str],
               _b: Any) -> Any:
    state.allow(token, ("pull-requests",), "read")
    owner = state.data["repository"].split("/")[0]
    found = [pull_json(state, n) for n, pr in sorted(state.data["pulls"].items())
             if query.get("state", "open") in (pr.get("state", "open"), "all")
             and ("head" not in query or query["head"] == f"{owner}:{pr['head_ref']}")]
    return 200, found


def create_pull(state: State, token: str, _m: re.Match[str], _q: Any, body: Any) -> Any:
    state.allow(token, ("pull-requests",), "write")
    if f"heads/{body.get('head')}" not in state.data["refs"]:
        raise invalid("Validation Failed")
    number = str(state.next_id())
    state.data["pulls"][number] = {
        "author": BOT["login"], "head_ref": body["head"], "base": body.get("base"),
        "head_sha": state.data["refs"][f"heads/{body['head']}"], "title": body.get("title"),
        "body": body.get("body"), "requested_reviewers": [], "requested_teams": []}
    return 201, pull_json(state, number)


def update_pull(state: State, token: str, m: re.Match[str], _q: Any, body: Any) -> Any:
    state.allow(token, ("pull-requests",), "write")
    pr = pull(state, m[1])
    pr.update({k: body[k] for k in ("title", "body") if k in body})
    return 200, pull_json(state, m[1])


ROUTES = [
    (r"GET pulls/(\d+)/reviews", list_reviews),
    (r"POST pulls/(\d+)/requested_reviewers", request_reviewers),
    (r"GET issues/(\d+)/comments", list_comments),
    (r"POST issues/(\d+)/comments", create_comment),
    (r"PATCH issues/comments/(\d+)", update_comment),
    (r"GET issues/(\d+)", get_issue),
    (r"GET git/ref/(heads/.+)", get_ref),
    (r"POST git/refs", create_ref),
    (r"PATCH git/refs/(heads/.+)", update_ref),
    (r"GET git/commits/([0-9a-f]{40})", get_commit),
    (r"POST git/trees", create_tree),
    (r"POST git/commits", create_commit),
    (r"GET pulls", list_pulls),
    (r"POST pulls", create_pull),
    (r"PATCH pulls/(\d+)", update_pull),
]


# --- the test side: set the state up and read it back -------------------------------

class FakeGitHub:
    """The state file the stub answers from; tests arrange it and read the calls."""

    def __init__(self, path: Path, repository: str = "example-org/marketing") -> None:
        self.path = path
        self.repository = repository
        if not path.exists():
            path.write_text(json.dumps({
                "repository": repository, "next_id": 1000, "tokens": {}, "pulls": {},
                "reviews": {}, "comments": {}, "issues": {}, "teams": {}, "refs": {},
                "commits": {}, "trees": {}, "calls": []}))

    @property
    def data(self) -> dict[str, Any]:
        return State(self.path).data

    def _change(self, change: Callable[[dict[str, Any]], None]) -> None:
        state = State(self.path)
        change(state.data)
        state.save()

    def grant(self, token: str, job: str, permissions: dict[str, str],
              org_members: bool = False) -> None:
        def change(data: dict[str, Any]) -> None:
            data["tokens"][token] = {"job": job, "permissions": permissions,
                                     "org_members": org_members}
        self._change(change)

    def open_pull(self, number: int, author: str, head_sha: str, head_ref: str = "pr") -> None:
        def change(data: dict[str, Any]) -> None:
            data["pulls"][str(number)] = {"author": author, "head_sha": head_sha,
                                          "head_ref": head_ref, "requested_reviewers": [],
                                          "requested_teams": []}
        self._change(change)

    def review(self, number: int, login: str, state: str, commit_id: str) -> None:
        def change(data: dict[str, Any]) -> None:
            reviews = data["reviews"].setdefault(str(number), [])
            review_id = 80 + len(reviews)
            repo = data["repository"]
            reviews.append({
                "id": review_id, "node_id": f"PRR_{review_id}", "user": user(login),
                "body": "", "state": state,
                "html_url": f"https://github.com/{repo}/pull/{number}#pullrequestreview-"
                            f"{review_id}",
                "pull_request_url": f"{API}/repos/{repo}/pulls/{number}",
                "author_association": "MEMBER", "commit_id": commit_id,
                **({} if state == "PENDING" else
                   {"submitted_at": f"2026-11-23T09:{len(reviews):02d}:00Z"})})
        self._change(change)

    def team(self, ref: str, members: list[str]) -> None:
        self._change(lambda data: data["teams"].__setitem__(ref.lower(), members))

    def comment(self, number: int, login: str, body: str) -> None:
        """Someone else's comment on the thread."""
        def change(data: dict[str, Any]) -> None:
            data["next_id"] += 1
            data["comments"].setdefault(str(number), []).append(
                comment_json(data["repository"], str(number), data["next_id"], body,
                             user(login), "2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z"))
        self._change(change)

    def issue(self, number: int, issue: dict[str, Any]) -> None:
        self._change(lambda data: data["issues"].__setitem__(str(number), issue))

    def branch(self, name: str, sha: str, files: dict[str, str]) -> None:
        """A branch whose head commit `sha` holds `files`."""
        def change(data: dict[str, Any]) -> None:
            tree = f"{len(data['trees']) + 1:040x}"
            data["trees"][tree] = files
            data["commits"][sha] = {"tree": tree, "message": "base", "parents": []}
            data["refs"][f"heads/{name}"] = sha
        self._change(change)

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        return [c for c in self.data["calls"] if method in (None, c["method"])]

    def comments(self, number: int) -> list[dict[str, Any]]:
        return list(self.data["comments"].get(str(number), []))

    def files_on(self, branch: str) -> dict[str, str]:
        data = self.data
        commit = data["commits"][data["refs"][f"heads/{branch}"]]
        return dict(data["trees"][commit["tree"]])


# --- the command line -------------------------------------------------------------

def parse_args(args: list[str]) -> dict[str, Any]:
    if not args or args[0] != "api":
        raise NotImplementedError(f"gh {' '.join(args[:1])}")
    parsed: dict[str, Any] = {"method": None, "paginate": False, "input": None,
                              "fields": {}, "endpoint": None}
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("--method", "-X"):
            parsed["method"] = next(rest).upper()
        elif arg == "--paginate":
            parsed["paginate"] = True
        elif arg == "--input":
            parsed["input"] = next(rest)
        elif arg in ("-f", "--raw-field"):
            key, _, value = next(rest).partition("=")
            parsed["fields"][key] = value
        elif arg in ("-F", "--field"):
            key, _, value = next(rest).partition("=")
            parsed["fields"][key] = {"true": True, "false": False}.get(value, value)
        elif arg in ("-H", "--header"):
            next(rest)
        elif arg.startswith("-") or parsed["endpoint"] is not None:
            raise NotImplementedError(f"gh api {arg}")
        else:
            parsed["endpoint"] = arg
    return parsed


def request(args: list[str], environ: dict[str, str],
            stdin: Callable[[], str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `gh <args>`."""
    token = environ.get("GH_TOKEN") or environ.get("GITHUB_TOKEN")
    if not token:
        return 4, "", ("gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN "
                       "environment variable. Example:\n  env:\n    GH_TOKEN: "
                       "${{ github.token }}\n")
    parsed = parse_args(args)
    path, _, query_text = parsed["endpoint"].lstrip("/").partition("?")
    query = dict(part.partition("=")[::2] for part in query_text.split("&") if part)
    body: Any = None
    if parsed["input"] is not None:
        text = stdin() if parsed["input"] == "-" else Path(parsed["input"]).read_text()
        body = json.loads(text)
    elif parsed["fields"]:
        body = parsed["fields"]
    method = parsed["method"] or ("POST" if body is not None else "GET")
    if method == "GET" and body:
        query.update({k: str(v) for k, v in body.items()})
        body = None
    state = State(Path(environ["FAKE_GITHUB_STATE"]))
    call = {"method": method, "path": path, "query": query, "body": body,
            "job": state.data["tokens"].get(token, {}).get("job")}
    state.data["calls"].append(call)
    try:
        status, answer = handle(state, token, method, path, query, body or {})
    except Answer as error:
        call["status"] = error.status
        state.save()
        return 1, json.dumps(error.body), f"gh: {error.body['message']} (HTTP {error.status})\n"
    call["status"] = status
    state.save()
    if isinstance(answer, list):
        pages = [answer[i:i + PER_PAGE] for i in range(0, len(answer), PER_PAGE)] or [[]]
        return 0, "".join(json.dumps(p) for p in (pages if parsed["paginate"] else pages[:1])), ""
    return 0, json.dumps(answer), ""


def main() -> int:
    try:
        code, out, err = request(sys.argv[1:], dict(os.environ), sys.stdin.read)
    except NotImplementedError as missing:
        print(f"fakegh: not implemented: {missing}", file=sys.stderr)
        return 3
    sys.stdout.write(out)
    sys.stderr.write(err)
    return code


if __name__ == "__main__":
    sys.exit(main())
