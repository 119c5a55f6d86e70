"""A progress bar on standard error for long runs, only when standard error is a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from ..batch import Progress
from ..text import Lang
from .messages import t

LONG_RUN = 200
"""Units from which a run shows a progress bar."""


@contextlib.contextmanager
def progress_bar(total: int, lang: Lang) -> Iterator[Progress | None]:
    """A ``progress(done, total)`` callback drawing a transient bar on standard error, or None
    when the run is short or standard error is not a terminal (a pipe, a file, a log)."""
    if total <= LONG_RUN or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(file=sys.stderr, highlight=False, emoji=False)
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(t("progress_evaluating", lang), total=total)
        yield lambda done, _total: bar.update(task, completed=done)
