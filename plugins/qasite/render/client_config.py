"""The values the theme's scripts need, written once here and handed to them in the page's qa-config block.

partials/config.html writes ``client_config(...)`` as ``<script type="application/json" id="qa-config">``
(through ``tojson``, so no value can close the element); theme/static/js/config.js reads it. Data,
not script: the CSP's "no inline script" still holds.
"""

from __future__ import annotations

from typing import Any

from ..config.urls import Urls
from ..tools.contribute import TITLE_PLACEHOLDER

# The fragment parameter of a search result's link that carries a word to highlight (#…&highlight=word).
HIGHLIGHT_PARAM = "highlight"


def client_config(
    *, siteurl: str, urls: Urls, ask_url: str, search: bool, breakpoints: dict[str, str]
) -> dict[str, Any]:
    """What the scripts read: Pagefind's modules, the search sort table and shard count (None without search),
    the ask link and its title placeholder,
    the highlight parameter, and the breakpoints named in the theme's tokens.css (name -> media query, for
    ``window.matchMedia``)."""
    pagefind = f"{siteurl}/{urls.pagefind}"
    return {
        "pagefind": f"{pagefind}pagefind.js" if search else None,
        "pagefindHighlight": f"{pagefind}pagefind-highlight.js" if search else None,
        "searchSorts": f"{siteurl}/{urls.search_sorts}" if search else None,
        "searchShards": f"{siteurl}/{urls.search_shards}" if search else None,
        "askUrl": ask_url,
        "askTitlePlaceholder": TITLE_PLACEHOLDER,
        "highlightParam": HIGHLIGHT_PARAM,
        "breakpoints": breakpoints,
    }
