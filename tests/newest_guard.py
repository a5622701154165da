"""Fail the newest-Home-Assistant leg on deprecation reports that name rhombus.

Loaded only by scripts/test-newest (``-p tests.newest_guard``), so the normal leg
is unaffected. Two kinds of report are caught:

* Home Assistant's own reports (frame helper "Detected that custom integration
  'rhombus' ... This will stop working", deprecated constants, entity warnings):
  log records, captured by a root handler; the test phase that produced one fails.
* Python deprecation warnings raised from custom_components/rhombus: pytest
  records them only after a test's report is written, so they fail the session.

When RHOMBUS_NEWEST_SUMMARY names a file, a ``key=value`` summary (versions,
counts, duration) is written there for the script's closing lines.
"""

from __future__ import annotations

from collections.abc import Generator
import logging
import os
from pathlib import Path
import platform
import re
import time
from typing import Any
import warnings

import pytest

OUR_CODE = re.compile(r"custom_components[/\\.]rhombus")
# A record must name us and read like a deprecation; "rhombus" alone is enough
# because no core integration carries the name.
NAMES_US = re.compile(r"rhombus", re.IGNORECASE)
DEPRECATION = re.compile(
    r"deprecat|stop working|will be removed|no longer (be )?supported|"
    r"removed in (HA|Home Assistant)",
    re.IGNORECASE,
)
DEPRECATION_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


class _ReportCollector(logging.Handler):
    """Keep log records that are Home Assistant deprecation reports about us."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.pending: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Our own loggers may mention deprecated Rhombus API fields; only
        # Home Assistant's reports about us count.
        if OUR_CODE.match(record.name):
            return
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to judge
            return
        if NAMES_US.search(message) and DEPRECATION.search(message):
            self.pending.append(f"[{record.levelname} {record.name}] {message}")


class NewestGuard:
    """Collect reports during the run and turn them into failures."""

    def __init__(self) -> None:
        self.collector = _ReportCollector()
        self.failures: list[str] = []
        self.started = time.monotonic()
        self.exitstatus: int = pytest.ExitCode.OK
        self.collected = 0

    def _flush(self, where: str) -> None:
        self.failures += [f"{where}: {msg}" for msg in self.collector.pending]
        self.collector.pending = []

    def pytest_collection_finish(self) -> None:
        """Attribute reports logged while importing test modules to collection."""
        self._flush("(collection)")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """Fail the test phase during which a report was logged."""
        report = yield
        found, self.collector.pending = self.collector.pending, []
        if not found:
            return report
        self.failures += [f"{item.nodeid} ({call.when}): {msg}" for msg in found]
        if report.passed or report.skipped:
            report.outcome = "failed"
            report.longrepr = "newest_guard: Home Assistant reported:\n" + "\n".join(
                found
            )
        return report

    def pytest_warning_recorded(
        self, warning_message: warnings.WarningMessage, when: str, nodeid: str
    ) -> None:
        """Remember deprecation warnings raised from our code."""
        if not issubclass(warning_message.category, DEPRECATION_CATEGORIES):
            return
        text = str(warning_message.message)
        if OUR_CODE.search(warning_message.filename) or OUR_CODE.search(text):
            where = f"{warning_message.filename}:{warning_message.lineno}"
            self.failures.append(
                f"{nodeid or when}: {warning_message.category.__name__} "
                f"at {where}: {text}"
            )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Turn a green session red when any report was found."""
        # Reports logged outside any test phase (session fixtures, teardown).
        self._flush("(session)")
        if self.failures and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        self.exitstatus = session.exitstatus
        self.collected = session.testscollected

    def pytest_terminal_summary(
        self, terminalreporter: Any, exitstatus: int, config: pytest.Config
    ) -> None:
        """List the reports and write the summary file for the script."""
        if self.failures:
            terminalreporter.section("newest_guard: deprecations in rhombus", red=True)
            for line in self.failures:
                terminalreporter.line(line, red=True)
        # The exitstatus argument predates pytest_sessionfinish's verdict.
        self._write_summary(terminalreporter.stats, self.exitstatus)

    def _write_summary(self, stats: dict[str, list[Any]], exitstatus: int) -> None:
        target = os.environ.get("RHOMBUS_NEWEST_SUMMARY")
        if not target:
            return
        from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

        counts = {
            key: len(stats.get(key, []))
            for key in ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
        }
        lines = {
            "homeassistant": ha_version,
            "python": platform.python_version(),
            "collected": str(self.collected),
            **{key: str(value) for key, value in counts.items()},
            "guard_reports": str(len(self.failures)),
            "pytest_seconds": f"{time.monotonic() - self.started:.1f}",
            "pytest_exit": str(int(exitstatus)),
        }
        Path(target).write_text(
            "".join(f"{key}={value}\n" for key, value in lines.items()),
            encoding="utf-8",
        )


def pytest_configure(config: pytest.Config) -> None:
    """Register the guard and make sure our deprecation warnings are shown."""
    guard = NewestGuard()
    # Later ini lines win, so a project-wide "ignore" cannot hide ours.
    for category in DEPRECATION_CATEGORIES:
        config.addinivalue_line(
            "filterwarnings", f"always::{category.__name__}:custom_components"
        )
    logging.getLogger().addHandler(guard.collector)
    config.pluginmanager.register(guard, "newest_guard_instance")
