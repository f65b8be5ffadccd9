"""The options of the `plans` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from plancompiler.parse.document import DEFAULT_ADR_DIRS

SEVERITIES = ("error", "warning", "info", "off")


class PlansConfig(base.Config):
    """`plugins: [plans: {...}]` options; each is documented in the user guide's reference."""

    adr_dirs = c.ListOfItems(c.Type(str), default=list(DEFAULT_ADR_DIRS))
    """Folder names whose numbered files (`0001-*.md`, `ADR-0001-*.md`) are ADRs."""

    severity = c.DictOfItems(c.Choice(SEVERITIES), default={})
    """Per-code severity overrides, e.g. `{PLN071: error, PLN072: off}`."""

    schemas = c.Optional(c.Dir(exists=True))
    """A folder with `plan.schema.json` and `adr.schema.json` to use instead of the shipped ones."""
