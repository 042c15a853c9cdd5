"""Run our GitHub workflows and composite action locally, the way GitHub runs them.

The workflow files are read as they are. `${{ }}` expressions are evaluated from a
fixture event (tests/ci/expressions.py); `if:` is honoured; `env`, `working-directory`
and `defaults.run.shell` apply; every `run:` step is a real bash process with GitHub's
shell semantics: `bash -e {0}` when no shell is named, `bash --noprofile --norc -eo
pipefail {0}` for `shell: bash`. Each step gets its own GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, GITHUB_ENV and GITHUB_PATH files, read back as the runner does,
and RUNNER_TEMP. `uses:` steps are replaced by their local effect:

- actions/checkout: a clone of the test repository (full history, so `origin/<base>`
  exists), checked out at the pull request's head;
- actions/setup-python: a Python on PATH, the session's throwaway venv (created once,
  `--system-site-packages`, martechgov's dependencies from the test environment,
  martechgov itself NOT installed: the workflow's install step must do that, from the
  base branch's worktree, and does so before every run);
- github/codeql-action/upload-sarif: recorded (and failing when asked to, as on a
  repository without code scanning).

GitHub itself is tests/ci/fakegh.py: a `gh` on PATH answering from a state file
(`FakeGitHub`) in GitHub's REST format and recording every call. Each job gets its own
`github.token`, granted exactly the job's `permissions:` (read-only for a pull request
from a fork, as GitHub does); `secrets` are what the test passes. `run_jobs` runs every
job of a workflow in the order of their `needs`, each on a fresh "runner" (workspace,
temp and home), with job `if:`, `outputs` and the `needs` context.

The one deviation from GitHub: pip runs offline (PIP_NO_INDEX, PIP_NO_DEPS,
PIP_NO_BUILD_ISOLATION=0 in the environment), which the session venv makes possible.
Anything the harness does not implement (another action, a job key, an expression
function) is an error, never skipped.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..gitutil import git
from .expressions import Evaluator, Status
from .fakegh import FakeGitHub
from .runner import Command, commands

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
SHELLS = {None: ["bash", "-e"], "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"],
          "sh": ["sh", "-e"]}
STEP_KEYS = {"name", "id", "if", "uses", "with", "run", "shell", "env", "working-directory",
             "continue-on-error", "timeout-minutes"}
JOB_KEYS = {"name", "runs-on", "permissions", "env", "steps", "defaults", "timeout-minutes",
            "concurrency", "needs", "if", "outputs"}
FAKE_GH = Path(__file__).with_name("fakegh.py")
REPOSITORY = "example-org/marketing"
OFFLINE_PIP = {"PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1", "PIP_NO_BUILD_ISOLATION": "0",
               "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1",
               "PIP_QUIET": "1", "PIP_NO_COMPILE": "1"}


class HarnessError(Exception):
    """The workflow uses something the harness does not implement."""


@dataclass
class StepRun:
    name: str
    outcome: str  # success, failure or skipped
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    continue_on_error: bool = False


@dataclass
class Run:
    steps: list[StepRun] = field(default_factory=list)
    summary: str = ""
    uploads: list[dict[str, str]] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # the job's `outputs`
    skipped: bool = False  # the job's `if:` was false

    @property
    def conclusion(self) -> str:
        if self.skipped:
            return "skipped"
        failed = any(s.outcome == "failure" and not s.continue_on_error for s in self.steps)
        return "failure" if failed else "success"

    def step(self, prefix: str) -> StepRun:
        [found] = [s for s in self.steps if s.name.startswith(prefix)]
        return found

    @property
    def log(self) -> str:
        return "".join(s.stdout + s.stderr for s in self.steps)

    @property
    def annotations(self) -> list[Command]:
        """What the runner would show: the annotations in every step's log."""
        return [c for s in self.steps for c in commands(s.stdout + s.stderr)
                if c.name in ("error", "warning", "notice")]

    def explain(self) -> str:
        return "\n".join(f"--- {s.name}: {s.outcome} ({s.exit_code})\n{s.stdout}{s.stderr}"
                         for s in self.steps)


@dataclass
class Event:
    """The fixture event: what `github.*` and the event payload say."""

    name: str  # pull_request, pull_request_review, issues, schedule, push, ...
    head: str  # the commit checked out
    base_ref: str = ""
    number: int = 1
    action: str = ""
    author: str = "marta-mkt"  # who opened the pull request
    author_type: str = "User"  # or "Bot" (a pull request the intake workflow opened)
    head_ref: str = "pr"  # the pull request's branch
    head_sha: str = ""  # the pull request's head commit; default: `head`
    fork: bool = False  # a pull request from a fork: read-only tokens
    review: dict[str, Any] | None = None  # pull_request_review: the review
    issue: dict[str, Any] | None = None  # issues: the issue

    def payload(self) -> dict[str, Any]:
        repository = {"full_name": REPOSITORY, "default_branch": "main"}
        if self.name in ("pull_request", "pull_request_review"):
            head_repo = "marta-mkt/marketing" if self.fork else REPOSITORY
            pull = {"number": self.number, "base": {"ref": self.base_ref},
                    "head": {"sha": self.head_sha or self.head, "ref": self.head_ref,
                             "repo": {"full_name": head_repo}},
                    "user": {"login": self.author, "type": self.author_type}}
            payload = {"action": self.action or ("submitted" if self.review else "opened"),
                       "number": self.number, "pull_request": pull,
                       "repository": repository}
            if self.review is not None:
                payload["review"] = self.review
            return payload
        if self.name == "issues":
            return {"action": self.action or "opened", "issue": self.issue,
                    "repository": repository}
        return {"repository": repository}

    def context(self, workspace: Path) -> dict[str, Any]:
        pull_request = self.name == "pull_request"
        return {"event_name": self.name, "event": self.payload(),
                # github.base_ref is set for pull_request (and _target) events only
                "base_ref": self.base_ref if pull_request else "",
                "workspace": str(workspace), "sha": self.head, "repository": REPOSITORY,
                "server_url": "https://github.com", "run_id": "4242",
                "ref": (f"refs/pull/{self.number}/merge"
                        if self.name.startswith("pull_request") else "refs/heads/main")}


class Harness:
    def __init__(self, tmp: Path, repo: Path, python_bin: Path,
                 upload_fails: bool = False, github: FakeGitHub | None = None,
                 secrets: dict[str, str] | None = None) -> None:
        self.tmp = tmp
        self.repo = repo
        self.python_bin = python_bin
        self.upload_fails = upload_fails
        tmp.mkdir(parents=True)
        self.github = github or FakeGitHub(tmp / "github-state.json")
        self.secrets = dict(secrets or {})
        self.tokens: list[str] = []  # every github.token handed out
        self.gh_bin = tmp / "gh-bin"
        self.gh_bin.mkdir()
        (self.gh_bin / "gh").write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_GH}" "$@"\n')
        (self.gh_bin / "gh").chmod(0o755)
        self._new_runner("job")

    def _new_runner(self, job: str) -> None:
        """A fresh runner for a job: workspace, temp, home, no martechgov installed."""
        root = self.tmp / job
        self.workspace = root / "work" / "marketing"
        self.temp = root / "runner-temp"
        self.home = root / "home"
        for folder in (self.workspace, self.temp, self.home):  # empty, as on GitHub
            folder.mkdir(parents=True, exist_ok=True)
        self.run = Run()
        self.env: dict[str, str] = {}  # from GITHUB_ENV
        self.path: list[str] = []  # from GITHUB_PATH and setup-python
        self.status = Status()
        self.steps_context: dict[str, Any] = {}
        self.token = ""
        self._forget_martechgov()

    def run_jobs(self, path: Path, event: Event,
                 env_overrides: dict[str, str] | None = None) -> dict[str, Run]:
        """Every job of the workflow, in the order of their `needs`."""
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        runs: dict[str, Run] = {}
        pending = list(doc["jobs"])
        while pending:
            ready = [j for j in pending if set(_needs(doc["jobs"][j])) <= set(runs)]
            if not ready:
                raise HarnessError(f"jobs whose needs cannot be met: {pending}")
            job = ready[0]
            runs[job] = self.run_workflow(path, job, event, env_overrides, runs)
            pending.remove(job)
        return runs

    def run_workflow(self, path: Path, job: str, event: Event,
                     env_overrides: dict[str, str] | None = None,
                     needs: dict[str, Run] | None = None) -> Run:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = doc["jobs"][job]
        unknown = set(spec) - JOB_KEYS
        if unknown:
            raise HarnessError(f"job keys not implemented: {sorted(unknown)}")
        self._new_runner(job)
        self.event = event
        self._grant(job, spec.get("permissions", doc.get("permissions", {})))
        needed = {name: {"result": run.conclusion, "outputs": run.outputs}
                  for name, run in (needs or {}).items() if name in _needs(spec)}
        if set(needed) != set(_needs(spec)):
            raise HarnessError(f"{job} needs {_needs(spec)}: run them first (run_jobs)")
        defaults = {**doc.get("defaults", {}).get("run", {}),
                    **spec.get("defaults", {}).get("run", {})}
        contexts = self._contexts(inputs={}, action_path=None)
        contexts["needs"] = needed
        if event.fork:  # GitHub passes no secrets to a workflow run from a fork
            contexts["secrets"] = {"GITHUB_TOKEN": self.token}
        job_status = Status(failed=any(n["result"] != "success" for n in needed.values()))
        if not Evaluator(contexts, job_status, self.workspace).condition(spec.get("if")):
            self.run.skipped = True
            return self.run
        evaluator = Evaluator(contexts, self.status, self.workspace)
        base_env = {k: evaluator.substitute(v)
                    for k, v in {**doc.get("env", {}), **spec.get("env", {})}.items()}
        base_env.update(env_overrides or {})
        for step in spec["steps"]:
            self._step(step, contexts, base_env, defaults)
        contexts["env"] = base_env
        self.run.outputs = {name: evaluator.substitute(value)
                            for name, value in spec.get("outputs", {}).items()}
        return self.run

    def _grant(self, job: str, permissions: dict[str, str] | str) -> None:
        """This job's GITHUB_TOKEN: the job's permissions, read-only from a fork."""
        if not isinstance(permissions, dict):
            raise HarnessError("permissions must be a mapping (least privilege)")
        if self.event.fork:
            permissions = {scope: "read" if level == "write" else level
                           for scope, level in permissions.items()}
        self.token = "ghs_" + secrets.token_hex(18)
        self.tokens.append(self.token)
        self.github.grant(self.token, job, dict(permissions))

    def run_action(self, path: Path, action_path: Path, inputs: dict[str, str],
                   event: Event) -> Run:
        """A job that checks out the repository and uses the composite action."""
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["runs"]["using"] == "composite"
        self._new_runner("action")
        self.event = event
        self._grant("action", {"contents": "read"})
        self._checkout({"fetch-depth": 0})
        self.run.steps.append(StepRun("checkout", "success"))
        contexts = self._contexts(inputs={}, action_path=action_path)
        evaluator = Evaluator(contexts, self.status, self.workspace)
        contexts["inputs"] = {name: evaluator.substitute(spec.get("default", ""))
                              for name, spec in doc.get("inputs", {}).items()}
        contexts["inputs"].update(inputs)
        for step in doc["runs"]["steps"]:
            if "run" in step and "shell" not in step:
                raise HarnessError("a composite action's run step must name its shell")
            self._step(step, contexts, {}, {})
        return self.run

    def _contexts(self, inputs: dict[str, str], action_path: Path | None) -> dict[str, Any]:
        github = self.event.context(self.workspace)
        github["token"] = self.token
        if action_path is not None:
            github["action_path"] = str(action_path)
        return {"github": github, "runner": {"temp": str(self.temp), "os": "Linux"},
                "inputs": inputs, "steps": self.steps_context, "env": {},
                "secrets": {"GITHUB_TOKEN": self.token, **self.secrets}}

    def _step(self, step: dict[str, Any], contexts: dict[str, Any], base_env: dict[str, str],
              defaults: dict[str, Any]) -> None:
        unknown = set(step) - STEP_KEYS
        if unknown:
            raise HarnessError(f"step keys not implemented: {sorted(unknown)}")
        name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
        evaluator = Evaluator(contexts, self.status, self.workspace)
        contexts["env"] = {**base_env, **self.env}
        record = StepRun(name, "skipped",
                         continue_on_error=bool(step.get("continue-on-error", False)))
        self.run.steps.append(record)
        if not evaluator.condition(step.get("if")):
            self._set_step(step, "skipped", {})
            return
        env = {**contexts["env"], **{k: evaluator.substitute(v)
                                     for k, v in step.get("env", {}).items()}}
        contexts["env"] = env
        if "uses" in step:
            with_ = {k: evaluator.substitute(v) for k, v in step.get("with", {}).items()}
            ok = self._uses(step["uses"], with_)
            record.outcome, outputs = ("success" if ok else "failure"), {}
        else:
            folder = step.get("working-directory", defaults.get("working-directory", ""))
            outputs = self._run(record, evaluator.substitute(step["run"]), env,
                                step.get("shell", defaults.get("shell")),
                                evaluator.substitute(folder))
        if record.outcome == "failure" and not record.continue_on_error:
            self.status.failed = True
        self._set_step(step, record.outcome, outputs)

    def _set_step(self, step: dict[str, Any], outcome: str, outputs: dict[str, str]) -> None:
        if "id" in step:
            conclusion = "success" if step.get("continue-on-error") else outcome
            self.steps_context[step["id"]] = {"outcome": outcome, "conclusion": conclusion,
                                              "outputs": outputs}

    def _uses(self, uses: str, with_: dict[str, str]) -> bool:
        action = uses.split("@")[0]
        if action == "actions/checkout":
            self._checkout(with_)
            return True
        if action == "actions/setup-python":
            self.path.insert(0, str(self.python_bin))
            return True
        if action == "github/codeql-action/upload-sarif":
            sarif = self.workspace / with_["sarif_file"]  # relative to the workspace
            self.run.uploads.append({**with_, "path": str(sarif)})
            return sarif.is_file() and not self.upload_fails
        raise HarnessError(f"no local effect for {uses}")

    def _checkout(self, with_: dict[str, Any]) -> None:
        depth = str(with_.get("fetch-depth"))
        if depth not in ("0", "1"):
            raise HarnessError("the harness checks out full history (fetch-depth: 0) or the "
                               "commit alone (fetch-depth: 1)")
        shallow = ["--depth", "1"] if depth == "1" else []
        git(self.workspace, "clone", "-q", *shallow, f"file://{self.repo}", ".")
        git(self.workspace, "checkout", "-q", "--detach", self.event.head)

    def _run(self, record: StepRun, script: str, env: dict[str, str], shell: str | None,
             working_directory: str) -> dict[str, str]:
        if shell not in SHELLS:
            raise HarnessError(f"shell {shell!r} is not implemented")
        files = {name: self.temp.parent / f"{name.lower()}-{len(self.run.steps)}"
                 for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH")}
        for file in files.values():
            file.write_text("")
        script_file = self.temp.parent / f"step-{len(self.run.steps)}.sh"
        script_file.write_text(script)
        cwd = self.workspace / working_directory if working_directory else self.workspace
        event_file = self.temp.parent / "event.json"
        event_file.write_text(json.dumps(self.event.payload()))
        process_env = {
            "HOME": str(self.home),
            "PATH": ":".join([*self.path, str(self.gh_bin), SYSTEM_PATH]),
            "GITHUB_EVENT_PATH": str(event_file), "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "4242",
            "FAKE_GITHUB_STATE": str(self.github.path),
            "LANG": "C.UTF-8", "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace), "GITHUB_EVENT_NAME": self.event.name,
            "GITHUB_BASE_REF": self.event.base_ref, "GITHUB_SHA": self.event.head,
            "RUNNER_TEMP": str(self.temp), "RUNNER_OS": "Linux", "GIT_CONFIG_NOSYSTEM": "1",
            **OFFLINE_PIP, **{k: str(v) for k, v in env.items()},
            **{name: str(file) for name, file in files.items()},
        }
        done = subprocess.run([*SHELLS[shell], str(script_file)], cwd=cwd, env=process_env,
                              capture_output=True, text=True, errors="replace", timeout=300)
        record.exit_code, record.stdout, record.stderr = done.returncode, done.stdout, done.stderr
        record.outcome = "success" if done.returncode == 0 else "failure"
        self.run.summary += files["GITHUB_STEP_SUMMARY"].read_text()
        self.env.update(read_key_values(files["GITHUB_ENV"].read_text()))
        self.path[:0] = reversed(files["GITHUB_PATH"].read_text().split())
        return read_key_values(files["GITHUB_OUTPUT"].read_text())

    def _forget_martechgov(self) -> None:
        """No martechgov from an earlier run: each run's install step must install it."""
        venv = self.python_bin.parent
        for installed in [*venv.glob("lib/python*/site-packages/martechgov*"),
                          venv / "bin" / "martechgov"]:
            if installed.is_dir():
                shutil.rmtree(installed)
            elif installed.exists() or installed.is_symlink():
                installed.unlink()


def _needs(spec: dict[str, Any]) -> list[str]:
    needs = spec.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def read_key_values(text: str) -> dict[str, str]:
    """`name=value` lines and `name<<DELIMITER` blocks (GITHUB_OUTPUT, GITHUB_ENV)."""
    values, lines = {}, iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for more in lines:
                if more == delimiter:
                    break
                block.append(more)
            values[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def session_python(folder: Path) -> Path:
    """A throwaway venv whose `python` sees the test environment's packages (martechgov's
    dependencies, pip, setuptools) but not martechgov itself; returns its bin folder.

    The test environment's site-packages is listed in a .pth file as a plain path, so
    its own .pth files (the editable install of this checkout among them) are not read.
    """
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(folder)], check=True)
    [venv_site] = folder.glob("lib/python*/site-packages")
    (venv_site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder / "bin"
