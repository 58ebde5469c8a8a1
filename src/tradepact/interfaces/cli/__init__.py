"""The ``tradepact`` command: thin, it parses options, calls the public API and renders.

Every error a user can cause is a :class:`~tradepact.core.errors.TradepactError`,
printed as one paragraph on stderr with exit code 2 and no traceback.
Command modules import only click at load time, so ``tradepact --help``
starts fast; the engines are imported when a command runs.
"""

from __future__ import annotations

import importlib
import sys

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


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user errors into exit code 2."""
    from ...core.errors import TradepactError
    try:
        cli.main(args=argv, prog_name="tradepact", standalone_mode=False)
    except TradepactError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2
    except OSError as exc:
        click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        return 2
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
