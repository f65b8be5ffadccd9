"""Where the site's pages go, as the summaries link to them."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url


def where_pages_go(config: MkDocsConfig) -> tuple[object, ...]:
    """What decides the URL of a page besides its path, for the keys of pieces kept between
    builds: the site (one process can build several, and MkDocs keeps this plugin between
    them) and `use_directory_urls`. A plugin that moves a page whose content did not change
    (a blog post given a new date) is not seen: restart `mkdocs serve` then."""
    return (config.config_file_path, config.use_directory_urls)


class RelativeUrls:
    """The URL of the page `there` as seen from the page `here`, both named by source path;
    summaries link to the same pages again and again, and each pair is worked out once."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self.known: dict[tuple[str, str], str] = {}

    def __call__(self, here: str, there: str) -> str:
        try:
            return self.known[here, there]
        except KeyError:
            url = self.known[here, there] = get_relative_url(_url(self.files, there), _url(self.files, here))
            return url


def _url(files: Files, src: str) -> str:
    file = files.src_uris.get(src)
    if file is None or not file.is_documentation_page() or not file.inclusion.is_included():
        return src
    return file.url
