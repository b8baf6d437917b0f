"""Progress on long work: a rich bar on a terminal, plain log lines elsewhere (CI)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

log = logging.getLogger("digest")
console = Console(stderr=True)


def setup_logging(verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.INFO
    handler: logging.Handler
    if console.is_terminal:
        handler = RichHandler(console=console, show_path=verbose, markup=False, rich_tracebacks=verbose)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("digest").setLevel(level)


class Task:
    def __init__(
        self, progress: Progress | None, task_id: int | None, name: str, total: int, every: int | None = None
    ) -> None:
        self._progress, self._task_id, self._name, self._total = progress, task_id, name, total
        self._done = 0
        # plain mode prints about ten lines per task, not one per item
        self._every = every or max(1, total // 10)

    def advance(self, step: int = 1, note: str = "") -> None:
        self._done += step
        if self._progress is not None and self._task_id is not None:
            self._progress.update(self._task_id, advance=step, description=f"{self._name} {note}".strip())
        elif self._done % self._every == 0 or self._done == self._total:
            log.info("%s: %d/%d %s", self._name, self._done, self._total, note)


_live: list[Progress] = []  # the bar on screen; rich allows one live display, so nested tasks share it


@contextmanager
def task(name: str, total: int, every: int | None = None) -> Iterator[Task]:
    """A bar on a terminal; elsewhere a log line every `every` items (default: a tenth) and at the end."""
    if not console.is_terminal or total <= 1:
        yield Task(None, None, name, total, every)
        return
    if _live:
        progress = _live[-1]
        task_id = progress.add_task(name, total=total)
        try:
            yield Task(progress, task_id, name, total)
        finally:
            progress.remove_task(task_id)
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:
        _live.append(progress)
        try:
            yield Task(progress, progress.add_task(name, total=total), name, total)
        finally:
            _live.pop()
