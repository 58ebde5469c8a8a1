"""A progress bar on stderr as a ``(done, total)`` callback (rich), or nothing."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any


def progress_bar(label: str, enabled: bool) -> Any:
    """A context manager yielding a ``(done, total)`` callback, or ``None`` if disabled."""
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    class _Bar:
        def __enter__(self):
            self.p = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.p.__enter__()
            self.task = self.p.add_task(label, total=None)
            return self.update

        def update(self, done: int, total: int) -> None:
            self.p.update(self.task, completed=done, total=total)

        def __exit__(self, *exc):
            return self.p.__exit__(*exc)

    return _Bar()
