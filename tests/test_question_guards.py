"""partials/question-body.html calls a post line's macro (edit link, source, edited, reviewed) only when its first
condition holds: the same files as calling every macro on every post."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from test_once import differences

from conftest import ROOT, copy_site
from qasite.build.pipeline import build, load_settings

# ``{{ m.macro(args) if condition else "" }}``: the guarded call, its guard taken away by ``unguarded``
GUARDED = re.compile(r'\{\{ (m\.\w+\([^{}]*?\)) if [^{}]*? else "" \}\}')
GUARDS = 8  # question: reviewed, edit link, source, edited; answer: the same four
SOURCE = "https://example.stackexchange.com/q/1"


BODY = "partials/question-body.html"  # a question and its answers


def unguarded(templates: Path) -> Path:
    """A templates folder whose question body calls the guarded macros on every post (Pelican's
    THEME_TEMPLATES_OVERRIDES: it comes before the theme's)."""
    source = (ROOT / "theme" / "templates" / BODY).read_text()
    text, count = GUARDED.subn(r"{{ \1 }}", source)
    assert count == GUARDS, f"{BODY} has {count} guarded macro calls, the test expects {GUARDS}"
    (templates / BODY).parent.mkdir(parents=True)
    (templates / BODY).write_text(text)
    return templates


def both_ways(conf: Path, target: Path, overrides: dict[str, Any]) -> tuple[list[str], str]:
    """Build ``conf``'s site with the theme's question body and without its guards: the files that differ, and
    every question page's HTML (of the guarded build) in one string."""
    outputs = []
    for name, extra in (("guarded", {}), ("unguarded", {"THEME_TEMPLATES_OVERRIDES": [str(unguarded(target / "t"))]})):
        settings = {"OUTPUT_PATH": str(target / name), "QA_CACHE_PATH": str(target / f"cache-{name}")}
        outputs.append(build(settings=load_settings(conf, settings | overrides | extra)))
    pages = "".join(page.read_text() for page in sorted((outputs[0] / "questions").glob("*/index.html")))
    assert pages, "no question page was built"
    return differences(*outputs), pages


def test_demo_site_the_same_with_every_post_line_shown(tmp_path: Path) -> None:
    # A repository: every post has an edit link. The demo has imported, edited and reviewed posts.
    overrides = {"QA_SEARCH": False, "QA_REPO_URL": "https://github.com/example/faq"}
    different, pages = both_ways(ROOT / "pelicanconf.py", tmp_path, overrides)
    assert different == []
    for line in ('class="qa-edit"', 'class="qa-edited"', 'class="qa-reviewed"'):  # the source line: the hostile corpus
        assert line in pages, f"no post of the demo shows {line}: the comparison would not cover its guard"


def test_hostile_corpus_the_same_with_every_post_line_shown(tmp_path: Path) -> None:
    conf = copy_site(tmp_path / "site", "hostile")
    question = conf.parent / "content" / "questions" / "a-plain-question"
    for post in (question / "index.md", question / "answers" / "2024-03-06-mallory.md"):  # imported posts
        text = post.read_text()
        post.write_text(text.replace("\n---\n", f"\nsource: {SOURCE}\nlicense: CC BY-SA 4.0\n---\n", 1))
    different, pages = both_ways(conf, tmp_path, {"QA_SEARCH": False, "QA_REPO_URL": "https://github.com/example/faq"})
    assert different == []
    assert pages.count('class="qa-source"') == 2
