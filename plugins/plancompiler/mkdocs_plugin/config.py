"""The options of the `plans` plugin in mkdocs.yml."""

from __future__ import annotations

import datetime

from mkdocs.config import base
from mkdocs.config import config_options as c

from plancompiler.parse.document import DEFAULT_ADR_DIRS


class _OffAsFalse(c.OptionallyRequired[str]):
    """An option that takes `off`: mkdocs.yml is YAML 1.1, where a bare `off` reads as False."""

    def __init__(self, inner: c.BaseConfigOption[str], default: str) -> None:
        super().__init__(default=default)
        self.inner = inner

    def run_validation(self, value: object) -> str:
        return self.inner.validate("off" if value is False else value)


class PlansConfig(base.Config):
    """`plugins: [plans: {...}]` options; each is documented in the user guide's reference."""

    adr_dirs = c.ListOfItems(c.Type(str), default=list(DEFAULT_ADR_DIRS))
    """Folder names whose numbered files (`0001-*.md`, `ADR-0001-*.md`) are ADRs."""

    adr_status_aliases = c.Optional(c.Type((dict, bool, str)))
    """Status words of decision records and the state each stands for, added to the documented
    defaults (`{approved: accepted, draft: off}`); `off` keeps only the five states' names."""

    severity = c.Type(dict, default={})
    """Per-code severity overrides, e.g. `{PLN071: error, PLN072: off}`."""

    schemas = c.Optional(c.Dir(exists=True))
    """A folder with `plan.schema.json` and `adr.schema.json` to use instead of the shipped ones."""

    summary = _OffAsFalse(c.Choice(("top", "marker", "off")), default="top")
    """Where a plan's or ADR's rendered summary goes: `top` puts its card after the page's first
    heading and a plan's detail at `<!-- plans:summary -->`, else at the end of the page;
    `marker` puts both at the marker only; `off` leaves them out."""

    gates_index = c.Type(str, default="gates.md")
    """Path of the generated Gates Index inside the docs folder."""

    plans_index = c.Type(str, default="plan-index.md")
    """Path of the generated plans index inside the docs folder."""

    decision_log = c.Type(str, default="decision-log.md")
    """Path of the generated decision log inside the docs folder."""

    owners = c.Type(str, default="owners.md")
    """Path of the generated Owners page (work by person, and what blocks it) inside the docs folder."""

    problems = c.Type(str, default="problems.md")
    """Path of the generated Problems page (every diagnostic of the site) inside the docs folder."""

    export = c.Type(str, default="plans.json")
    """Path of the JSON export of the compiled model inside the built site."""

    mermaid = _OffAsFalse(c.Type(str), default="bundled")
    """`bundled` serves the Mermaid copy shipped with the plugin, so graphs render offline;
    `off` leaves Mermaid to the theme (a CDN); anything else is the URL or site path of a
    `mermaid.min.js` to load instead."""

    timeline = c.Type(str, default="timeline.md")
    """Path of the generated Timeline page (every plan's remaining work by phase) inside the docs folder."""

    calendar = c.Optional(c.Type(dict))
    """Working weekdays and holidays: `{working_days: [mon, tue, wed, thu, fri], holidays: [2026-12-25]}`."""

    today = c.Optional(c.Type((str, datetime.date)))
    """The day schedules start from and due dates are checked against (default: the day of the
    build); the environment variable `PLANS_TODAY` overrides it."""

    stale_after = c.Optional(c.Type((str, int)))
    """After how many calendar days (`30d`, `4w`) a task in progress with no change in git is stale."""

    nav_plans = c.Choice(("auto", "all", "index"), default="auto")
    """Whether the navigation MkDocs builds from the docs folder lists every plan and ADR
    (`all`), only the site's other pages and the generated indexes (`index`), or the first up
    to `nav_plans_limit` plans and ADRs and the indexes past it (`auto`)."""

    nav_plans_limit = c.Type(int, default=100)
    """With `nav_plans: auto`, the number of plans and ADRs past which they leave the navigation."""

    templates = c.Optional(c.Dir(exists=True))
    """A folder with `plan.md` and `adr.md` templates for `plans new` (the CLI reads it)."""
