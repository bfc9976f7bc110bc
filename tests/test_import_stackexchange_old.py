"""Older Stack Exchange dumps: no ContentLicense, no LICENSE file, a folder not named after the site.

Every post still gets a license (the one Stack Exchange applied at the post's date) and the built page
shows the attribution; the site is read from the posts' links to their own questions; when nothing
names it, the import asks for --site-url (exact message), from the command line too, without a traceback.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qasite.build.pipeline import build, load_settings
from qasite.content.frontmatter import split
from qasite.content.loader import load_site
from qasite.importers import ImporterError, run_import
from qasite.importers.licenses import stack_exchange_license

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
SITE = "https://cooking.stackexchange.com"

POSTS = """<?xml version="1.0" encoding="utf-8"?>
<posts>
  <row Id="1" PostTypeId="1" CreationDate="2010-07-09T19:03:14.030" Score="12" ViewCount="900" OwnerUserId="3"
    Title="How long can I keep soup in the fridge?" Tags="&lt;food-safety&gt;&lt;soup&gt;"
    Body="&lt;p&gt;I made a big pot.&lt;/p&gt;" />
  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2011-04-07T23:59:00.000" Score="4" OwnerUserId="4"
    Body="&lt;p&gt;Three or four days.&lt;/p&gt;" />
  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="2011-04-08T00:00:01.000" Score="2" OwnerUserId="3"
    Body="&lt;p&gt;See also &lt;a href=&quot;{site}/questions/5/why-does-bread-go-stale&quot;&gt;stale bread&lt;/a&gt;
    and
    &lt;a href=&quot;https://cooking.meta.stackexchange.com/questions/1/on-topic&quot;&gt;meta&lt;/a&gt;.&lt;/p&gt;" />
  <row Id="5" PostTypeId="1" CreationDate="2018-05-01T12:00:00.000" Score="3" ViewCount="40" OwnerUserId="4"
    Title="Why does bread go stale?" Tags="&lt;bread&gt;" Body="&lt;p&gt;Mine is hard by day two.&lt;/p&gt;" />
  <row Id="6" PostTypeId="2" ParentId="5" CreationDate="2018-05-02T08:00:00.000" Score="1" OwnerUserId="4"
    Body="&lt;p&gt;Starch retrogradation, see &lt;a href=&quot;{site}/q/1&quot;&gt;this&lt;/a&gt;.&lt;/p&gt;" />
</posts>
"""
USERS = """<?xml version="1.0" encoding="utf-8"?>
<users>
  <row Id="3" Reputation="5200" DisplayName="Aaronut" WebsiteUrl="https://aaronut.example.com" />
  <row Id="4" Reputation="880" DisplayName="Kate Gregory" WebsiteUrl="http://www.gregcons.example.com" />
</users>
"""


def dump(folder: Path, site: str = SITE) -> Path:
    """An old-style dump (no ContentLicense, no LICENSE file) in ``folder``."""
    folder.mkdir(parents=True)
    (folder / "Posts.xml").write_text(POSTS.replace("{site}", site), encoding="utf-8")
    (folder / "Users.xml").write_text(USERS, encoding="utf-8")
    return folder


def licenses(content: Path) -> dict[str, str]:
    """source -> license of every imported file."""
    found = {}
    for path in sorted((content / "questions").rglob("*.md")):
        source, _ = split(path.read_text(encoding="utf-8"), path.name)
        assert source is not None
        if source.meta.data.get("source"):
            found[source.meta.data["source"]] = source.meta.data["license"]
    return found


def test_license_by_date() -> None:
    import datetime as dt

    assert stack_exchange_license(dt.datetime(2011, 4, 7, 23, 59)) == "CC BY-SA 2.5"
    assert stack_exchange_license(dt.datetime(2011, 4, 8)) == "CC BY-SA 3.0"
    assert stack_exchange_license(dt.datetime(2018, 5, 1, 23, 59)) == "CC BY-SA 3.0"
    assert stack_exchange_license(dt.datetime(2018, 5, 2)) == "CC BY-SA 4.0"


def test_old_dump_gets_licenses_site_and_category(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("stackexchange", dump(tmp_path / "2014-dump"), content)
    assert licenses(content) == {
        f"{SITE}/q/1": "CC BY-SA 2.5",
        f"{SITE}/a/2": "CC BY-SA 2.5",
        f"{SITE}/a/3": "CC BY-SA 3.0",
        f"{SITE}/q/5": "CC BY-SA 3.0",
        f"{SITE}/a/6": "CC BY-SA 4.0",
    }
    assert report.lines() == [
        f"note: Posts.xml: the site is {SITE} (1 link in the posts to its own questions); "
        "give --site-url if that is wrong",
        "note: Posts.xml: posts without ContentLicense get the license Stack Exchange applied at their date "
        "(CC BY-SA 2.5 before 2011-04-08, CC BY-SA 3.0 before 2018-05-02, CC BY-SA 4.0 after): "
        "2 CC BY-SA 2.5, 2 CC BY-SA 3.0, 1 CC BY-SA 4.0",
        "note: Posts.xml: 2 question(s) put in the category 'Cooking' (named after the site; give --category NAME, "
        "or map tags under 'categories:' in --mapping FILE)",
        "Imported 2 questions, 3 answers, 2 people from cooking.stackexchange.com: 5 files written (0 refreshed), "
        "0 unchanged; 0 kept (edited here); 0 skipped; 2 people and 1 category added.",
    ]
    people = (content / "people.yml").read_text()
    assert f"{SITE}/users/3" in people and "aaronut.example.com" not in people  # WebsiteUrl is not the site
    _, problems = load_site(content)
    assert [str(p) for p in problems] == []
    again = run_import("stackexchange", tmp_path / "2014-dump", content)
    assert (again.written, len(again.unchanged)) == ([], 5)


def test_folder_and_site_url_come_first(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("stackexchange", dump(tmp_path / "cooking.stackexchange.com"), content, category="Cooking")
    assert not any("the site is" in note for note in report.notes)
    other = run_import("stackexchange", dump(tmp_path / "x"), tmp_path / "c2", site_url="https://cooking.example.org")
    assert "https://cooking.example.org/q/1" in licenses(tmp_path / "c2") and other.questions == 2


def test_a_dump_that_names_no_site_asks_for_site_url(tmp_path: Path) -> None:
    folder = dump(tmp_path / "dump", site="https://elsewhere.stackexchange.com")
    (folder / "Posts.xml").write_text(
        (folder / "Posts.xml").read_text().replace("/questions/5/why", "/questions/9/why")
    )
    with pytest.raises(ImporterError) as caught:
        run_import("stackexchange", folder, tmp_path / "content")
    assert str(caught.value) == (
        f"{folder}: which Stack Exchange site is this dump from? Its folder is not named after the site and its "
        "posts do not say: give the site's address, like --site-url https://elsewhere.stackexchange.com or "
        "--site-url https://cooking.meta.stackexchange.com (it makes each post's source link and attribution)"
    )
    command = [str(Path(sys.executable).parent / "invoke"), "import", "--from", "stackexchange", str(folder)]
    command += ["--content", str(tmp_path / "content")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"error: {caught.value}"


def test_the_page_shows_the_attribution(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text().replace('THEME = "../../../theme"', f'THEME = "{ROOT / "theme"}"'))
    run_import("stackexchange", dump(tmp_path / "old-dump"), site / "content", category="Psychotherapists")
    output = build(settings=load_settings(conf))
    page = BeautifulSoup(
        (output / "questions" / "how-long-can-i-keep-soup-in-the-fridge" / "index.html").read_text(), "lxml"
    )
    lines = page.select("p.qa-source")
    assert len(lines) == 3
    deeds = [line.find("a", rel="license") for line in lines]
    assert [(a.get_text(), a["href"]) for a in deeds] == [
        ("CC BY-SA 2.5", "https://creativecommons.org/licenses/by-sa/2.5/"),
        ("CC BY-SA 2.5", "https://creativecommons.org/licenses/by-sa/2.5/"),
        ("CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/"),
    ]
    first = " ".join(lines[0].get_text().split())
    assert first.startswith("Originally posted by Aaronut at cooking.stackexchange.com, licensed under CC BY-SA 2.5.")
    assert lines[0].find("a", href=f"{SITE}/users/3") is not None
