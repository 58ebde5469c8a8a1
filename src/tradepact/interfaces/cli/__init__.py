"""The ``tradepact`` command: thin, it parses options, calls the public API and renders.

Every error a user can cause is a :class:`~tradepact.core.errors.TradepactError`,
printed as one paragraph on stderr with exit code 2 and no traceback. An
interrupt (SIGINT, Ctrl-C) exits 130 and SIGTERM 143, after the report
writer has removed its temporary files.
Command modules import only click at load time, so ``tradepact --help``
starts fast; the engines are imported when a command runs.
"""

from __future__ import annotations

import atexit
import importlib
import os
import signal
import sys
import threading

import click

#: Command name -> module (under this package) that defines it as ``command``.
COMMANDS = {
    "assess": "assess", "params": "params", "schema": "scenarios", "scenarios": "scenarios",
    "simulate": "simulate", "zopa": "zopa", "tariffs": "tariffs", "evidence": "evidence", "serve": "serve",
}


class _LazyGroup(click.Group):
    """A group whose subcommands are imported when first named."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            mod = importlib.import_module(f".{module}", __name__)
        except ImportError as exc:      # an optional extra is not installed
            return _missing(name, exc)
        return getattr(mod, name.replace("-", "_") + "_cmd")


def _missing(name: str, exc: ImportError) -> click.Command:
    @click.command(name, help=f"(not available: {exc.name} is not installed)")
    def cmd() -> None:
        from ...core.errors import TradepactError
        raise TradepactError(f"the '{name}' command needs the package {exc.name}, which is not installed",
                             expected="pip install 'tradepact[web,news]' (see the README, Extras)")
    return cmd


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tradepact")
def cli() -> None:
    """Price, stress-test and negotiate investment-for-tariff-relief trade deals."""


class _Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, raised where the program is (so ``finally`` blocks clean up)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_interrupt(signum: int, frame: object) -> None:
    raise _Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user errors into exit code 2 and
    interrupts into 130 (SIGINT) or 143 (SIGTERM)."""
    from ...core.errors import TradepactError
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, _raise_interrupt)
    # --allow-path lasts one call; the scenario module is imported only if a command needs it
    files = sys.modules.get("tradepact.core.scenario_files")
    saved_allowed = files.allow_paths(()) if files is not None else ()
    try:
        return _run(argv, TradepactError)
    except KeyboardInterrupt as exc:       # arrived outside click's handling
        click.echo("aborted", err=True)
        return 128 + getattr(exc, "signum", signal.SIGINT)
    finally:
        files = sys.modules.get("tradepact.core.scenario_files")
        if files is not None:
            files.allow_paths(saved_allowed)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(argv: list[str] | None, user_error: type[Exception]) -> int:
    try:
        cli.main(args=argv, prog_name="tradepact", standalone_mode=False)
    except user_error as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except click.exceptions.Abort as exc:
        click.echo("aborted", err=True)
        return 128 + getattr(exc.__context__, "signum", signal.SIGINT)
    except click.UsageError as exc:
        where = f"{exc.ctx.command_path}: " if exc.ctx is not None else ""
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        click.echo(f"error: {where}{' '.join(exc.format_message().split())}{hint}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        return 2
    except OSError as exc:
        click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        return 2
    except MemoryError:
        click.echo("error: the run needs more memory than this machine has. Expected a smaller run "
                   "(fewer --draws or scenarios, or a --max-memory limit that refuses it up front).", err=True)
        return 2
    except RecursionError:
        click.echo("error: the input is nested too deeply to read. Expected a flatter input.", err=True)
        return 2
    return 0


def allow_path_option(fn):  # noqa: ANN001, ANN201 - a click decorator
    """``--allow-path DIR`` (repeatable): a folder that scenario ``base:`` and
    ``file:`` paths may name outside the scenario's own folder tree."""
    def set_dirs(ctx: click.Context, param: click.Parameter, value: tuple) -> tuple:
        from ...core.scenario_files import allow_paths
        allow_paths(tuple(value or ()))
        return value
    return click.option("--allow-path", "allow_path", multiple=True, expose_value=False, callback=set_dirs,
                        is_eager=True, type=click.Path(exists=True, file_okay=False, dir_okay=True),
                        metavar="DIR", help="Let scenario base:/file: paths name files under DIR "
                        "(outside the scenario's folder); repeatable.")(fn)


def run() -> None:
    """Console-script entry point.

    Once the command is done and no other thread runs, the process leaves
    without the interpreter's teardown: the exit handlers run and the standard
    streams are flushed first, then the system reclaims the memory. Freeing
    every module and object one by one (0.1–0.2 s once numba, SciPy and Polars
    are loaded) writes nothing and only delays the shell's prompt."""
    code = main()
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):    # the reader has gone, or the stream is closed
            pass
    os._exit(code)
