"""Anonymous means anonymous: a question, an answer and an edit by ``anonymous`` leave no handle,
profile link or identifying metadata in any output: pages, JSON-LD, feeds, sitemap, search index.

The fixture site has an anonymous question (is-group-therapy-worth-it) and an anonymous answer
(2023-07-01-anon); the test adds an answer to the anonymous question, so it has JSON-LD, and an
anonymous edit. Every output file is parsed by its kind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import copy_site
from pagefind_files import cbor_document, pagefind_data, strings
from qasite.build.pipeline import build, load_settings, run_cli

GROUP = "questions/is-group-therapy-worth-it"
ETHICS = "questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
ANONYMOUS_PERSON = {"@type": "Person", "name": "Anonymous"}
ATOM = "{http://www.w3.org/2005/Atom}"
# The fixture's members: none of their handles or names may be tied to an anonymous post.
MEMBERS = ("jordan-lee", "sam-rivera", "ada-moss", "Jordan Lee", "Sam Rivera", "Ada Moss")


def anonymous_site(site: Path) -> None:
    """The fixture, plus a member's answer to the anonymous question and an anonymous edit of it."""
    question = site / "content" / GROUP / "index.md"
    question.write_text(
        question.read_text().replace(
            "author: anonymous\n", "author: anonymous\nedited: 2023-02-03\nedited_by: anonymous\n"
        )
    )
    answer = site / "content" / GROUP / "answers" / "2023-02-02-ada-moss.md"
    answer.parent.mkdir()
    answer.write_text("---\nauthor: ada-moss\ndate: 2023-02-02\nvotes: 2\n---\n\nIt helped me.\n")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    conf = copy_site(tmp_path_factory.mktemp("anonymous") / "site")
    anonymous_site(conf.parent)
    return build(settings=load_settings(conf, {"QA_SEARCH": True}))


def html_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.parts)


def test_no_page_or_sitemap_entry_for_anonymous(output: Path) -> None:
    assert not (output / "users" / "anonymous").exists()
    assert sorted(p.name for p in (output / "users").iterdir()) == ["ada-moss", "jordan-lee", "sam-rivera"]
    sitemap = etree.parse(str(output / "sitemap.xml"))
    locations = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert locations and not [loc for loc in locations if "anonymous" in loc.lower()]


def test_no_attribute_of_any_page_names_anonymous(output: Path) -> None:
    """Links, ids, data attributes, meta: the word is only ever shown, never an address or a key.
    (Class names are the theme's: qa-person__name--anonymous styles the name.)"""
    found = []
    for path in html_files(output):
        for element in BeautifulSoup(path.read_bytes(), "lxml").find_all(True):
            for name, value in element.attrs.items():
                text = " ".join(value) if isinstance(value, list) else value
                if name != "class" and "anonymous" in text.lower():
                    found.append(f"{path.relative_to(output)}: <{element.name} {name}={text!r}>")
    assert found == []


def test_anonymous_posts_show_the_name_anonymous_and_nothing_else(output: Path) -> None:
    soup = BeautifulSoup((output / GROUP / "index.html").read_bytes(), "lxml")
    card = soup.select_one(".qa-question .qa-usercard")
    assert " ".join(card.get_text().split()) == "asked Feb 1, 2023 by Anonymous"
    assert card.select("a") == []
    edited = soup.select_one(".qa-question .qa-edited")
    assert " ".join(edited.get_text().split()) == "edited Feb 3, 2023 by Anonymous" and edited.select("a") == []
    ethics = BeautifulSoup((output / ETHICS / "index.html").read_bytes(), "lxml")
    [answer] = [a for a in ethics.select("article.qa-answer") if "hypnopompic" in a.get_text()]
    assert answer.select_one("h3").get_text() == "Answer by Anonymous"
    assert " ".join(answer.select_one(".qa-usercard").get_text().split()) == "answered Jul 1, 2023 by Anonymous"
    assert [a["href"] for a in answer.select("a") if "/users/" in a["href"]] == []
    assert not [m for m in MEMBERS if m in answer.get_text()]


def qa_page(output: Path, url: str) -> dict:
    soup = BeautifulSoup((output / url / "index.html").read_bytes(), "lxml")
    data = [json.loads(s.string) for s in soup.select("script[type='application/ld+json']")]
    [page] = [d for d in data if d["@type"] == "QAPage"]
    return page["mainEntity"]


def test_json_ld_author_is_anonymous_without_url(output: Path) -> None:
    question = qa_page(output, GROUP)
    assert question["author"] == ANONYMOUS_PERSON
    answers = [question.get("acceptedAnswer"), *question.get("suggestedAnswer", [])]
    assert [a["author"] for a in answers if a] == [
        {"@type": "Person", "name": "Ada Moss", "url": "http://127.0.0.1:8000/users/ada-moss/"}
    ]
    ethics = qa_page(output, ETHICS)
    [anonymous] = [a for a in ethics["suggestedAnswer"] if "hypnopompic" in a["text"]]
    assert anonymous["author"] == ANONYMOUS_PERSON


def test_feeds_name_anonymous_without_uri_or_email(output: Path) -> None:
    feeds = sorted((output / "feeds").rglob("*.atom.xml"))
    seen = 0
    for feed in feeds:
        for entry in etree.parse(str(feed)).getroot().iter(f"{ATOM}entry"):
            if entry.findtext(f"{ATOM}title") == "Is group therapy worth it?":
                [author] = entry.findall(f"{ATOM}author")
                assert [(child.tag, child.text) for child in author] == [(f"{ATOM}name", "Anonymous")]
                seen += 1
        assert "anonymous" not in feed.read_text().lower().replace("<name>anonymous</name>", "")
    assert seen == 3  # the site's, its category's and its tag's feeds
    assert "users/anonymous" not in "".join(f.read_text() for f in feeds)


def test_search_index_keeps_no_handle(output: Path) -> None:
    """Pagefind's fragments (meta, filters, anchors, address) and its filter and meta indexes."""
    fragments = [json.loads(pagefind_data(p)) for p in (output / "pagefind/fragment").iterdir()]
    for fragment in fragments:
        keys = [fragment["url"], *fragment["meta"].values(), *(a["id"] for a in fragment["anchors"])]
        keys += [v for values in fragment["filters"].values() for v in values] + list(fragment["filters"])
        assert not [k for k in keys if "anonymous" in k.lower()], fragment["url"]
    group = next(f for f in fragments if f["url"] == f"/{GROUP}/")
    assert not [m for m in MEMBERS if m in group["content"].split("Answer by Ada Moss")[0]]
    for path in [*(output / "pagefind/filter").iterdir(), *(output / "pagefind/index").iterdir()]:
        assert not [s for s in strings(cbor_document(path)) if "anonymous" in s.lower()], path.name


def test_anonymous_answer_file_may_not_name_a_member(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = site_dir / "content" / ETHICS / "answers" / "2023-07-06-jordan-lee.md"
    answer.write_text("---\ndate: 2023-07-06\nauthor: anonymous\n---\n\nMe too.\n")
    assert run_cli("check", site_dir / "pelicanconf.py") == 1
    assert (
        f"content/{ETHICS}/answers/2023-07-06-jordan-lee.md:3: author: is anonymous but the file name names "
        "'jordan-lee' (it shows in the answer's address) (rename the file to 2023-07-06-anonymous.md)"
    ) in capsys.readouterr().err
