"""Progress of long jobs: a bar on a terminal, nothing in a log."""

from __future__ import annotations

import sys
from typing import Any, Protocol

import click


class Progress(Protocol):
    """What long jobs report: a phase with a known number of steps, then steps done."""

    def start(self, label: str, total: int) -> None: ...

    def advance(self, steps: int = 1) -> None: ...

    def finish(self) -> None: ...


class Silent:
    """No progress shown (library use, tests, plain mkdocs)."""

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class TerminalBar:
    """click's progress bar on standard error, only when it is a terminal (CI logs stay clean)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = sys.stderr.isatty()

    def start(self, label: str, total: int) -> None:
        self.finish()
        if self.shown and total:
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()

    def advance(self, steps: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
