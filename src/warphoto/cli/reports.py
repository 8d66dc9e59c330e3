"""The reports of `validate`: what was found in each file, in four renderings (text, json, junit, github)."""

from __future__ import annotations

import json
import socket
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from warphoto import __version__
from warphoto.batch import Outcome
from warphoto.cli._common import Problem, plural
from warphoto.validation import Issue


@dataclass(frozen=True)
class FileReport:
    """What `validate` found in one file."""

    path: str
    format: str | None = None
    records: int = 0
    issues: tuple[Issue, ...] = ()
    problem: Problem | None = None
    seconds: float = 0.0
    #: what is worth saying but does not make the file invalid (a record without @context)
    warnings: tuple[Issue, ...] = ()

    @property
    def status(self) -> str:
        if self.problem is not None:
            return "unreadable"
        return "invalid" if self.issues else "valid"


def report_from_outcome(outcome: Outcome[FileReport]) -> FileReport:
    if outcome.value is not None:
        return outcome.value
    return FileReport(outcome.path, problem=Problem.of_failure(outcome))


def summarize_reports(reports: Sequence[FileReport]) -> dict[str, int]:
    counts = Counter(r.status for r in reports)
    return {
        "files": len(reports),
        "records": sum(r.records for r in reports),
        "valid": counts["valid"],
        "invalid": counts["invalid"],
        "unreadable": counts["unreadable"],
        "issues": sum(len(r.issues) for r in reports),
    }


def summary_line(counts: dict[str, int]) -> str:
    text = (
        f"{plural(counts['files'], 'file')} checked ({plural(counts['records'], 'record')}): "
        f"{counts['valid']} valid, {counts['invalid']} invalid"
    )
    if counts["issues"]:
        text += f" ({plural(counts['issues'], 'issue')})"
    return text + f", {counts['unreadable']} unreadable"


def render_text(reports: Sequence[FileReport], out: IO[str]) -> None:
    """One line per issue: ``file:line:column: [record] $.path: message (rule)``, then a summary."""
    for report in reports:
        if report.problem is not None:
            out.write(f"{report.problem.where(report.path)}: error: {report.problem.message}\n")
        for issue in report.issues:
            out.write(f"{issue}\n")
        for warning in report.warnings:
            out.write(f"warning: {warning}\n")
    out.write(summary_line(summarize_reports(reports)) + "\n")


def render_json(reports: Sequence[FileReport], out: IO[str]) -> None:
    """One JSON document: a summary and, for every file, its status and issues."""
    summary = summarize_reports(reports)
    document = {
        "warphoto": __version__,
        "valid": summary["invalid"] == 0 and summary["unreadable"] == 0,
        "summary": summary,
        "files": [
            {
                "path": r.path,
                "format": r.format,
                "status": r.status,
                "records": r.records,
                "issues": [i.to_dict() for i in r.issues],
                "warnings": [w.to_dict() for w in r.warnings],
                "error": None
                if r.problem is None
                else {"message": r.problem.message, "line": r.problem.line, "column": r.problem.column},
            }
            for r in reports
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _xml_text(text: str) -> str:
    """Text safe in XML 1.0: characters XML cannot hold become U+FFFD."""
    return "".join(
        c
        if c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD or ord(c) > 0xFFFF
        else "\ufffd"
        for c in text
    )


def render_junit(reports: Sequence[FileReport], out: IO[str]) -> None:
    """JUnit XML (Jenkins / Maven Surefire flavour): one test case per file; issues are failures."""
    from xml.sax.saxutils import escape as xml_escape  # (it loads urllib: only for this report)
    from xml.sax.saxutils import quoteattr

    summary = summarize_reports(reports)
    seconds = sum(r.seconds for r in reports)
    stamp = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()
    counts = (
        f'tests="{summary["files"]}" failures="{summary["invalid"]}" errors="{summary["unreadable"]}" '
        f'skipped="0" time="{seconds:.3f}"'
    )

    def attr(value: str) -> str:
        return quoteattr(_xml_text(value))

    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="warphoto validate" {counts}>\n')
    out.write(
        f'  <testsuite name="warphoto validate" {counts} timestamp="{stamp}" '
        f"hostname={attr(socket.gethostname() or 'localhost')}>\n"
    )
    for report in reports:
        out.write(
            f'    <testcase name={attr(report.path)} classname="warphoto.validate" '
            f'file={attr(report.path)} time="{report.seconds:.3f}"'
        )
        if report.problem is not None:
            message = f"{report.problem.where(report.path)}: {report.problem.message}"
            out.write(">\n")
            out.write(
                f"      <error message={attr(report.problem.message)} type={attr(report.problem.kind)}>"
                f"{xml_escape(_xml_text(message))}</error>\n"
            )
            out.write("    </testcase>\n")
        elif report.issues:
            body = "\n".join(str(i) for i in report.issues)
            out.write(">\n")
            out.write(
                f"      <failure message={attr(plural(len(report.issues), 'validation issue'))} "
                f'type="warphoto.ValidationError">{xml_escape(_xml_text(body))}</failure>\n'
            )
            out.write("    </testcase>\n")
        else:
            out.write("/>\n")
    out.write("  </testsuite>\n</testsuites>\n")


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command's property value: as data, plus ``:`` and ``,``."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_command(command: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={github_escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return (
        f"::{command} {props}::{github_escape_data(message)}"
        if props
        else f"::{command}::{github_escape_data(message)}"
    )


def render_github(reports: Sequence[FileReport], out: IO[str]) -> None:
    """GitHub Actions workflow commands: one ``::error file=...,line=...,col=...::message`` per issue."""
    for report in reports:
        if report.problem is not None:
            out.write(
                _github_command(
                    "error",
                    report.problem.message,
                    file=report.path,
                    line=report.problem.line,
                    col=report.problem.column,
                    title="warphoto: unreadable file",
                )
                + "\n"
            )
        for command, found in (("error", report.issues), ("warning", report.warnings)):
            for issue in found:
                record = f"[{issue.record_id}] " if issue.record_id else ""
                out.write(
                    _github_command(
                        command,
                        f"{record}{issue.path}: {issue.message}",
                        file=report.path,
                        line=issue.line,
                        col=issue.column,
                        title=f"warphoto {issue.rule}",
                    )
                    + "\n"
                )
    out.write(summary_line(summarize_reports(reports)) + "\n")


RENDERERS: dict[str, Callable[[Sequence[FileReport], IO[str]], None]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}
