"""Render the CLI reference (docs/cli.md) from the real command tree, so the docs cannot drift."""

from __future__ import annotations

from typing import Any

import typer.main


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    subcommands = getattr(command, "commands", None)
    if subcommands is not None:
        for name in sorted(subcommands):
            found += _walk(subcommands[name], [*path, name])
    return found


def _param_line(param: Any) -> str:
    if param.param_type_name == "argument":
        return f"- `{param.name.upper()}` (argument): {getattr(param, 'help', None) or ''}".rstrip()
    names = " / ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    default = ""
    if param.default not in (None, False, ()) and not param.is_flag:
        default = f" (default: `{param.default}`)"
    return f"- {names}: {param.help or ''}{default}".rstrip()


def cli_reference() -> str:
    from triplehelix.cli import create_cli

    root = typer.main.get_command(create_cli())
    lines = [
        "# CLI reference",
        "",
        "Generated from the commands themselves (`python -m triplehelix.clidoc > docs/cli.md`).",
        "Exit codes: 0 success, 2 bad input or usage, 1 anything else.",
        "",
    ]
    for path, command in _walk(root, ["triplehelix"])[1:]:
        help_text = (command.help or "").strip()
        if getattr(command, "commands", None) is not None:
            lines += [f"## {' '.join(path)}", "", help_text, ""]
            continue
        lines += [f"### `{' '.join(path)}`", "", help_text, ""]
        params = [p for p in command.params if p.name != "help"]
        lines += [_param_line(p) for p in params] + ([""] if params else [])
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(cli_reference(), end="")
