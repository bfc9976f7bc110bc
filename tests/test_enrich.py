"""render/enrich.py leaves every loaded post as the generator's full pass over every post does, in each setting: a
repository or none, a SITEURL with a path or none. Without either it skips the pass over the posts (their edit links
and HTML are already as the pass would leave them): the fixture site, loaded twice, one enriched by ``enrich`` and
one by the full pass written out here, compared post by post (related list, answer link, edit link, HTML)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO_TODAY, copy_site
from qasite.config.urls import Urls
from qasite.content.links import under_path
from qasite.content.loader import load_site
from qasite.content.site import Site
from qasite.content.trust import Policy
from qasite.render.enrich import enrich
from qasite.tools import contribute

REPO, SITEURL = "https://github.com/example/faq", "https://faq.example.net/faq"
HREF = "/contribute/"  # the answer link without a repository (the generator's ``_contribute_href``)


def load(content: Path) -> Site:
    policy = Policy(today=dt.date.fromisoformat(REPO_TODAY))
    site, problems = load_site(content, timezone="Europe/London", urls=Urls(), processes=1, policy=policy)
    assert not [p for p in problems if p.is_error]
    return site


def every_post(site: Site, settings: dict[str, Any], related: dict[str, list[Any]]) -> None:
    """The generator's pass before the skip: every question, every post, every page."""
    repo, branch, siteurl = settings["QA_REPO_URL"], settings["QA_REPO_BRANCH"], settings["SITEURL"]
    for question in site.questions:
        question.related = related[question.slug]
        question.answer_link = contribute.answer_url(question, repo=repo, branch=branch) or HREF
        for post in (question, *question.answers):
            post.edit_link = contribute.edit_url(repo=repo, branch=branch, path=post.source_path) if repo else None
            post.body_html = under_path(post.body_html, siteurl)
    for page in site.pages:
        page.content = under_path(page.content, siteurl)


def state(site: Site) -> list[Any]:
    posts = [
        (q.slug, q.related, q.answer_link, [(p.source_path, p.edit_link, p.body_html) for p in (q, *q.answers)])
        for q in site.questions
    ]
    return posts + [(page.source_path, page.content) for page in site.pages]


@pytest.mark.parametrize(("repo", "siteurl"), [("", ""), (REPO, ""), ("", SITEURL), (REPO, SITEURL)])
def test_enrich_leaves_each_post_as_the_full_pass(tmp_path: Path, repo: str, siteurl: str) -> None:
    content = copy_site(tmp_path / "site").parent / "content"
    ours, theirs = load(content), load(content)
    settings = {"QA_REPO_URL": repo, "QA_REPO_BRANCH": "main", "SITEURL": siteurl}
    related = {q.slug: [f"related to {q.slug}"] for q in ours.questions}
    enrich(ours, settings, related, HREF)
    every_post(theirs, settings, related)
    assert state(ours) == state(theirs)
    # the setting really moves what it should (else the comparison proves nothing for it)
    answers = [a for q in ours.questions for a in q.answers]
    assert all(a.edit_link for a in answers) == bool(repo) and answers
    moved = [q for q in ours.questions if 'href="/faq/about/"' in q.body_html]
    assert bool(moved) == bool(siteurl)
