"""Outputs that cannot be forged: hostile file names and values in real request files,
rendered by the real CLI and read back by the consumers of each format (the runner's
command parser, a CommonMark renderer, XML parsers)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import JUnitXml
from markdown_it import MarkdownIt

from ..ci.runner import commands
from ..conftest import ROOT, invoke
from ..gitutil import commit_all, make_repo

POLICIES = str(ROOT / "policies")
FORMATS = ["text", "json", "github", "markdown", "sarif", "junit"]


def example(folder: Path, name: str, file_name: str | None = None,
            replace: tuple[str, str] | None = None) -> Path:
    text = (ROOT / "requests" / f"{name}.yaml").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(*replace, 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (file_name or f"{name}.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def check(folder: Path, output_format: str) -> tuple[int, str]:
    code, out, err = invoke("check", str(folder), "--policies", POLICIES,
                            "--as-of", "2026-11-23", "--format", output_format)
    assert code in (0, 1), err
    return code, out


def test_a_newline_in_a_file_name_injects_no_workflow_command(tmp_path: Path) -> None:
    requests = tmp_path / "requests"
    example(requests, "typeform", "x\n::add-mask::secret.yaml")
    example(requests, "semrush", "y ##[add-mask]z ::stop-commands::t.yaml")
    example(requests, "mailchimp", replace=("  name: Mailchimp Standard",
                                            '  name: "M\\n::add-mask::m ##[error]n"'))
    code, out = check(requests, "github")
    assert code == 1
    found = commands(out)
    assert {c.name for c in found} == {"error", "warning"}, found
    assert not any(line.lstrip().startswith("::") for line in out.splitlines()
                   if not line.startswith(("::error ", "::warning ", "::notice ")))
    files = {c.properties["file"] for c in found}
    assert str(requests / "x\\n::add-mask::secret.yaml") in files


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    requests = tmp_path / "requests"
    example(requests, "mailchimp", replace=("  name: Mailchimp Standard",
                                            '  name: "Mail\\e[2K\\rAPPROVE\\u202Echimp"'))
    example(requests, "typeform", "typeform\x1b[32m.yaml")
    _, out = check(requests, "text")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", out)
    # The canonical input already made \r a space and dropped the bidi control; what is
    # left is shown escaped, never interpreted.
    assert "Mail\\x1b[2K APPROVEchimp" in out
    assert "typeform\\x1b[32m.yaml" in out


def test_html_comments_cannot_hide_a_denied_request_in_the_summary(tmp_path: Path) -> None:
    # Two request files whose names hold a carriage return (a line break to a Markdown
    # renderer) and an HTML comment's start and end, sorted around a denied request.
    requests = tmp_path / "requests"
    example(requests, "typeform", "a\r<!--.yaml")
    example(requests, "mailchimp")
    example(requests, "semrush", "z-->\r.yaml")
    code, out = check(requests, "markdown")
    assert code == 1
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<!--" not in html
    rows = re.findall(r"<tr>\n<td>(.*?)</td>\n<td>.*?</td>\n<td>(.*?)</td>", html)
    assert [(file[-14:], decision) for file, decision in rows] == [
        ("requests/a &lt;!--.yaml"[-14:], "⚠️ invalid"),
        ("mailchimp.yaml", "❌ deny"),
        ("ests/z--&gt; .yaml"[-14:], "⚠️ invalid"),
    ]
    assert "<h3>❌ " in html and "security.sso_required" in html


def test_junit_stays_valid_xml_with_control_characters(tmp_path: Path) -> None:
    requests = tmp_path / "requests"
    example(requests, "mailchimp", replace=("  name: Mailchimp Standard",
                                            '  name: "Mail\\0\\b\\e\\x0c\\uFFFEchimp"'))
    example(requests, "typeform", "type\x01form.yaml")
    _, out = check(requests, "junit")
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuite"
    path = tmp_path / "report.xml"
    path.write_text(out, encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    suites = [xml] if xml._tag == "testsuite" else list(xml)
    names = sorted(case.name for suite in suites for case in suite)
    assert names[1].endswith("type\\x01form.yaml")
    assert "Mail\\x00\\x08\\x1b \\ufffechimp" in out  # canonical input: \f is a space


def check_every_format(folder: Path, tmp_path: Path) -> dict[str, str]:
    """One run writing every format (stdout: github), as CI does."""
    files = {name: tmp_path / f"report.{name}" for name in FORMATS if name != "github"}
    code, out, err = invoke("check", str(folder), "--policies", POLICIES, "--as-of",
                            "2026-11-23", "--format", "github",
                            *(f"--output={name}={file}" for name, file in files.items()))
    assert code == 1, err
    return {"github": out, **{name: file.read_text(encoding="utf-8")
                              for name, file in files.items()}}


def test_a_huge_value_is_not_echoed_in_full(tmp_path: Path) -> None:
    requests = tmp_path / "requests"
    example(requests, "typeform", replace=("  name: Typeform", f'  name: "{"A" * 900_000}"'))
    example(requests, "mailchimp", replace=("id: mailchimp", f"id: {'A' * 100_000}"))
    for name, out in check_every_format(requests, tmp_path).items():
        assert len(out) < 16_000, name
        assert "A" * 201 not in out, name


def test_hundreds_of_unknown_keys_are_one_finding(tmp_path: Path) -> None:
    requests = tmp_path / "requests"
    extra = "".join(f"  k{i:05d}: 1\n" for i in range(19_900))
    example(requests, "typeform", replace=("tool:\n", "tool:\n" + extra))
    outputs = check_every_format(requests, tmp_path)
    for name, out in outputs.items():
        assert "19,900 unknown fields; the first 20: `tool.k00000`" in out, name
        assert "k00020" not in out and len(out) < 20_000, name
    assert [c.name for c in commands(outputs["github"])] == ["error"]
    [result] = json.loads(outputs["json"])["results"]
    assert len(result["findings"]) == 1


def test_an_output_file_that_is_a_symlink_is_not_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pull request plants `martechgov.sarif` -> a file of the runner; the action's
    # default `--output sarif=martechgov.sarif` must not overwrite it.
    repo = make_repo(tmp_path / "repo", ["typeform"])
    victim = tmp_path / "runner-file"
    victim.write_text("precious")
    (repo / "martechgov.sarif").symlink_to(victim)
    commit_all(repo, "a symlink")
    monkeypatch.chdir(repo)
    code, out, err = invoke("check", "--format", "github", "--output", "sarif=martechgov.sarif")
    assert code == 2
    assert err == ("martechgov: error: the results above were judged, but the sarif report "
                   "was not written: martechgov.sarif is a symbolic link\n")
    assert victim.read_text() == "precious"
