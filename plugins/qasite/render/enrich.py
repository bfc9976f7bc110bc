"""The loaded posts made ready for their pages: related lists, contribute links, links under SITEURL's path.

A load leaves every post as rendered, without links (``content/reload._restore`` puts the kept ones back so): each
post's ``edit_link`` None and its HTML with site-absolute links. Without a repository and with a SITEURL that has no
path, enriching a post would leave both as they are, so only the questions' related lists and answer links are set:
the live preview's edits then skip a pass over every answer (~28,600 posts at 10,000 questions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..content.links import moves_links, under_path
from ..content.site import Site
from ..tools import contribute


def enrich(site: Site, settings: Mapping[str, Any], related: Mapping[str, Any] | None, href: str) -> None:
    """Give each question its ``related`` list and answer link (``href`` without a repository), each post its edit
    link and its HTML under SITEURL's path, each page its content under that path (``related`` None: the lists are
    set later, before each shard's pages: ``content/related_shards``)."""
    repo, branch, siteurl = settings["QA_REPO_URL"], settings["QA_REPO_BRANCH"], settings["SITEURL"]
    posts = bool(repo) or moves_links(siteurl)  # else each post's edit link and HTML are already as they would be
    for question in site.questions:
        if related is not None:
            question.related = related[question.slug]
        question.answer_link = contribute.answer_url(question, repo=repo, branch=branch) or href
        if posts:
            for post in (question, *question.answers):
                post.edit_link = contribute.edit_url(repo=repo, branch=branch, path=post.source_path) if repo else None
                post.body_html = under_path(post.body_html, siteurl)
    for page in site.pages:
        page.content = under_path(page.content, siteurl)
