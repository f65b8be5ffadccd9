"""Reading the `plans` options from mkdocs.yml, for the CLI and the plugin alike."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plancompiler.analyse.calendar import CalendarError, parse_calendar, parse_date, parse_stale_after
from plancompiler.analyse.forecast import TimeOptions
from plancompiler.compiler import Options
from plancompiler.diagnostics import SeverityPolicy
from plancompiler.parse.document import DEFAULT_ADR_DIRS
from plancompiler.validate.adr_status import DEFAULT_ALIASES, STATES, alias_key


class SettingsError(Exception):
    """Configuration that cannot be used; the message says what to change."""


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely: tags such as `!!python/name:` and `!ENV` become plain values."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("", _untagged)


def options_from_mapping(raw: Mapping[str, Any], base_dir: str | os.PathLike[str] = ".") -> Options:
    """Build compiler options from the plugin's configuration mapping; explain what is wrong."""
    adr_dirs = raw.get("adr_dirs", list(DEFAULT_ADR_DIRS))
    if not isinstance(adr_dirs, list) or not all(isinstance(d, str) and d for d in adr_dirs):
        raise SettingsError("'adr_dirs' must be a list of folder names, such as [decisions, adr]")
    severity = raw.get("severity") or {}
    if not isinstance(severity, Mapping):
        raise SettingsError("'severity' must map diagnostic codes to error, warning, info or off")
    # YAML 1.1 reads an unquoted `off` as false: that is what the user meant.
    severity = {k: ("off" if v is False else v) for k, v in severity.items()}
    problems = SeverityPolicy.problems(severity)
    if problems:
        raise SettingsError("; ".join(problems))
    schema_dir = raw.get("schemas")
    if schema_dir is not None:
        if not isinstance(schema_dir, str):
            raise SettingsError("'schemas' must be the path of a folder holding plan.schema.json")
        schema_dir = str((Path(base_dir) / schema_dir).resolve())
        if not Path(schema_dir).is_dir():
            raise SettingsError(f"'schemas' names {schema_dir}, which is not a folder")
    return Options(
        adr_dirs=tuple(adr_dirs),
        severity=tuple(sorted((str(k), str(v)) for k, v in severity.items())),
        schema_dir=schema_dir,
        time=time_options(raw),
        adr_status_aliases=status_aliases(raw.get("adr_status_aliases")),
    )


TODAY_VARIABLE = "PLANS_TODAY"


def time_options(raw: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> TimeOptions:
    """`calendar:`, `today:` and `stale_after:`; the environment variable `PLANS_TODAY`, when
    set, is today (so that CI and tests build the same site on any day)."""
    environ = os.environ if environ is None else environ
    try:
        calendar = parse_calendar(raw.get("calendar"))
        stale_after = parse_stale_after(raw.get("stale_after") or 30)
        today = None
        if environ.get(TODAY_VARIABLE):
            today = parse_date(environ[TODAY_VARIABLE], f"the environment variable {TODAY_VARIABLE}")
        elif raw.get("today") is not None:
            today = parse_date(raw["today"], "'today'")
    except CalendarError as exc:
        raise SettingsError(str(exc)) from None
    return TimeOptions(calendar, today, stale_after)


def status_aliases(raw: Any) -> tuple[tuple[str, str], ...]:
    """The alias table of ADR status words: the documented defaults, changed by the option.

    The option's mapping adds words (`approved: accepted`) or, mapped to `off`, removes a
    default (`draft: off`); `adr_status_aliases: off` leaves only the five states' own names.
    """
    if raw is None:
        table = dict(DEFAULT_ALIASES)
    elif raw is False or raw == "off":
        table = {}
    elif isinstance(raw, Mapping):
        table = dict(DEFAULT_ALIASES)
        for word, state in raw.items():
            # YAML 1.1 reads an unquoted `off` as false, and `yes`/`no` keys as booleans.
            key = alias_key(str(word).lower() if isinstance(word, bool) else str(word))
            if key in STATES:
                raise SettingsError(f"'adr_status_aliases' cannot redefine '{word}', which is one of the five states")
            if state is False or state == "off":
                table.pop(key, None)
            elif state in STATES:
                table[key] = str(state)
            else:
                raise SettingsError(
                    f"'adr_status_aliases' maps '{word}' to {state!r}; map each word to one of"
                    f" {', '.join(STATES)}, or to off to drop a default"
                )
    else:
        raise SettingsError(
            "'adr_status_aliases' must map status words to states, such as {approved: accepted}, or be off"
        )
    return tuple(sorted(table.items()))


@dataclass(frozen=True)
class SiteSettings:
    """What the CLI needs from a MkDocs configuration file."""

    base_dir: Path
    docs_dir: Path
    plugin: dict[str, Any]
    has_plugin: bool


def read_mkdocs_yml(path: str | os.PathLike[str]) -> SiteSettings:
    """Read docs_dir and the `plans` plugin's options from mkdocs.yml, without MkDocs."""
    file = Path(path)
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except OSError as exc:
        raise SettingsError(f"cannot read {file}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"{file} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{file} must be a mapping of settings")
    base = file.resolve().parent
    plugin: dict[str, Any] = {}
    found = False
    for entry in data.get("plugins") or []:
        if entry == "plans":
            found = True
        elif isinstance(entry, dict) and "plans" in entry:
            found = True
            plugin = entry["plans"] or {}
    if isinstance(data.get("plugins"), dict) and "plans" in data["plugins"]:
        found = True
        plugin = data["plugins"]["plans"] or {}
    if not isinstance(plugin, dict):
        raise SettingsError(f"{file}: the options of the 'plans' plugin must be a mapping")
    return SiteSettings(base, base / str(data.get("docs_dir", "docs")), plugin, found)
