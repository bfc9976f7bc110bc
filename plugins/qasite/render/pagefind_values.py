"""How free text (a category name) is written in a ``data-pagefind-filter`` attribute
(theme/templates/partials/search-data.html), so that the search page's facets show it as written and ticking it
finds its questions. Two things Pagefind 1.5.2 does to a filter value, both undone by ``pagefind_filter``:

- It decodes the value's character references twice: its parser reads the attribute as written (lol_html does not
  decode it), and ``normalize_content`` (pagefind/src/fossick/mod.rs), which decodes them, is applied to a filter
  value twice (in ``get_attribute_pair`` and again where pagefind/src/fossick/parser.rs stores the filter; a
  meta value once, so meta needs nothing). A name holding the text ``&amp;`` or ``&#34;`` was indexed as ``&`` or
  ``"``. Each ``&`` that could start a reference (before a letter, a digit or ``#``) is written ``&amp;`` before the
  template escapes the value (the page holds ``&amp;amp;``): the first decoding gives ``&amp;``, the second
  ``&``. An ``&`` before anything else (``Work & study``) is left alone: neither decoding changes it.
- Its WebAssembly looks a search's filter value up by the text between the quotes of the JSON its JavaScript
  sends (``read_string`` of the pagefind_microjson crate returns it with its escapes), so a value holding ``"``
  or ``\\`` (sent as ``\\"``, ``\\\\``) never matched: ticking such a category found nothing. ``%``, ``"`` and
  ``\\`` are written ``%25``, ``%22`` and ``%5C``, so an indexed value holds nothing JSON escapes (the build
  refuses control characters in names); ``search-index.js`` asks for values encoded the same way
  (``filterValue``) and reads the counts Pagefind returns back (``plainValue``), so the facets, the address and
  the rest of the page only ever see names as written.

Tags need neither (a tag is lowercase letters, digits and hyphens: ``content/slugs.py``) and go through it all
the same. The template still escapes the value (no ``|safe``). ``tests/test_search_names.py`` checks it all in
Chromium, so a Pagefind upgrade that changes either behaviour fails there.
"""

from __future__ import annotations

import re

REFERENCE_START = re.compile(r"&(?=[A-Za-z0-9#])")  # an "&" a character reference could start with
JSON_ESCAPED = re.compile(r'[%"\\]')  # what JSON escapes in a name, and "%" (this encoding's own escape)


def pagefind_filter(value: str) -> str:
    """``value`` for a ``data-pagefind-filter`` attribute, escaped by the template as any text: ``%``, ``"`` and
    ``\\`` percent-encoded (as ``filterValue`` in theme/static/js/search-index.js), and each ``&`` that could
    start a character reference as ``&amp;``."""
    encoded = JSON_ESCAPED.sub(lambda found: f"%{ord(found[0]):02X}", value)
    return REFERENCE_START.sub("&amp;", encoded)
