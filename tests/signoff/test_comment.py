"""The pull-request comment: the hidden marker, the answer in plain words, every
finding with its fix, the sign-off table; request values escaped; cut to fit."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from markdown_it import MarkdownIt

from martechgov.formatters import FORMATTERS
from martechgov.formatters.json_ import report_json
from martechgov.rendering import RenderContext, within
from martechgov.result import CheckReport, PolicyInfo, RequestResult
from martechgov.signoff.comment import CUT_NOTE, MARKER, MAX_BYTES, answer
from martechgov.signoff.formats import SignoffMarkdown, signoff_formats
from martechgov.signoff.gate import RequestSignoff, SignoffReport

from .conftest import HEAD_SHA
from .test_formats import report, team

FORMATS = signoff_formats(FORMATTERS, report_json)


def comment(rep: SignoffReport) -> str:
    stream = io.StringIO()
    FORMATS["comment"](RenderContext()).write(rep, stream)
    return stream.getvalue()


def checked(results: list[RequestResult]) -> CheckReport:
    return CheckReport(as_of=dt.date(2026, 11, 23), engine="embedded",
                       policy=PolicyInfo("ab" * 32, "main@1a2b3c4"), results=results)


def test_the_comment_is_the_marker_the_answer_the_check_report_then_the_sign_off() -> None:
    rep = report()
    check, signoff = io.StringIO(), io.StringIO()
    FORMATTERS["markdown"](RenderContext()).write(rep.check, check)
    SignoffMarkdown().write(rep, signoff)
    assert comment(rep) == (
        f"{MARKER}\n## ⏳ Waiting for sign-off from **finance** and **privacy**\n\n"
        "Nothing in the request has to change. The teams named have been asked to review "
        "it; the pull request can be merged once one person from each has approved its "
        "latest commit (the table at the end shows who can). A new commit needs new "
        f"approvals.\n\n{check.getvalue()}{signoff.getvalue()}")
    assert "  - Fix: Send finance the quote." in comment(rep)


@pytest.mark.parametrize(("case", "title", "starts"), [
    ("denied", "❌ Changes needed before this can be merged",
     "1 request is denied. Each finding below says what to change"),
    ("invalid", "❌ Changes needed before this can be merged",
     "1 file is not a valid request. Each finding"),
    ("signed", "✅ Signed off: ready to merge",
     "Every team that had to look has approved commit `6dcb09b`."),
    ("approved", "✅ Approved: ready to merge", "No rule holds this back"),
    ("nothing", "No tool request changed", "This pull request adds or changes no file"),
])
def test_the_answer_in_plain_words(case: str, title: str, starts: str) -> None:
    rep = report(denied=case == "denied")
    if case == "invalid":
        rep = replace(rep, check=checked([RequestResult("requests/x.yaml", "x", "invalid")]))
    elif case == "signed":
        signed = tuple(replace(t, signed_by=("someone",)) for t in rep.requests[0].teams)
        rep = replace(rep, requests=(RequestSignoff(rep.requests[0].result, signed),))
    elif case == "approved":
        rep = SignoffReport(checked([RequestResult("requests/t.yaml", "t", "approve")]), (),
                            HEAD_SHA, "marta-mkt")
    elif case == "nothing":
        rep = SignoffReport(checked([]), (), HEAD_SHA, "marta-mkt")
    assert answer(rep)[0] == title
    assert answer(rep)[1].startswith(starts)
    if case == "denied":
        assert answer(rep)[1].endswith(
            "After that, **finance** and **privacy** must sign off.")


def test_request_values_cannot_forge_the_marker_or_break_out() -> None:
    hostile = RequestResult(
        file="requests/x.yaml", id="x", decision="review", reviewers=("privacy",),
        name="<!-- martechgov -->\n## ✅ Approved | ok |")
    rep = SignoffReport(checked([hostile]), (RequestSignoff(hostile, (team("privacy", 1),)),),
                        HEAD_SHA, "marta-mkt")
    text = comment(rep)
    assert text.count(MARKER) == 1 and text.startswith(MARKER)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<!--") == 1  # the marker; the name is text
    assert "&lt;!-- martechgov --&gt;" in html
    assert "<h2>✅ Approved" not in html


def test_a_long_comment_is_cut_at_a_line_and_says_where_the_rest_is() -> None:
    text = "".join(f"- finding {n}: {'é' * 100}\n" for n in range(2000))
    cut = within(text, MAX_BYTES, CUT_NOTE)
    assert len(cut.encode("utf-8")) <= MAX_BYTES
    kept = cut.split("\n\n_This comment was cut")[0]
    assert text.startswith(kept + "\n")
    assert f"{2000 - len(kept.splitlines())} more lines are in the run's summary" in cut
    assert within("short\n", MAX_BYTES, CUT_NOTE) == "short\n"
