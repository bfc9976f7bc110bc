"""The privacy lint: each detector with what it must and must not flag, the exemptions, and how check and
publish treat its warnings, on real builds of the fixture site (messages compared exactly)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from qasite.build.pipeline import run_cli
from qasite.content.loader import load_site
from qasite.content.privacy import DIGIT, _has_digit, warnings
from qasite.content.textlint import Text

QUESTION = Path("content/questions/how-do-i-stop-worrying-at-night/index.md")
FIX = (
    "remove it, or list the exact text with a reason in content/privacy-allow.yml, "
    "or end the line with <!-- privacy: ok -->"
)


def found(
    body: str, *, region: str = "GB", exempt: set[str] | None = None, allowed: set[str] | None = None
) -> list[str]:
    """What the lint says about ``body`` (a body starting on line 10 of q.md), one line each, fix left out."""
    problems = warnings([Text("q.md", 10, body)], allowed or set(), region=region, exempt_numbers=exempt or set())
    for problem in problems:
        assert problem.fix == FIX
        assert not problem.is_error
    return [f"{p.line}: {p.field}: {p.message}" for p in problems]


# -- e-mail addresses ------------------------------------------------------------------------------


def test_email_addresses_are_flagged_masked() -> None:
    body = "Write to me.\nMy address: jane.doe+faq@mail.co.uk, or <sam_r@gmail.com>."
    assert found(body) == [
        '11: privacy: e-mail address "j***@mail.co.uk"',
        '11: privacy: e-mail address "s***@gmail.com"',
    ]


@pytest.mark.parametrize(
    "body",
    ["name@example.com in a how-to", "me@site.test", "an @mention and a 10@20 ratio", "user@localhost", "a@b"],
)
def test_reserved_domains_and_non_addresses_are_not_flagged(body: str) -> None:
    assert found(body) == []


# -- phone numbers ---------------------------------------------------------------------------------


def test_phone_numbers_are_flagged_with_all_but_two_digits_masked() -> None:
    body = "Call me on 020 7946 0018.\nOr my US cell +1 201 555 0123, or 07911 123456."
    assert found(body) == [
        '10: privacy: phone number "*** **** **18"',
        '11: privacy: phone number "+* *** *** **23"',
        '11: privacy: phone number "***** ****56"',
    ]


@pytest.mark.parametrize(
    "body",
    [
        "In 2019 and 2020 I had 1,234 votes and 1840 views.",
        "On 10/12/2023 at 12:30, and again on 2023-06-28.",
        "About 3000 people, £1500 a year, 20 mg then 50mg of sertraline.",
        "Between 1990-2005, in 2015 2016 2017 2018.",
        "Call 116 123 or text 85258, or 988 in the US, or NHS 111.",
        "ISBN 978-0-14-312854-0, page 12-34, 7200 points.",
    ],
)
def test_years_dates_counts_and_ordinary_numbers_are_not_phone_numbers(body: str) -> None:
    assert found(body) == []


def test_the_quick_digit_test_finds_what_the_expression_finds() -> None:
    """Only text with a digit is searched for numbers: the test for one (a substring search each in ASCII text)
    agrees with ``\\d`` on every character, alone and in ASCII or other text; a number is flagged in both."""
    for code in range(0x110000):
        char = chr(code)
        for text in (char, f"words {char} words", f"café {char}"):
            assert _has_digit(text) == (DIGIT.search(text) is not None), hex(code)
    assert found("Call me on 07911 123456.") == found("Café? Call me on 07911 123456.") != []


def test_the_region_reads_numbers_without_a_country_code() -> None:
    assert found("call (201) 555-0123", region="GB") == []
    assert found("call (201) 555-0123", region="US") == ['10: privacy: phone number "(***) ***-**23"']


def test_helpline_numbers_are_exempt_however_written() -> None:
    body = "Call 0800 689 5652 or +44 800 689 5652 or 08006895652; mine is 020 7946 0018."
    assert found(body, exempt={"0800 689 5652"}) == ['10: privacy: phone number "*** **** **18"']
    assert found(body, exempt={"+448006895652", "02079460018"}) == []


def test_helpline_numbers_of_other_countries_are_read_as_theirs() -> None:
    body = "The US line +1 800-273-8255."
    helpline = {"(800) 273-8255"}
    assert found(body, exempt=helpline) == ['10: privacy: phone number "+* ***-***-**55"']
    problems = warnings([Text("q.md", 10, body)], set(), region="GB", exempt_numbers=helpline, exempt_regions=["US"])
    assert problems == []


# -- social-media profiles --------------------------------------------------------------------------


def test_links_to_personal_profiles_are_flagged() -> None:
    body = "\n".join(
        [
            "https://www.facebook.com/jane.doe and fb.com/profile.php?id=100004567890123",
            "[me](https://instagram.com/jdoe_) x.com/janedoe twitter.com/JaneDoe",
            "tiktok.com/@jdoe linkedin.com/in/jane-doe https://www.reddit.com/user/throwaway reddit.com/u/tw",
            "bsky.app/profile/jane.bsky.social threads.net/@jdoe youtube.com/@jdoe",
        ]
    )
    assert found(body) == [
        '10: privacy: social-media profile "facebook.com/j***"',
        '10: privacy: social-media profile "fb.com/profile.php?id=1***"',
        '11: privacy: social-media profile "instagram.com/j***"',
        '11: privacy: social-media profile "x.com/j***"',
        '11: privacy: social-media profile "twitter.com/J***"',
        '12: privacy: social-media profile "tiktok.com/@j***"',
        '12: privacy: social-media profile "linkedin.com/in/j***"',
        '12: privacy: social-media profile "reddit.com/user/t***"',
        '12: privacy: social-media profile "reddit.com/u/t***"',
        '13: privacy: social-media profile "bsky.app/profile/j***"',
        '13: privacy: social-media profile "threads.net/@j***"',
        '13: privacy: social-media profile "youtube.com/@j***"',
    ]


@pytest.mark.parametrize(
    "body",
    [
        "https://www.facebook.com/help/1234 and facebook.com/groups/anxiety and facebook.com/",
        "instagram.com/explore/tags/selfcare instagram.com/p/Cx12 https://x.com/search?q=therapy",
        "https://twitter.com/hashtag/mentalhealth help.x.com/en/rules https://www.reddit.com/r/anxiety",
        "linkedin.com/company/mind netflix.com/janedoe mybox.com/jane tiktok.com/discover/therapy",
    ],
)
def test_a_platforms_own_pages_and_other_sites_are_not_profiles(body: str) -> None:
    assert found(body) == []


# -- street addresses -------------------------------------------------------------------------------


def test_street_addresses_and_postcodes_are_flagged() -> None:
    body = "I live at 12 Cedar Lane, Leeds LS1 4AP.\nShe moved to 4B Old Mill Rd.\nSpringfield, IL 62704"
    assert found(body) == [
        '10: privacy: street address "** C**** Lane"',
        '10: privacy: postcode "L** ***"',
        '11: privacy: street address "** O** M*** Rd"',
        '12: privacy: ZIP code "IL *****"',
    ]


@pytest.mark.parametrize(
    "body",
    [
        "I saw 2 nurses and Dr Patel, then 3 Doctors Dr Smith.",
        "Take 2 Paracetamol Tablets; chapter 3 of the book; 12 weeks on the road.",
        "My vitamin B12 level was low and the M25 was busy; form P60.",
        "We walked 5 miles down the lane to 10 shops on the street.",
        "Scores of 12345 and 90210 mean nothing; neither does 'in 62704 cases'.",
    ],
)
def test_ordinary_text_is_not_an_address(body: str) -> None:
    assert found(body) == []


# -- exemptions -------------------------------------------------------------------------------------


def test_an_allowlisted_text_is_exempt_where_it_appears_whole() -> None:
    body = "Mind: info@mind.org.uk or 0300 123 3393.\nJane: jane@gmail.com"
    allowed = {"info@mind.org.uk", "Mind's infoline 0300 123 3393", "0300 123 3393"}
    assert found(body, allowed=allowed) == ['11: privacy: e-mail address "j***@gmail.com"']


def test_the_inline_marker_exempts_its_line_only() -> None:
    body = "Our office: info@charity.org.uk <!-- privacy: ok -->\nMine: jane@gmail.com <!-- safe-messaging: ok -->"
    assert found(body) == ['11: privacy: e-mail address "j***@gmail.com"']
    assert found("mid-line <!-- privacy: ok --> jane@gmail.com") == ['10: privacy: e-mail address "j***@gmail.com"']


# -- on a real site ---------------------------------------------------------------------------------


def write_question(site: Path, body: str, title: str = "How do I stop worrying at night?") -> None:
    text = (site / QUESTION).read_text(encoding="utf-8")
    text = text.replace("title: How do I stop worrying at night?", f"title: {title}")
    (site / QUESTION).write_text(text.replace("Every night I lie awake going over the day.", body), encoding="utf-8")


def check(site: Path, *, strict: bool = False, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run_cli("check", site / "pelicanconf.py", strict=strict)
    return code, capsys.readouterr().err


def test_check_warns_with_file_lines_and_exits_0_publish_fails(site_dir: Path, capsys) -> None:
    write_question(site_dir, "Every night.\n\nEmail me: ada.moss@gmail.com", title="Call me on 020 7946 0018?")
    expected = (
        f'{QUESTION}:2: warning: privacy: phone number "*** **** **18" ({FIX})\n'
        f'{QUESTION}:12: warning: privacy: e-mail address "a***@gmail.com" ({FIX})\n'
        "2 warnings found.\n"
    )
    assert check(site_dir, capsys=capsys) == (0, expected)
    assert check(site_dir, strict=True, capsys=capsys) == (1, expected)
    assert run_cli("build", site_dir / "pelicanconf.py", strict=True) == 1
    assert capsys.readouterr().err == expected
    assert not (site_dir / "output").exists()


def test_answers_are_linted_and_pages_are_not(site_dir: Path, capsys) -> None:
    answer = site_dir / "content/questions/is-it-ethical-for-my-therapist-to-follow-me-on-social-media/answers"
    answer = answer / "2023-07-03-sam-rivera.md"
    answer.write_text(answer.read_text(encoding="utf-8") + "\nFind me at instagram.com/sam.rivera\n", encoding="utf-8")
    about = site_dir / "content/pages/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nContact: editors@ourfaq.org\n", encoding="utf-8")
    code, err = check(site_dir, capsys=capsys)
    rel = answer.relative_to(site_dir)
    line = answer.read_text(encoding="utf-8").split("\n").index("Find me at instagram.com/sam.rivera") + 1
    assert (code, err) == (
        0,
        f'{rel}:{line}: warning: privacy: social-media profile "instagram.com/s***" ({FIX})\n1 warning found.\n',
    )


def test_the_allowlist_needs_a_reason_for_each_entry(site_dir: Path, capsys) -> None:
    write_question(site_dir, "Mind's infoline: 0300 123 3393. Mine: 020 7946 0018.")
    allow = site_dir / "content/privacy-allow.yml"
    allow.write_text('"0300 123 3393":\n  reason: the charity\'s public infoline\n', encoding="utf-8")
    assert check(site_dir, capsys=capsys) == (
        0,
        f'{QUESTION}:10: warning: privacy: phone number "*** **** **18" ({FIX})\n1 warning found.\n',
    )
    allow.write_text('"0300 123 3393":\n  reason: public\n"020 7946 0018": {}\n"x": yes\n', encoding="utf-8")
    assert check(site_dir, capsys=capsys) == (
        1,
        "content/privacy-allow.yml:3: 020 7946 0018.reason: required field is missing "
        "(add 'reason: \"The charity's public contact address\"' under it)\n"
        "content/privacy-allow.yml:4: x: must be a mapping with a reason (add 'reason: <why it may stay>' under it, "
        "indented)\n"
        f'{QUESTION}:10: warning: privacy: phone number "*** **** **18" ({FIX})\n'
        "2 problems and 1 warning found.\n",
    )


def test_the_marker_is_not_rendered(site_dir: Path, capsys) -> None:
    write_question(site_dir, "Our office line is 020 7946 0018 <!-- privacy: ok -->\nThank you.")
    assert check(site_dir, strict=True, capsys=capsys) == (0, "")
    assert run_cli("build", site_dir / "pelicanconf.py", strict=True) == 0
    page = (site_dir / "output/questions/how-do-i-stop-worrying-at-night/index.html").read_text(encoding="utf-8")
    body = html.fromstring(page).xpath("string(//main)")
    assert "Our office line is 020 7946 0018" in body
    assert "privacy: ok" not in page
    assert "&lt;!--" not in page


def test_the_phone_region_is_a_setting(site_dir: Path, capsys) -> None:
    write_question(site_dir, "My cell is (201) 555-0123.")
    assert check(site_dir, capsys=capsys) == (0, "")
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + 'QA_PHONE_REGION = "US"\n', encoding="utf-8")
    assert check(site_dir, capsys=capsys) == (
        0,
        f'{QUESTION}:10: warning: privacy: phone number "(***) ***-**23" ({FIX})\n1 warning found.\n',
    )
    conf.write_text(conf.read_text(encoding="utf-8") + 'QA_PHONE_REGION = "UK"\n', encoding="utf-8")
    assert check(site_dir, capsys=capsys) == (
        1,
        "error: setting QA_PHONE_REGION must be a two-letter country code in capitals, like GB or US, got 'UK'\n",
    )


def test_line_numbers_count_windows_line_endings_and_each_list_is_read_once(site_dir: Path) -> None:
    write_question(site_dir, "First.\n\nMine: ada.moss@gmail.com")
    path = site_dir / QUESTION
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    (site_dir / "content/privacy-allow.yml").write_text('"x@y.org":\n  reason: public\n', encoding="utf-8")
    (site_dir / "content/safe-messaging.yml").write_text("commit suicide:\n  instead: die by suicide\n")
    site, problems = load_site(site_dir / "content")
    assert [str(p) for p in problems] == [f'{QUESTION}:12: warning: privacy: e-mail address "a***@gmail.com" ({FIX})']
    assert site.stats.files_read["content/privacy-allow.yml"] == 1
    assert site.stats.files_read["content/safe-messaging.yml"] == 1
    assert set(site.stats.files_read.values()) == {1}


def test_the_sites_own_helpline_numbers_are_not_flagged(site_dir: Path, capsys) -> None:
    """content/helplines.yml's numbers (US, the fixture's default country) are exempt in a real check;
    another number in the same text is not."""
    write_question(site_dir, "Every night.\n\nI called +1 (800) 950-6264 and then 020 7946 0018.")
    code, err = check(site_dir, capsys=capsys)
    assert (code, err) == (
        0,
        f'{QUESTION}:12: warning: privacy: phone number "*** **** **18" ({FIX})\n1 warning found.\n',
    )
