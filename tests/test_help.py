"""Help in a crisis: the help page, the "Get help now" link on every page, the crisis notice on
sensitive questions, and the checks of content/helplines.yml (stale dates with an injected
today, bad entries with their exact messages).

The fixture site (tests/fixtures/site) lists US (its QA_DEFAULT_COUNTRY), GB and IE; its
"Anxiety & stress" category and the question "is-group-therapy-worth-it" are sensitive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html
from playwright.sync_api import Browser

from conftest import ROOT
from html_safety import same_site
from qasite.build.pipeline import build, content_problems, load_content, load_settings, run_cli
from qasite.config.clock import today
from qasite.config.settings import check_settings, with_defaults
from qasite.content.helplines import crisis_services
from qasite.content.model import Country, Helpline
from qasite.content.site import Site
from qasite.render.help import help_page

SENSITIVE = {"how-do-i-stop-worrying-at-night", "is-group-therapy-worth-it"}
NOTICE = [
    ("988 Suicide & Crisis Lifeline", "Call 988", "tel:988"),
    ("Crisis Text Line", "Text HOME to 741741", "sms:741741?body=HOME"),
    ("988 Lifeline Chat", "Chat online with 988 Lifeline Chat", "https://988lifeline.org/chat/"),
]


def parse(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


def links(element: html.HtmlElement) -> list[tuple[str, str]]:
    return [(a.text_content().strip(), a.get("href")) for a in element.iter("a")]


# -- the help page ------------------------------------------------------------------------------


def test_help_page_lists_the_default_country_first_then_by_name(built_site: Path) -> None:
    page = parse(built_site / "help/index.html")
    (nav,) = page.find_class("help__countries")
    assert links(nav) == [
        ("United States", "#country-us"),
        ("Ireland", "#country-ie"),
        ("United Kingdom", "#country-gb"),
    ]
    sections = page.find_class("help__country")
    assert [s.get("id") for s in sections] == ["country-us", "country-ie", "country-gb"]
    assert [s.find(".//h2").text_content() for s in sections] == ["United States", "Ireland", "United Kingdom"]
    assert page.find(".//h1").text_content() == "Get help now"


def test_help_page_links_call_text_and_https_exactly(built_site: Path) -> None:
    page = parse(built_site / "help/index.html")
    us, ie, gb = page.find_class("help__country")
    assert [a for a in links(us) if a[1] != "#"] == [
        ("Call +1 (800) 950-6264", "tel:+18009506264"),
        ("Call 988", "tel:988"),
        ("Chat online with 988 Lifeline Chat", "https://988lifeline.org/chat/"),
        ("Text HOME to 741741", "sms:741741?body=HOME"),
    ]
    assert links(ie) == [("Call 116 123", "tel:116123")]
    assert links(gb) == [("Call 116 123", "tel:116123"), ("Text SHOUT to 85258", "sms:85258?body=SHOUT")]
    details = [" ".join(p.text_content().split()) for p in gb.find_class("helpline__details")]
    assert details == ["24/7 · English", "24/7 · English · for anyone in the UK"]
    daytime = " ".join(us.find_class("helpline__details")[0].text_content().split())
    assert daytime == "Mon–Fri 10am–10pm ET · English"


def test_help_page_loads_nothing_from_another_host(built_site: Path) -> None:
    page = parse(built_site / "help/index.html")
    loaded = [e.get(a) for e in page.iter() for a in ("src", "srcset", "data") if e.get(a)]
    loaded += [e.get("href") for e in page.iter("link")]
    assert [url for url in loaded if not same_site(url)] == []


def test_every_page_has_the_get_help_now_link(built_site: Path) -> None:
    pages = sorted(p for p in built_site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 20
    for path in pages:
        header_links = parse(path).find_class("site-header__help")
        assert [(a.text_content(), a.get("href"), a.get("hidden")) for a in header_links] == [
            ("Get help now", "/help/", None)
        ], path
        (link,) = header_links
        assert link.getparent().get("class") == "container site-header__inner", path  # not in the nav print hides
        current = link.get("aria-current")
        assert current == ("page" if path == built_site / "help/index.html" else None), path


def test_get_help_now_stays_visible_in_print_and_on_small_screens() -> None:
    css = (ROOT / "theme/css/print.css").read_text()
    hidden = css.split("display: none")[0].rsplit("}", 1)[-1]  # the selectors print hides
    assert ".site-header__nav" in hidden and "site-header__help" not in hidden
    assert '.site-header__help::after {\n    content: "(" attr(href) ")";' in css
    header = (ROOT / "theme/css/components/site-header.css").read_text()
    assert '"help help"' in header and "site-header__help" in header and "display: none" not in header


@pytest.mark.parametrize(
    ("locale", "first"),
    [("en-GB", "country-gb"), ("ga-IE", "country-ie"), ("fr-FR", "country-us"), ("en-US", "country-us")],
)
def test_script_puts_the_country_of_the_browser_language_first(
    browser: Browser, base_url: str, locale: str, first: str
) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + "/help/", wait_until="networkidle")
    sections = page.eval_on_selector_all("section.help__country", "all => all.map(s => s.id)")
    links = page.eval_on_selector_all(".help__countries a", "all => all.map(a => a.hash)")
    context.close()
    assert sections[0] == first and links[0] == f"#{first}"
    assert sorted(sections) == ["country-gb", "country-ie", "country-us"] and len(links) == 3
    assert [url for url in requests if not url.startswith(base_url)] == []


# -- the crisis notice ----------------------------------------------------------------------------


def notice_of(path: Path) -> list[html.HtmlElement]:
    return parse(path).find_class("crisis-notice")


def test_notice_only_on_sensitive_questions_with_three_services_in_order(built_site: Path) -> None:
    pages = sorted((built_site / "questions").glob("*/index.html"))
    assert {p.parent.name for p in pages if notice_of(p)} == SENSITIVE
    for slug in SENSITIVE:
        page = parse(built_site / "questions" / slug / "index.html")
        (notice,) = page.find_class("crisis-notice")
        assert notice.get("role") == "note"
        assert notice.get("aria-labelledby") == "crisis-notice-title"
        services = notice.find_class("crisis-notice__service")
        shown = [(s.find_class("crisis-notice__name")[0].text_content(), *links(s)[0]) for s in services]
        assert shown == NOTICE
        assert links(notice)[-1] == ("More helplines, for other countries too", "/help/")
        elements = list(page.iter())
        assert elements.index(notice) < elements.index(page.find(".//h1"))  # above the title


def test_notice_without_a_default_country_links_to_the_help_page(tmp_path: Path, site_dir: Path) -> None:
    settings = load_settings(
        site_dir / "pelicanconf.py", {"QA_DEFAULT_COUNTRY": "", "OUTPUT_PATH": str(tmp_path / "o")}
    )
    output = build(settings=settings)
    (notice,) = notice_of(output / "questions/is-group-therapy-worth-it/index.html")
    assert links(notice) == [("Find a helpline in your country", "/help/")]
    nav = parse(output / "help/index.html").find_class("help__countries")[0]
    assert [text for text, _ in links(nav)] == ["Ireland", "United Kingdom", "United States"]


def test_a_site_without_helplines_still_has_its_help_page(tmp_path: Path, site_dir: Path) -> None:
    (site_dir / "content/helplines.yml").unlink()
    settings = load_settings(
        site_dir / "pelicanconf.py", {"QA_DEFAULT_COUNTRY": "", "OUTPUT_PATH": str(tmp_path / "o")}
    )
    page = parse(build(settings=settings) / "help/index.html")
    assert "No helplines are listed on this site yet." in page.text_content()


def service(how: str, name: str, hours: str = "24/7") -> Helpline:
    number = None if how in ("chat", "web") else "123"
    address = "https://example.org/" if number is None else None
    return Helpline(
        key=name,
        country="GB",
        name=name,
        how=how,
        hours=hours,
        languages=["English"],
        verified_on=dt.date(2026, 11, 1),
        number=number,
        address=address,
    )


@pytest.mark.parametrize(
    ("services", "chosen"),
    [
        ([], []),
        ([service("phone", "day", "9-5"), service("phone", "night")], ["night"]),
        ([service("phone", "day", "9-5")], ["day"]),
        (
            [service("web", "w"), service("text", "t"), service("chat", "c"), service("phone", "p")],
            ["p", "t", "w"],
        ),
        ([service("web", "w", "9-5"), service("chat", "c"), service("text", "t1"), service("text", "t2")], ["t1", "c"]),
        ([service("chat", "c1"), service("phone", "p1"), service("phone", "p2"), service("chat", "c2")], ["p1", "c1"]),
    ],
)
def test_crisis_services_a_phone_then_a_text_then_online_24_7_first(
    services: list[Helpline], chosen: list[str]
) -> None:
    country = Country(code="GB", name="United Kingdom", services=services)
    assert [s.name for s in crisis_services(country)] == chosen
    assert crisis_services(None) == []


def test_help_page_order_and_hrefs() -> None:
    site = Site()
    for code, name in [("US", "United States"), ("gb", "x"), ("AU", "australia"), ("IE", "Ireland")]:
        site.helplines[code] = Country(code=code, name=name)
    assert [c.code for c in help_page(site, "IE").countries] == ["IE", "AU", "US", "gb"]
    assert help_page(site, "IE").default is site.helplines["IE"]
    assert [c.code for c in help_page(site, "").countries] == ["AU", "IE", "US", "gb"]
    assert help_page(site, "FR").default is None
    texted = Helpline(**{**service("text", "s").__dict__, "number": "+44 (0) 85-258", "keyword": "A B&c"})
    assert texted.href == "sms:+44085258?body=A%20B%26c"
    assert service("phone", "p").href == "tel:123" and service("chat", "c").href == "https://example.org/"


# -- the checks ------------------------------------------------------------------------------------


def set_conf(site_dir: Path, **values: object) -> None:
    conf = site_dir / "pelicanconf.py"
    conf.write_text(conf.read_text() + "".join(f"{key} = {value!r}\n" for key, value in values.items()))


STALE = (
    "content/helplines.yml:53: warning: GB.services.shout.verified_on: last checked 2026-03-01, 264 days ago "
    "(more than 183) (call or check the service, then set verified_on to the day you did)"
)


def test_stale_verified_on_warns_counting_from_the_injected_today(
    site_dir: Path, run_command: Callable[[str], tuple[int, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (site_dir / "content/helplines.yml").read_text().splitlines()
    assert lines[52].strip() == "verified_on: 2026-10-01" and lines[44].strip() == "shout:"
    lines[52] = "      verified_on: 2026-03-01"
    (site_dir / "content/helplines.yml").write_text("\n".join(lines) + "\n")
    assert run_command("check") == (0, f"{STALE}\n1 warning found.\n")
    assert run_cli("check", site_dir / "pelicanconf.py", strict=True) == 1  # publish fails
    assert STALE in capsys.readouterr().err
    assert run_cli("build", site_dir / "pelicanconf.py", {"OUTPUT_PATH": str(site_dir / "o")}, strict=True) == 1
    capsys.readouterr()
    set_conf(site_dir, QA_TODAY="2026-08-28")  # 180 days: not yet
    assert run_command("check") == (0, "")
    set_conf(site_dir, QA_TODAY="2027-01-01", QA_HELPLINE_MAX_AGE_DAYS=400)
    assert run_command("check") == (0, "")


def test_default_country_without_services_warns(site_dir: Path, run_command: Callable[[str], tuple[int, str]]) -> None:
    set_conf(site_dir, QA_DEFAULT_COUNTRY="FR")
    assert run_command("check") == (
        0,
        "content/helplines.yml:1: warning: QA_DEFAULT_COUNTRY: 'FR' has no services in this file "
        "(add 'FR:' with its services, or change the setting)\n1 warning found.\n",
    )


BAD = """\
UK:
  name: United Kingdom
  services: {}
US:
  name: United States
  services:
    fax:
      name: Fax line
      how: fax
      number: "555"
      hours: 24/7
      languages: [English]
      verified_on: 2026-11-01
    plain:
      name: Plain web
      how: web
      address: http://example.org/
      hours: 24/7
      languages: English
      verified_on: 2026-11-01
    nonumber:
      name: No number
      how: phone
      hours: 24/7
      languages: [English]
      verified_on: 2026-11-01
    letters:
      name: Letters
      how: text
      number: CALL-ME
      hours: 24/7
      languages: [English]
      verified_on: someday
"""


def test_invalid_helplines_report_exact_messages(site_dir: Path, run_command: Callable[[str], tuple[int, str]]) -> None:
    (site_dir / "content/helplines.yml").write_text(BAD)
    code, err = run_command("check")
    assert code == 1
    assert err.splitlines() == [
        "content/helplines.yml:1: UK: 'UK' is not an ISO 3166-1 alpha-2 country code "
        "(use the country's two capital letters from ISO 3166-1, like GB for the United Kingdom)",
        "content/helplines.yml:9: US.services.fax.how: 'fax' is not a way to reach a service "
        "(write phone, text, chat or web)",
        "content/helplines.yml:17: US.services.plain.address: 'http://example.org/' is not an https:// address "
        "(link to the service's https:// address)",
        "content/helplines.yml:21: US.services.nonumber.number: required for a phone service "
        "(add 'number: \"116 123\"' under it)",
        "content/helplines.yml:30: US.services.letters.number: 'CALL-ME' is not a phone number "
        '(write digits, spaces and hyphens only, like "116 123" or "+44 116 123"; quote it)',
        "content/helplines.yml:33: US.services.letters.verified_on: 'someday' is not a date "
        "(write an ISO date like 2026-03-02)",
        "6 problems found.",
    ]


def test_norway_needs_quotes(site_dir: Path, run_command: Callable[[str], tuple[int, str]]) -> None:
    path = site_dir / "content/helplines.yml"
    path.write_text(path.read_text() + "NO:\n  name: Norway\n  services: {}\n")
    assert run_command("check") == (
        1,
        'content/helplines.yml:64: False: NO must be quoted (write "NO": (YAML reads a bare NO as false))\n'
        "1 problem found.\n",
    )


def test_sensitive_must_be_true_or_false(site_dir: Path, run_command: Callable[[str], tuple[int, str]]) -> None:
    path = site_dir / "content/categories.yml"
    path.write_text(path.read_text().replace("  sensitive: true", "  sensitive: yes please"))
    assert run_command("check") == (
        1,
        "content/categories.yml:7: Anxiety & stress.sensitive: 'yes please' is not true or false "
        "(write true or false)\n1 problem found.\n",
    )


def test_settings_check_names_bad_dated_settings() -> None:
    settings = with_defaults({"QA_TODAY": "tomorrow", "QA_DEFAULT_COUNTRY": "UK", "QA_HELPLINE_MAX_AGE_DAYS": 0})
    errors = check_settings(settings)
    assert "setting QA_TODAY must be None or an ISO date like '2026-11-01', got 'tomorrow'" in errors
    assert "setting QA_HELPLINE_MAX_AGE_DAYS must be 1 or more" in errors
    assert "setting QA_DEFAULT_COUNTRY must be '' or a two-letter ISO 3166-1 country code like 'GB', got 'UK'" in errors


def test_today_is_the_injected_date_else_the_date_in_the_site_time_zone() -> None:
    assert today({"QA_TODAY": "2026-02-28"}) == dt.date(2026, 2, 28)
    real = today({"QA_TODAY": "", "TIMEZONE": "Pacific/Kiritimati"})
    assert abs((real - dt.date.today()).days) <= 1


def test_demo_lists_real_services_marks_sensitive_questions_and_does_not_warn() -> None:
    settings = load_settings(ROOT / "pelicanconf.py", {"QA_TODAY": "2026-11-26"})
    loaded = load_content(settings=settings)
    assert content_problems(loaded, settings=settings) == []
    site = loaded.site
    assert list(site.helplines) == ["GB", "US", "IE", "CA", "AU"] and settings["QA_DEFAULT_COUNTRY"] == "GB"
    assert site.categories["Depression"].sensitive
    own = [q.slug for q in site.questions if q.sensitive and not q.category.sensitive]
    assert len(own) >= 2
    notice = [(s.name, s.href) for s in help_page(site, "GB").notice]
    assert notice == [
        ("Samaritans", "tel:116123"),
        ("Shout", "sms:85258?body=SHOUT"),
        ("NHS 111 online", "https://111.nhs.uk/"),
    ]
