"""The trust pages: /verification/ (what the badge means, who has it) and /review-due/ (for editors: noindex, not
in the sitemap, not in the navigation).

``write_trust_pages`` takes the generator's page writer, so both pages get its breadcrumbs, canonical address
and output-folder check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..config.urls import Urls
from ..content.site import Site
from ..content.trust import DUE_SOON_DAYS, due_reviews

HOME = ("Home", Urls.home)


def write_trust_pages(write: Callable[..., None], site: Site, today: dt.date) -> None:
    """Write both pages with ``write(url, template, crumbs, **variables)``."""
    verified = sorted((p for p in site.people.values() if p.verified), key=lambda p: (p.name.casefold(), p.handle))
    crumbs: list[tuple[str, Any]] = [HOME, ("Verified professionals", None)]
    write(Urls.verification, "verification.html", crumbs, verified=verified)
    due = due_reviews(site, today)
    crumbs = [HOME, ("Reviews due", None)]
    write(Urls.review_due, "review-due.html", crumbs, sitemap=False, due=due, today=today, within=DUE_SOON_DAYS)
