"""Exception hierarchy. Every message says what to do about the problem.

The CLI maps these to one-line errors and exit codes (see ``cli.py``); the library never
prints or exits.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class for every error storyline raises on purpose."""

    exit_code = 1


class ConfigError(StorylineError):
    """A setting is missing, malformed or out of range."""

    exit_code = 2


class InputError(StorylineError):
    """Nothing usable could be read from the inputs given."""

    exit_code = 3


class StoreError(StorylineError):
    """The database could not be opened, read or written."""

    exit_code = 4


class MissingDependencyError(StorylineError):
    """An optional dependency is needed for this feature; the message names the extra."""

    exit_code = 5

    def __init__(self, package: str, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the '{package}' package: install it with "
            f"pip install 'storyline[{extra}]'"
        )
        self.package = package
        self.extra = extra
