"""Docs are checked by tests: every command has help text and a README entry."""

from __future__ import annotations

import re

from click.testing import CliRunner

from storyline.cli import cli
from tests.conftest import ROOT


def test_every_command_has_help_and_readme_entry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cli.commands, "the CLI defines no command"
    for name, command in cli.commands.items():
        assert (command.help or "").strip(), f"`storyline {name}` has no help text"
        assert re.search(rf"`storyline {name}\b", readme), f"README does not document {name}"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_readme_quick_start_is_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [ln.split("#")[0].strip() for ln in block.splitlines()[1:] if ln.strip()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
