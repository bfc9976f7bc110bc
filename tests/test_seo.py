"""Findability on the built fixture site: feeds, sitemap, robots, canonical, JSON-LD, related, contribute links."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from lxml import etree

from conftest import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://127.0.0.1:8000"  # SITEURL is '' in the fixture: absolute URLs use the preview address
SLUG = "is-it-ethical-for-my-therapist-to-follow-me-on-social-media"


def soup_of(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "lxml")


def jsonld(page: BeautifulSoup) -> dict[str, dict]:
    blocks = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    return {block["@type"]: block for block in blocks}


def test_site_feed_is_atom_with_absolute_ids(built_site: Path) -> None:
    feed = etree.parse(str(built_site / "feeds/all.atom.xml")).getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id").startswith(BASE + "/")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/feeds/all.atom.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3  # published questions only, no draft
    for entry in entries:
        for name in ("id", "title", "updated", "published"):
            assert entry.findtext(f"{ATOM}{name}"), name
        assert entry.findtext(f"{ATOM}id").startswith(f"{BASE}/questions/")
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
    assert b"tag:None" not in (built_site / "feeds/all.atom.xml").read_bytes()


def test_category_and_tag_feeds(built_site: Path) -> None:
    category = etree.parse(str(built_site / "feeds/categories/psychotherapists.atom.xml")).getroot()
    titles = sorted(e.findtext(f"{ATOM}title") for e in category.findall(f"{ATOM}entry"))
    assert titles == ["Is group therapy worth it?", "Is it ethical for my therapist to follow me on social media?"]
    tag = etree.parse(str(built_site / "feeds/tags/sleep.atom.xml")).getroot()
    assert [e.findtext(f"{ATOM}title") for e in tag.findall(f"{ATOM}entry")] == ["How do I stop worrying at night?"]


def test_sitemap_is_valid_and_absolute(built_site: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "schemas/sitemap.xsd")))
    doc = etree.parse(str(built_site / "sitemap.xml"))
    schema.assertValid(doc)
    entries = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in doc.getroot()}
    assert all(loc.startswith(BASE + "/") for loc in entries)
    # lastmod is the latest of asked, edited and answered (answer of 2023-07-05)
    assert entries[f"{BASE}/questions/{SLUG}/"] == "2023-07-05"
    assert f"{BASE}/" in entries and f"{BASE}/tags/anxiety/" in entries and f"{BASE}/about/" in entries
    assert not any("404" in loc or "a-draft-question" in loc for loc in entries)


def test_robots_names_the_sitemap(built_site: Path) -> None:
    assert (built_site / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {BASE}/sitemap.xml"


def test_canonical_and_social_cards(built_site: Path) -> None:
    page = soup_of(built_site, f"questions/{SLUG}/index.html")
    assert page.find("link", rel="canonical")["href"] == f"{BASE}/questions/{SLUG}/"
    assert page.find("meta", property="og:type")["content"] == "article"
    assert page.find("meta", property="og:title")["content"].startswith("Is it ethical")
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    feeds = [link["href"] for link in page.find_all("link", rel="alternate", type="application/atom+xml")]
    assert feeds == ["/feeds/all.atom.xml", "/feeds/categories/psychotherapists.atom.xml"]
    markdown = page.find_all("link", rel="alternate", type="text/markdown")
    assert [link["href"] for link in markdown] == [f"/questions/{SLUG}/index.md"]


def test_qapage_meets_googles_requirements(built_site: Path) -> None:
    data = jsonld(soup_of(built_site, f"questions/{SLUG}/index.html"))
    question = data["QAPage"]["mainEntity"]
    assert question["@type"] == "Question" and question["answerCount"] == 4 and question["upvoteCount"] == 12
    assert question["name"].startswith("Is it ethical") and question["datePublished"] == "2023-06-28T14:05:00+00:00"
    assert question["author"] == {"@type": "Person", "name": "Jordan Lee", "url": f"{BASE}/users/jordan-lee/"}
    accepted = question["acceptedAnswer"]
    assert accepted["url"] == f"{BASE}/questions/{SLUG}/#answer-2023-07-05-ada-moss"
    assert accepted["upvoteCount"] == 2 and accepted["text"] and accepted["datePublished"]
    assert [a["upvoteCount"] for a in question["suggestedAnswer"]] == [9, 9, -2]
    assert all(a["author"]["name"] for a in question["suggestedAnswer"])


def test_jsonld_cannot_be_broken_out_of(built_site: Path) -> None:
    raw = (built_site / f"questions/{SLUG}/index.html").read_text()
    page = BeautifulSoup(raw, "lxml")
    assert '<script>alert("x")</script>' in jsonld(page)["QAPage"]["mainEntity"]["text"]
    assert "\\u003c/script\\u003e" in raw
    inline = page.find_all("script", src=False)
    # QAPage + BreadcrumbList data blocks and the scripts' qa-config, no inline script
    assert sorted((s["type"], s.get("id")) for s in inline) == [
        ("application/json", "qa-config"),
        ("application/ld+json", None),
        ("application/ld+json", None),
    ]


def test_no_qapage_without_answers(built_site: Path) -> None:
    data = jsonld(soup_of(built_site, "questions/how-do-i-stop-worrying-at-night/index.html"))
    assert "QAPage" not in data
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Anxiety & stress", "How do I stop worrying at night?"]
    assert crumbs[-1]["item"] == f"{BASE}/questions/how-do-i-stop-worrying-at-night/"


def test_related_questions_show_why(built_site: Path) -> None:
    page = soup_of(built_site, f"questions/{SLUG}/index.html")
    items = page.select(".qa-related__item")
    assert 1 <= len(items) <= 5
    links = [i.find("a")["href"] for i in items]
    assert f"/questions/{SLUG}/" not in links
    assert links[0] == "/questions/is-group-therapy-worth-it/"
    assert items[0].find(class_="qa-related__reason").get_text(strip=True) == "shares: therapy"


def test_tag_index_sorted_by_count(built_site: Path) -> None:
    page = soup_of(built_site, "tags/index.html")
    rows = [
        (li.find("a").get_text(strip=True), li.find(class_="tag-index__count").get_text(strip=True))
        for li in page.select(".tag-index__item")
    ]
    assert rows == [
        ("therapy", "2 questions"),
        ("anxiety", "1 question"),
        ("boundaries", "1 question"),
        ("sleep", "1 question"),
        ("social-media", "1 question"),
    ]


def test_add_answer_and_ask_links_prefill_the_repository(built_site: Path) -> None:
    page = soup_of(built_site, f"questions/{SLUG}/index.html")
    add = urlsplit(page.find("a", string="Add an answer")["href"])
    assert add.netloc == "github.com"
    assert add.path == f"/example/faq/new/main/content/questions/{SLUG}/answers"
    query = parse_qs(add.query)
    assert query["filename"] == ["YYYY-MM-DD-your-handle.md"] and "author: your-handle" in query["value"][0]
    ask = urlsplit(page.find("a", string="Ask a question")["href"])
    assert ask.path == "/example/faq/new/main/content/questions/your-question-slug"
    assert "title:" in parse_qs(ask.query)["value"][0]
    assert (built_site / "contribute/index.html").is_file()


def test_edit_links_point_at_each_source_file(built_site: Path) -> None:
    page = soup_of(built_site, f"questions/{SLUG}/index.html")
    question_edit = page.find("a", string="Edit this question")["href"]
    assert question_edit == f"https://github.com/example/faq/edit/main/content/questions/{SLUG}/index.md"
    answer_edits = [a["href"] for a in page.find_all("a", string="Suggest an edit")]
    assert f"https://github.com/example/faq/edit/main/content/questions/{SLUG}/answers/2023-07-03-sam-rivera.md" in (
        answer_edits
    )
    assert len(answer_edits) == 4


def test_a_pages_description_is_its_meta_description(built_site: Path) -> None:
    """content/pages/about.md sets `description`; a page without one starts its description with its text."""
    about = soup_of(built_site, "about/index.html")
    for selector in ({"name": "description"}, {"property": "og:description"}):
        assert about.find("meta", attrs=selector)["content"] == "What this site is."
