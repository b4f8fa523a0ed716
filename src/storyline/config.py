"""One frozen :class:`Settings` object, built once from defaults < TOML file < env < CLI flags.

Stages receive it as an argument; nothing reads the environment or a global at run time
(module-level mutable state would differ between Dask workers).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

ENV_PREFIX = "STORYLINE_"
DEFAULT_DB = "sqlite:///storyline.db"


@dataclass(frozen=True, slots=True)
class Settings:
    """User-facing knobs. Stage-internal thresholds live as named constants in each stage."""

    db_url: str = DEFAULT_DB
    summary_words: int = 100
    seed: int = 1
    minhash_permutations: int = 128
    # Largest input file read whole; bigger files are skipped with a reason (not truncated).
    max_file_bytes: int = 64 * 1024 * 1024
    # Largest article text kept; longer texts are skipped, not silently cut.
    max_text_chars: int = 2_000_000
    # Day gap sigma of the clustering time term (DESIGN.md method notes: ~3 days).
    time_sigma_days: float = 3.0
    # Join-decision model for the clusterer (JSON written by `storyline fit-clusterer`);
    # empty = the model shipped in the package.
    cluster_model: str = ""
    workers: int = 0
    scheduler: str | None = None
    progress: bool = True

    def __post_init__(self) -> None:
        for name, low in _MINIMA.items():
            value = getattr(self, name)
            if value < low:
                raise ConfigError(f"setting {name}={value!r} is out of range: it must be at "
                                  f"least {low}")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @classmethod
    def load(
        cls,
        file: str | Path | None = None,
        env: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> Settings:
        """Defaults, then a TOML file (``[storyline]`` table or top level), then
        ``STORYLINE_*`` environment variables, then explicit overrides (CLI flags; ``None``
        values are ignored so unset flags keep the lower layers)."""
        values: dict[str, Any] = {}
        if file is not None:
            values.update(_read_toml(Path(file)))
        env = os.environ if env is None else env
        known = {f.name: f for f in fields(cls)}
        for name in known:
            key = ENV_PREFIX + name.upper()
            if key in env:
                values[name] = env[key]
        if overrides:
            values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {', '.join(unknown)}; known settings: {', '.join(known)}"
            )
        return cls(**{k: _coerce(k, v, cls) for k, v in values.items()})


# Smallest sensible value of each numeric setting (checked when a Settings is built).
_MINIMA: dict[str, float] = {
    "summary_words": 1, "minhash_permutations": 16, "max_file_bytes": 1, "max_text_chars": 1,
    "time_sigma_days": 0.01, "workers": 0,
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"settings file {path} does not exist; pass an existing TOML file"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"settings file {path} is not valid TOML: {exc}") from None
    table = data.get("storyline", data)
    if not isinstance(table, dict):
        raise ConfigError(f"settings file {path}: [storyline] must be a table")
    return dict(table)


def _coerce(name: str, value: Any, cls: type[Settings]) -> Any:
    default = getattr(cls(), name)
    kind = type(default) if default is not None else str
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    try:
        if kind is bool:
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(text)
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting {name}={value!r} is not a valid {kind.__name__}"
        ) from None
