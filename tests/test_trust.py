"""Verified professionals and reviewed content on a copy of the fixture site, with "today" injected (QA_TODAY).

Sam Rivera (LCSW) is verified on 2026-01-10 for the default year (to 2027-01-10); Ada Moss has credentials but
no verification. Built on 2026-11-20 the badge shows; built on 2027-02-01 it is gone and `check` warns. The HTML
is parsed with BeautifulSoup (lxml), the JSON-LD with json, Pagefind's filter index decoded as its JavaScript does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Page, expect

from conftest import ROOT, copy_repo, copy_site, serving
from pagefind_files import cbor_document
from qasite.build.pipeline import build, load_settings, run_cli
from qasite.config.settings import check_settings, with_defaults

TODAY = dt.date(2026, 11, 20)
LATER = dt.date(2027, 2, 1)  # after Sam's verification ran out (2027-01-10)
ETHICS = "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media"
ETHICS_PAGE = "questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/index.html"
WORRY = "content/questions/how-do-i-stop-worrying-at-night/index.md"
JORDAN_ANSWER = f"{ETHICS}/answers/2023-07-02-jordan-lee.md"
FILTER = "answered by a verified professional"

PEOPLE = """\
jordan-lee:
  name: Jordan Lee
  points: 6500
sam-rivera:
  name: Sam Rivera
  credentials: LCSW, licensed clinical social worker
  bio: Counsellor for fifteen years.
  url: https://example.org/sam
  points: 7200
  verified:
    date: 2026-01-10
    by: jordan-lee
ada-moss:
  name: Ada Moss
  credentials: RN
"""


def add_front_matter(path: Path, lines: str) -> None:
    """Add ``lines`` at the end of the front matter of ``path``."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4)
    path.write_text(text[:end] + "\n" + lines.rstrip("\n") + text[end:], encoding="utf-8")


def trust_site(target: Path) -> Path:
    """The fixture site with a verified member, reviewed posts and a 90-day review interval; its pelicanconf.py."""
    conf = copy_site(target)
    content = target / "content"
    (content / "people.yml").write_text(PEOPLE, encoding="utf-8")
    categories = content / "categories.yml"
    categories.write_text(categories.read_text() + "  review_interval_days: 90\n", encoding="utf-8")  # Anxiety
    add_front_matter(target / ETHICS / "index.md", "reviewed_by: sam-rivera\nlast_reviewed: 2026-02-01")
    add_front_matter(target / WORRY, "reviewed_by: sam-rivera\nlast_reviewed: 2026-09-01")
    add_front_matter(target / JORDAN_ANSWER, "reviewed_by: sam-rivera\nlast_reviewed: 2026-03-01")
    return conf


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trust site's pelicanconf.py (read-only for tests: copy it to change content)."""
    return trust_site(tmp_path_factory.mktemp("trust") / "site")


def built(conf: Path, today: dt.date, folder: str, search: bool = False) -> Path:
    overrides = {"QA_TODAY": today, "QA_SEARCH": search, "OUTPUT_PATH": str(conf.parent / folder)}
    return build(settings=load_settings(conf, overrides))


@pytest.fixture(scope="module")
def now(site: Path) -> Path:
    """Built on TODAY, search on."""
    return built(site, TODAY, "now", search=True)


@pytest.fixture(scope="module")
def later(site: Path) -> Path:
    """Built on LATER (Sam's verification ran out)."""
    return built(site, LATER, "later")


def parse(output: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((output / name).read_text(encoding="utf-8"), "lxml")


def text(element: Tag) -> str:
    return " ".join(element.get_text().split())


def usercards(output: Path) -> dict[str, Tag]:
    """The ethics page's user cards, by the name in them."""
    page = parse(output, ETHICS_PAGE)
    cards = page.select(".qa-usercard")
    return {text(card.select(".qa-person__name")[0]): card for card in cards}


def jsonld(output: Path, name: str, kind: str) -> dict:
    blocks = [json.loads(s.string) for s in parse(output, name).select('script[type="application/ld+json"]')]
    return next(block for block in blocks if block["@type"] == kind)


# -- the badge and the credentials -------------------------------------------------------------------------


def test_badge_shown_while_the_verification_is_current(now: Path) -> None:
    cards = usercards(now)
    badge = cards["Sam Rivera"].select("a.qa-verified")
    assert len(badge) == 1
    assert badge[0].get("href") == "/verification/"
    assert text(badge[0]) == "Verified professional"
    assert badge[0].select("svg")[0].get("aria-hidden") == "true"  # the text says it; the icon is decoration
    assert text(cards["Sam Rivera"].select(".qa-usercard__credentials")[0]) == "LCSW, licensed clinical social worker"
    assert text(cards["Ada Moss"].select(".qa-usercard__credentials")[0]) == "RN"  # credentials, no badge
    assert cards["Ada Moss"].select(".qa-verified") == []
    profile = parse(now, "users/sam-rivera/index.html")
    assert [text(a) for a in profile.select(".profile__verified a.qa-verified")] == ["Verified professional"]


def test_badge_gone_once_the_verification_ran_out_but_credentials_stay(later: Path) -> None:
    cards = usercards(later)
    assert parse(later, ETHICS_PAGE).select(".qa-verified") == []
    assert parse(later, "users/sam-rivera/index.html").select(".qa-verified") == []
    assert text(cards["Sam Rivera"].select(".qa-usercard__credentials")[0]) == "LCSW, licensed clinical social worker"


def test_check_warns_when_a_verification_ran_out(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("check", site, {"QA_TODAY": TODAY}) == 0
    assert capsys.readouterr().out == "Content OK: no problems found.\n"
    assert run_cli("check", site, {"QA_TODAY": LATER}) == 0
    assert capsys.readouterr().err == (
        "content/people.yml:10: warning: sam-rivera.verified: the verification ran out on 2027-01-10: the Verified "
        "professional badge is no longer shown (check the licence against the regulator's register again, then "
        "update 'date' and any 'until')\n1 warning found.\n"
    )


def test_until_ends_the_verification_sooner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = trust_site(tmp_path / "site")
    people = conf.parent / "content/people.yml"
    people.write_text(PEOPLE.replace("    by: jordan-lee\n", "    by: jordan-lee\n    until: 2026-11-19\n"))
    output = built(conf, TODAY, "out")
    assert parse(output, ETHICS_PAGE).select(".qa-verified") == []
    run_cli("check", conf, {"QA_TODAY": TODAY})
    assert "sam-rivera.verified: the verification ran out on 2026-11-19:" in capsys.readouterr().err


# -- /verification/ ----------------------------------------------------------------------------------------


def test_verification_page_explains_and_lists_the_verified(now: Path, later: Path) -> None:
    page = parse(now, "verification/index.html")
    headings = [text(h) for h in page.select("main h1, main h2")]
    assert headings == ["Verified professionals", "What was checked", "What it does not mean", "Verified members"]
    body = text(page.select("main")[0])
    for phrase in ("regulator", "Identity", "not an endorsement", "not therapy", "not an emergency service"):
        assert phrase in body
    items = [text(li) for li in page.select(".trust-list__item")]
    assert items == ["Sam Rivera, LCSW, licensed clinical social worker Verified Jan 10, 2026, until Jan 10, 2027"]
    assert page.select(".trust-list__item a")[0].get("href") == "/users/sam-rivera/"
    assert [text(p) for p in parse(later, "verification/index.html").select("main .prose > p")][-1] == (
        "No member is verified at the moment."
    )
    assert "/verification/" in (now / "sitemap.xml").read_text()


# -- JSON-LD -----------------------------------------------------------------------------------------------


def test_jsonld_credential_only_for_the_verified(now: Path, later: Path) -> None:
    main = jsonld(now, ETHICS_PAGE, "QAPage")["mainEntity"]
    people = {a["author"]["name"]: a["author"] for a in main["suggestedAnswer"] + [main["acceptedAnswer"]]}
    assert people["Sam Rivera"]["hasCredential"] == {
        "@type": "EducationalOccupationalCredential",
        "credentialCategory": "license",
        "name": "LCSW, licensed clinical social worker",
    }
    assert "hasCredential" not in people["Ada Moss"]  # credentials, but not verified
    main = jsonld(later, ETHICS_PAGE, "QAPage")["mainEntity"]
    assert all("hasCredential" not in a["author"] for a in main["suggestedAnswer"] + [main["acceptedAnswer"]])


def test_jsonld_reviewed_by_and_last_reviewed(now: Path) -> None:
    page = jsonld(now, ETHICS_PAGE, "QAPage")
    assert page["lastReviewed"] == "2026-02-01"
    assert page["reviewedBy"]["@type"] == "Person"
    assert page["reviewedBy"]["name"] == "Sam Rivera"
    assert page["reviewedBy"]["url"] == "http://127.0.0.1:8000/users/sam-rivera/"


# -- the reviewed line ----------------------------------------------------------------------------------------


def test_reviewed_line_text(now: Path) -> None:
    page = parse(now, ETHICS_PAGE)
    lines = [text(p) for p in page.select(".qa-reviewed")]
    assert lines == [
        "Reviewed by Sam Rivera, LCSW, licensed clinical social worker on Feb 1, 2026 · next review due Feb 1, 2027",
        "Reviewed by Sam Rivera, LCSW, licensed clinical social worker on Mar 1, 2026 · next review due Mar 1, 2027",
    ]
    assert page.select(".qa-question__header .qa-reviewed time")[1].get("datetime") == "2027-02-01"
    worry = parse(now, "questions/how-do-i-stop-worrying-at-night/index.html")
    assert [text(p) for p in worry.select(".qa-reviewed")] == [  # the category's 90 days
        "Reviewed by Sam Rivera, LCSW, licensed clinical social worker on Sep 1, 2026 · next review due Nov 30, 2026"
    ]


# -- reviewers must be verified ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reviewer", "day", "expected"),
    [  # checked on TODAY, except "expired" (on LATER: a review on a day to come is another error)
        (
            "ada-moss",
            "2026-02-01",
            "content/questions/how-do-i-stop-worrying-at-night/index.md:8: reviewed_by: 'ada-moss' is not a verified "
            "professional (name a verified professional, or have an editor verify them in content/people.yml "
            "('verified:'))",
        ),
        (
            "sam-rivera",
            "2027-01-11",
            "content/questions/how-do-i-stop-worrying-at-night/index.md:8: reviewed_by: 'sam-rivera' verification ran "
            "out on 2027-01-10, so cannot have reviewed it on 2027-01-11 (re-verify them in content/people.yml (update "
            "'date'), or name a verified reviewer)",
        ),
        (
            "sam-rivera",
            "2026-01-09",
            "content/questions/how-do-i-stop-worrying-at-night/index.md:8: reviewed_by: 'sam-rivera' was verified only "
            "from 2026-01-10, so cannot have reviewed it on 2026-01-09 (re-verify them in content/people.yml (update "
            "'date'), or name a verified reviewer)",
        ),
        (
            "sam-rivera",
            "2027-01-01",
            "content/questions/how-do-i-stop-worrying-at-night/index.md:9: last_reviewed: 2027-01-01 is in the future "
            "(today is 2026-11-20) (write the day of the review)",
        ),
    ],
    ids=["unverified", "expired", "not-yet-verified", "future"],
)
def test_review_by_someone_not_verified_that_day_is_an_error(
    reviewer: str, day: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = trust_site(tmp_path / "site")
    path = conf.parent / WORRY
    path.write_text(
        re.sub(
            r"reviewed_by: .*\nlast_reviewed: .*", f"reviewed_by: {reviewer}\nlast_reviewed: {day}", path.read_text()
        )
    )
    today = LATER if day == "2027-01-11" else TODAY
    assert run_cli("check", conf, {"QA_TODAY": today}) == 1
    assert capsys.readouterr().err.splitlines()[-2:] == [
        expected,
        "1 problem found." if today == TODAY else "1 problem and 1 warning found.",
    ]
    assert run_cli("build", conf, {"QA_TODAY": today}) == 1
    assert not (conf.parent / "output").exists()


def test_verification_problems_are_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = trust_site(tmp_path / "site")
    people = conf.parent / "content/people.yml"
    people.write_text(PEOPLE.replace("date: 2026-01-10\n    by: jordan-lee", "date: 2026-12-01\n    by: nobody"))
    (conf.parent / ETHICS / "index.md").write_text(
        (conf.parent / ETHICS / "index.md").read_text().replace("last_reviewed: 2026-02-01\n", "")
    )
    assert run_cli("check", conf, {"QA_TODAY": TODAY}) == 1
    err = capsys.readouterr().err.splitlines()
    assert set(err) >= {
        f"{ETHICS}/index.md:11: last_reviewed: required with 'reviewed_by' (add 'last_reviewed: <date of the review>')",
        "content/people.yml:10: sam-rivera.verified.by: 'nobody' is not in content/people.yml (add 'nobody:' with a "
        "name to content/people.yml, or use an existing handle)",
        "content/people.yml:10: sam-rivera.verified.date: 2026-12-01 is in the future (today is 2026-11-20) (write "
        "the day the licence was checked)",
    }


def test_a_member_cannot_verify_themselves(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = trust_site(tmp_path / "site")
    (conf.parent / "content/people.yml").write_text(PEOPLE.replace("by: jordan-lee", "by: sam-rivera"))
    assert run_cli("check", conf, {"QA_TODAY": TODAY}) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/people.yml:10: sam-rivera.verified.by: a member cannot verify themselves (ask another editor)"
    )


def test_demo_site_has_verified_members_and_no_warnings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    settings = {"QA_TODAY": TODAY, "QA_CACHE_PATH": str(tmp_path / "cache")}  # not the repository's .cache
    assert run_cli("check", ROOT / "pelicanconf.py", settings) == 0  # "OK": no warning either
    assert capsys.readouterr().out == "Content OK: no problems found.\n"


def test_settings_check_the_trust_settings() -> None:
    settings = with_defaults({"QA_TODAY": 20261120, "QA_REVIEW_INTERVAL_DAYS": 0})
    errors = [e for e in check_settings(settings) if "QA_TODAY" in e or "_DAYS" in e]
    assert errors == [
        "setting QA_TODAY must be a date, got 20261120",
        "setting QA_REVIEW_INTERVAL_DAYS must be 1 or more",
    ]


# -- reviews due ----------------------------------------------------------------------------------------------


def test_check_reviews_lists_what_is_due_soonest_first(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("check", site, {"QA_TODAY": TODAY}, reviews=True) == 0
    assert capsys.readouterr().out == (
        f"{WORRY}: review due 2026-11-30 (last reviewed 2026-09-01 by sam-rivera)\n"
        "1 review overdue or due by 2026-12-20.\n"
    )
    assert run_cli("check", site, {"QA_TODAY": LATER}, reviews=True) == 0
    assert capsys.readouterr().out == (
        f"{WORRY}: review overdue since 2026-11-30 (last reviewed 2026-09-01 by sam-rivera)\n"
        f"{ETHICS}/index.md: review due 2027-02-01 (last reviewed 2026-02-01 by sam-rivera)\n"
        f"{JORDAN_ANSWER}: review due 2027-03-01 (last reviewed 2026-03-01 by sam-rivera)\n"
        "3 reviews overdue or due by 2027-03-03.\n"
    )
    assert run_cli("check", site, {"QA_TODAY": dt.date(2026, 9, 2)}, reviews=True) == 0
    assert capsys.readouterr().out == "No reviews overdue or due by 2026-10-02.\n"


def test_invoke_check_reviews(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    (repo / "todayconf.py").write_text(
        "import datetime\nfrom pelicanconf import *  # noqa\nQA_TODAY = datetime.date(2026, 11, 20)\n"
    )
    result = subprocess.run(
        [str(ROOT / ".venv/bin/invoke"), "check", "--reviews", "--settings", "todayconf.py"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "content/questions/is-it-safe-to-stop-my-antidepressant-once-i-feel-better/index.md: review due 2026-12-07 "
        "(last reviewed 2026-06-10 by tomas-ferreira)\n1 review overdue or due by 2026-12-20.\n"
    )


def test_review_due_page_is_for_editors_only(now: Path) -> None:
    page = parse(now, "review-due/index.html")
    assert [m.get("content") for m in page.select('meta[name="robots"]')] == ["noindex"]
    assert [text(li) for li in page.select(".trust-list__item")] == [
        f"How do I stop worrying at night? Due Nov 30, 2026 · last reviewed Sep 1, 2026 by Sam Rivera · {WORRY}"
    ]
    assert "review-due" not in (now / "sitemap.xml").read_text()
    linked = [
        a.get("href")
        for path in now.rglob("*.html")
        for a in BeautifulSoup(path.read_bytes(), "lxml").find_all("a")
        if a.get("href") and "review-due" in a.get("href")
    ]
    assert linked == []


# -- search ---------------------------------------------------------------------------------------------------


def test_search_filter_in_pagefind_data(now: Path) -> None:
    filters = [cbor_document(path) for path in (now / "pagefind" / "filter").iterdir()]
    status = dict(next(values for name, values in filters if name == "status"))
    assert len(status[FILTER]) == 1  # the ethics question: Sam answered it
    page = parse(now, ETHICS_PAGE)
    filters = [d.get("data-pagefind-filter") for d in page.select(".qa-page > div[data-pagefind-filter]")]
    assert "status:has accepted answer" in filters
    assert f"status:{FILTER}" in filters
    worry = parse(now, "questions/how-do-i-stop-worrying-at-night/index.html")
    assert f"status:{FILTER}" not in [d.get("data-pagefind-filter") for d in worry.select("[data-pagefind-filter]")]


@pytest.fixture
def now_url(now: Path) -> Iterator[str]:
    with serving(now) as url:
        yield url


@pytest.mark.browser
def test_search_page_offers_the_verified_filter(page: Page, now_url: str) -> None:
    page.goto(f"{now_url}/search/#q=therapist")
    box = page.get_by_role("checkbox", name=re.compile(r"^Answered by a verified professional\b"))
    expect(box).to_be_visible()
    box.check()
    expect(page.locator("[data-search-results] > li")).to_have_count(1)
    assert page.locator("[data-search-results] > li h2").all_inner_texts() == [
        "Is it ethical for my therapist to follow me on social media?"
    ]
