"""The remote engine: an OPA server (sidecar or central) answers `data.martech.decision`.

Two modes (`--opa-mode`):
- push: upload our Rego modules (PUT /v1/policies/martechgov/<path>) and our data
  (PUT /v1/data/martech: base documents only; the rules' virtual documents are not
  storage and cannot be overwritten), remove modules a previous push left behind, then
  evaluate. For a dedicated or development server.
- bundle: the server already serves our bundle (`martechgov bundle build`). We refuse to
  judge unless the active bundle owning `martech` has exactly our policy revision, and
  every answer's provenance must name that revision too (a bundle swapped mid-run is
  caught, not mixed in).

Every decision is one POST /v1/data/martech/decision with `strict-builtin-errors=true`
(a builtin error fails the request instead of silently not firing a deny rule, as the
embedded engine's strict mode does). Requests run on a bounded thread pool; results
keep the input order. Any failure raises EngineError naming the server and what went
wrong: nothing is ever approved on an error.

HTTP (the client, retries, what a failure says) lives in `opa_http`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from functools import partial
from typing import Any
from urllib.parse import quote

from martechgov.engines.base import (
    MAX_FINDINGS,
    EngineSettings,
    RegoTest,
    TestOutcome,
    subject_of,
)
from martechgov.engines.opa_http import (
    POLICY_ID_PREFIX,
    Client,
    HttpStatus,
    OpaServer,
    Rejected,
    delete_module,
    list_policies,
    located,
    put_data,
    system_bundles,
)
from martechgov.errors import EngineError, PolicyError, UsageError
from martechgov.policy import ENTRYPOINT, ROOT, PolicySet, module_path

_PACKAGE_LINE = re.compile(r"^\s*package\s+([\w.\"\[\]]+)", re.MULTILINE)
_PACKAGE, _RULE = ENTRYPOINT.rsplit("/", 1)
_DECISION_PATH = f"/v1/data/{ENTRYPOINT}"


class OpaEngine:
    """Evaluates on an OPA server. Not `forkable`: worker processes would copy open
    HTTP connections; throughput comes from concurrent requests instead."""

    name = "opa"
    forkable = False
    runs_tests = False  # OPA's REST API has no test runner

    def __init__(self, settings: EngineSettings) -> None:
        if settings.opa_mode not in ("push", "bundle"):
            raise UsageError(f"unknown --opa-mode {settings.opa_mode!r}; use push or bundle")
        if settings.opa_concurrency < 1:
            raise UsageError("the OPA concurrency must be at least 1")
        self._server = OpaServer(settings)
        self._settings = settings
        self._policy: PolicySet | None = None
        self._bundle: str | None = None  # bundle mode: the name of the bundle that judges
        self._pushed: dict[str, str] = {}  # push mode: policy id -> the source we pushed

    @property
    def url(self) -> str:
        return self._server.url

    def load(self, policy: PolicySet) -> None:
        self._server.policy_root = policy.root  # errors name our files, not OPA's ids
        if self._settings.opa_mode == "push":
            self._push(policy)
        else:
            self._bundle = self._active_bundle(policy)
        self._policy = policy

    def evaluate(self, inputs: Sequence[Mapping[str, Any]]) -> list[Any]:
        if self._policy is None:
            raise EngineError("the OPA engine was used before the policies were loaded")
        workers = min(self._settings.opa_concurrency, len(inputs))
        if workers <= 1:
            answers = [self._decide(doc) for doc in inputs]
            if self._pushed:
                self._check_dedicated()  # nothing slipped in while we were judging
            return answers
        with ThreadPoolExecutor(max_workers=workers,
                                thread_name_prefix="martechgov-opa") as pool:
            futures = [pool.submit(self._decide, doc) for doc in inputs]
            # Stop at the first failure: the run fails anyway, so do not keep a broken
            # server busy with thousands of queued requests.
            wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                future.cancel()
        for future in futures:
            error = None if future.cancelled() else future.exception()
            if error is not None:
                raise error
        if self._pushed:
            self._check_dedicated()  # nothing slipped in while we were judging
        return [future.result() for future in futures]

    def run_tests(self, policy: PolicySet, tests: Sequence[RegoTest]) -> list[TestOutcome]:
        raise UsageError("the remote OPA engine cannot run Rego unit tests (OPA's REST API "
                         "has no test runner); run them with `martechgov test --engine "
                         "embedded` or `--engine regorus`")

    def close(self) -> None:
        """Close the pooled HTTP connections (also done by the interpreter at exit)."""
        self._server.close()

    # -- push mode -----------------------------------------------------------------

    def _push(self, policy: PolicySet) -> None:
        for top, subtree in sorted(policy.data.items()):
            self._server.call(f"PUT /v1/data/{top}",
                              partial(put_data, path=top, value=subtree))
        modules = {self._policy_id(shown, policy.root): source
                   for shown, source in sorted(policy.modules.items())}
        self._upload_modules(modules, policy.root)
        self._remove_stale_modules(set(modules))
        self._pushed = modules
        self._check_dedicated()

    @staticmethod
    def _policy_id(shown: str, root: str) -> str:
        return POLICY_ID_PREFIX + module_path(shown, root)

    def _upload_modules(self, modules: Mapping[str, str], root: str) -> None:
        """Upload every module, in an order OPA accepts.

        OPA compiles on every upload, so a module that calls a function from a module
        not uploaded yet (data.martech.lib) is rejected. Rather than guess the order
        from the source, upload in rounds: whatever was rejected is tried again after
        the others, until a round makes no progress (then the errors are real).
        """
        pending = dict(modules)
        while pending:
            rejected = {policy_id: error for policy_id, source in pending.items()
                        if (error := self._put_module(policy_id, source)) is not None}
            if len(rejected) == len(pending):
                raise PolicyError(self._compile_message(rejected, root))
            pending = {policy_id: pending[policy_id] for policy_id in rejected}

    def _put_module(self, policy_id: str, source: str) -> HttpStatus | None:
        def put(client: Client) -> None:
            try:
                # rego_compat=False: never let the client rewrite our Rego and retry.
                client.update_policy_from_string(source, quote(policy_id, safe="/"),
                                                 rego_compat=False)
            except HttpStatus as status:
                if status.status == 400 and status.compile_errors:
                    raise Rejected(status) from None
                raise

        try:
            self._server.call(f"PUT /v1/policies/{policy_id}", put)
        except Rejected as rejected:
            return rejected.status
        return None

    def _remove_stale_modules(self, current: set[str]) -> None:
        listed = [entry.get("id") for entry in self._server.call("GET /v1/policies",
                                                                 list_policies)]
        stale = sorted(i for i in listed if isinstance(i, str)
                       and i.startswith(POLICY_ID_PREFIX) and i not in current)
        for policy_id in stale:
            self._server.call(f"DELETE /v1/policies/{policy_id}",
                              partial(delete_module, policy_id=policy_id))

    def _check_dedicated(self) -> None:
        """Refuse to judge when the server holds Rego in our packages that we did not
        push (or our modules changed since): OPA would merge it with our rules, and the
        answers would still name our revision."""
        for entry in self._server.call("GET /v1/policies", list_policies):
            policy_id = str(entry.get("id"))
            if policy_id in self._pushed:
                if entry.get("raw", self._pushed[policy_id]) != self._pushed[policy_id]:
                    raise EngineError(
                        f"OPA at {self.url}: module {policy_id!r} changed on the server "
                        "after martechgov pushed it (is another run pushing other "
                        "policies?); refusing to judge with rules that are not ours")
                continue
            package = _foreign_package(entry)
            if package is not None:
                raise EngineError(
                    f"OPA at {self.url} holds module {policy_id[:120]!r} in package "
                    f"{package[:120]}, which martechgov did not push: OPA would judge with it "
                    "as part of our rules. Refusing to judge; remove it, use an OPA "
                    "dedicated to martechgov, or serve our bundle (--opa-mode bundle)")

    def _compile_message(self, rejected: Mapping[str, HttpStatus], root: str) -> str:
        lines = []
        for status in rejected.values():
            for error in status.compile_errors:
                lines.append(located(error, root))
        return (f"the policies do not compile on OPA at {self.url}:\n"
                + "\n".join(dict.fromkeys(lines)))

    # -- bundle mode ---------------------------------------------------------------

    def _active_bundle(self, policy: PolicySet) -> str:
        """The name of the active bundle owning `martech`, checked against our revision."""
        bundles = self._server.call("GET /v1/data/system/bundles", system_bundles)
        owners = sorted(name for name, info in bundles.items() if _owns_root(info))
        if not owners:
            active = ", ".join(sorted(bundles)) or "none"
            raise EngineError(
                f"OPA at {self.url} has no active bundle for data.{ROOT} (active bundles: "
                f"{active}); configure it to download the bundle from `martechgov bundle "
                "build`, or use --opa-mode push")
        name = owners[0]  # OPA refuses overlapping roots, so there is only one
        revision = _revision(bundles[name])
        if revision != policy.revision:
            raise EngineError(
                f"OPA at {self.url} serves bundle {name!r} at revision "
                f"{(revision or 'none')[:12]}, but the policies here are revision "
                f"{policy.short_revision}; refusing to judge with other rules. Publish the "
                "bundle of these policies (`martechgov bundle build`) and wait for OPA to "
                "activate it, or check out the policies the server runs")
        return name

    def _check_provenance(self, answer: Mapping[str, Any], what: str) -> None:
        assert self._policy is not None and self._bundle is not None
        provenance = answer.get("provenance")
        provenance = provenance if isinstance(provenance, dict) else {}
        bundles = provenance.get("bundles")
        if isinstance(bundles, dict):
            revision = _revision(bundles.get(self._bundle))
        else:  # OPA's legacy single-bundle configuration reports one revision
            revision = provenance.get("revision")
        if revision != self._policy.revision:
            raise EngineError(
                f"OPA at {self.url}: {what}: answered with bundle revision "
                f"{str(revision or 'unknown')[:12]}, not {self._policy.short_revision} (the "
                "bundle changed during the run, or the server does not report provenance); "
                "nothing was judged")

    # -- decisions -----------------------------------------------------------------

    def _decide(self, doc: Mapping[str, Any]) -> Any:
        what = f"POST {_DECISION_PATH} for {subject_of(doc)}"
        params = {"strict-builtin-errors": "true"}
        if self._bundle is not None:
            params["provenance"] = "true"
        answer = self._server.call(what, lambda c: c.query_rule(dict(doc), _PACKAGE, _RULE,
                                                                query_params=params))
        if not isinstance(answer, dict):
            raise EngineError(f"OPA at {self.url}: {what}: the answer is not a JSON object; "
                              "nothing was judged")
        if "result" not in answer:
            raise EngineError(
                f"OPA at {self.url}: {what}: data.{ENTRYPOINT.replace('/', '.')} is "
                "undefined on the server (are our policies loaded there?); nothing is "
                "approved without a decision")
        if self._bundle is not None:
            self._check_provenance(answer, what)
        result = answer["result"]
        findings = result.get("findings") if isinstance(result, dict) else None
        if isinstance(findings, list) and len(findings) > MAX_FINDINGS:
            raise EngineError(
                f"OPA at {self.url}: {what}: the decision has {len(findings):,} findings, "
                f"more than the {MAX_FINDINGS:,} one decision may have (a runaway rule?); "
                "nothing was judged")
        return result


def _foreign_package(entry: Mapping[str, Any]) -> str | None:
    """The module's package when it lies under data.martech (ours), else None."""
    packages = set()
    ast = entry.get("ast")
    path = ast.get("package", {}).get("path") if isinstance(ast, dict) else None
    if isinstance(path, list):
        parts = [str(p.get("value")) for p in path[1:] if isinstance(p, dict)]
        packages.add(".".join(parts))
    raw = entry.get("raw")
    declared = _PACKAGE_LINE.search(raw) if isinstance(raw, str) else None
    if declared is not None:
        packages.add(declared.group(1))
    ours = sorted(p for p in packages if p == ROOT or p.startswith((ROOT + ".", ROOT + "[")))
    return ours[0] if ours else None


def _owns_root(info: Any) -> bool:
    manifest = info.get("manifest") if isinstance(info, dict) else None
    roots = manifest.get("roots") if isinstance(manifest, dict) else None
    if roots is None:  # a bundle without roots owns all of data
        return isinstance(manifest, dict)
    return isinstance(roots, list) and any(root in ("", ROOT) for root in roots)


def _revision(info: Any) -> str | None:
    if not isinstance(info, dict):
        return None
    manifest = info.get("manifest", info)  # system/bundles nests it; provenance does not
    revision = manifest.get("revision") if isinstance(manifest, dict) else None
    return revision if isinstance(revision, str) else None

