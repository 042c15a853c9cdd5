"""JUnit XML: one testsuite, one testcase per request; deny and invalid fail.

XML 1.0 cannot carry most control characters at all, escaped or not: every untrusted
value passes through `rendering.plain_text` (or `escape.visible` for the file
attribute, which must stay the path), which shows them as `\\x1b`, so the document
always parses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from martechgov import escape
from martechgov.rendering import finding_lines, plain_text, policy_label
from martechgov.result import LEVEL_ORDER, CheckReport


class JunitFormatter:
    def write(self, report: CheckReport, stream: TextIO) -> None:
        failed = [r for r in report.results if r.fails]
        suite = ET.Element("testsuite", {
            "name": "martechgov",
            "tests": str(len(report.results)),
            "failures": str(len(failed)),
            "errors": "0",
            "skipped": "0",
        })
        properties = ET.SubElement(suite, "properties")
        for name, value in (("policy", policy_label(report.policy)),
                            ("as_of", report.as_of.isoformat()),
                            ("engine", report.engine),
                            ("policy_warning", report.policy.warning or "")):
            ET.SubElement(properties, "property", {"name": name, "value": value})
        for result in report.results:
            case = ET.SubElement(suite, "testcase", {
                "classname": "martechgov.requests",
                "name": plain_text(result.file),
                "file": escape.visible(result.file),
            })
            if result.blob is not None:  # the content judged: `git hash-object <file>`
                ET.SubElement(ET.SubElement(case, "properties"), "property",
                              {"name": "blob", "value": result.blob})
            details = "\n".join(finding_lines(result))
            if result.fails:
                first = min(result.blocking_findings, default=None,
                            key=lambda f: LEVEL_ORDER[f.level])
                message = (f"{result.decision}: {plain_text(first.message, escape.MESSAGE_LIMIT)}"
                           if first else result.decision)
                failure = ET.SubElement(case, "failure", {"message": message,
                                                          "type": result.decision})
                failure.text = details
            else:
                out = ET.SubElement(case, "system-out")
                out.text = f"{result.decision}\n{details}".strip()
        ET.indent(suite)
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        stream.write(ET.tostring(suite, encoding="unicode"))
        stream.write("\n")
