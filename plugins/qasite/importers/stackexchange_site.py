"""Which Stack Exchange site a dump comes from, and the category its questions get by default.

The site is, in this order: ``--site-url``; the dump folder's name (``conlang.meta.stackexchange.com``);
the links inside the posts. Posts link to many sites (a meta site mostly to its main site), so only
links that name one of the dump's own questions count: ``https://<host>/questions/<id>/<slug>``
where ``<id>`` is a question of this dump and ``<slug>`` its title. Users' ``WebsiteUrl`` is their own
site, never the dump's. When nothing names the site, the error asks for ``--site-url``, naming the
hosts the posts link to most as likely answers.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..content.slugs import slugify
from .common import ImporterError

logger = logging.getLogger(__name__)

HOST_RE = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+\.(com|net|org|io|co|info)")
QUESTION_LINK_RE = re.compile(r"""href=["']https?://([a-z0-9.-]+)/(?:questions|q)/(\d+)(?:/([a-z0-9-]+))?""", re.I)
SITE_SUFFIXES = (".stackexchange.com", ".com", ".net", ".org")
MAX_LINKS = 100_000  # enough to tell; keeps memory small on the largest dumps


def folder_site(folder: Path) -> str:
    """https://<folder name> when the dump folder is named after its site; '' otherwise."""
    name = folder.resolve().name.lower()
    return f"https://{name}" if HOST_RE.fullmatch(name) else ""


def site_from_posts(folder: Path, rows: Iterable[dict[str, str]]) -> tuple[str, int]:
    """(https://<host>, how many links named it) from the posts' links to their own questions.

    Raises ImporterError (which flag to pass, with likely hosts) when no host wins.
    """
    titles: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []
    for row in rows:
        if row.get("PostTypeId") == "1" and row.get("Title"):
            titles[row.get("Id", "")] = slugify(row["Title"], None)[:30]
        if len(links) < MAX_LINKS:
            links += [(h.lower(), i, s.lower()) for h, i, s in QUESTION_LINK_RE.findall(row.get("Body", ""))]
    own: Counter[str] = Counter()
    for host, post_id, slug in links:
        title = titles.get(post_id)
        if title and slug and (title.startswith(slug[:30]) or slug.startswith(title)):
            own[host] += 1
    ranked = own.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return f"https://{ranked[0][0]}", ranked[0][1]
    likely = [host for host, _ in Counter(host for host, _, _ in links).most_common(3)]
    examples = " or ".join(f"--site-url https://{host}" for host in likely) or (
        "--site-url https://conlang.meta.stackexchange.com"
    )
    raise ImporterError(
        f"{folder}: which Stack Exchange site is this dump from? Its folder is not named after the site and "
        f"its posts do not say: give the site's address, like {examples} "
        "(it makes each post's source link and attribution)"
    )


def site_category(site: str) -> str:
    """The default category for a site's questions: 'https://conlang.meta.stackexchange.com' -> 'Conlang meta'."""
    host = site.split("://", 1)[-1].lower()
    for suffix in SITE_SUFFIXES:
        if host.endswith(suffix) and host != suffix.lstrip("."):
            host = host[: -len(suffix)]
            break
    words = " ".join(host.replace("-", " ").split(".")).strip() or "Stack Exchange"
    return words[0].upper() + words[1:]
