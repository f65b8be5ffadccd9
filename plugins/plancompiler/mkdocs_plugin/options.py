"""The plugin's options read into the compiler's, and checked."""

from __future__ import annotations

import os

from mkdocs.exceptions import PluginError

from plancompiler.compiler import Options
from plancompiler.emit.context import PagePaths
from plancompiler.mkdocs_plugin.config import PlansConfig
from plancompiler.settings import SettingsError, options_from_mapping


def compiler_options(config: PlansConfig, config_file_path: str | None) -> Options:
    """The compiler's options from the plugin's; paths are relative to mkdocs.yml's folder."""
    try:
        return options_from_mapping(
            {
                "adr_dirs": config.adr_dirs,
                "adr_status_aliases": config.adr_status_aliases,
                "severity": config.severity,
                "schemas": config.schemas,
                "calendar": config.calendar,
                "today": config.today,
                "stale_after": config.stale_after,
            },
            os.path.dirname(config_file_path or "."),
        )
    except SettingsError as exc:
        raise PluginError(f"plans: {exc}") from None


def page_paths(config: PlansConfig) -> PagePaths:
    """Where the generated pages and the export go, once checked: each a different `.md` path
    inside the docs folder."""
    paths = PagePaths(
        config.gates_index,
        config.plans_index,
        config.decision_log,
        config.export,
        config.owners,
        config.problems,
        config.timeline,
    )
    pages = [paths.gates_index, paths.plans_index, paths.decision_log, paths.owners, paths.problems, paths.timeline]
    for value in pages:
        if not value.endswith(".md") or value.startswith(("/", "..")):
            raise PluginError(f"plans: generated page path {value!r} must be a .md path inside the docs folder")
    if len(set(pages)) != len(pages):
        raise PluginError(
            "plans: gates_index, plans_index, decision_log, owners, problems and timeline must be different paths"
        )
    return paths
