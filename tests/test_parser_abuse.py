"""Parser abuse: each hostile input is a clear error or a correct page, in bounded time and memory.

The single-file cases (YAML bombs and tags, UTF-16, line endings, long titles, 10,000 tags...) are
fixtures in tests/fixtures/invalid/ with their exact messages. Here the whole corpus is built at once
in a subprocess under RLIMIT_AS = 2 GiB and a wall-clock timeout: the build must finish (or stop with
its messages) inside those limits. This states the bound; it is not a speed test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ROOT
from qasite.content.confine import MAX_MARKDOWN_BYTES

MEMORY_LIMIT = 2 << 30  # bytes of address space for the build and everything it starts (Pagefind too)
TIME_LIMIT = 300  # seconds
FRONT = "---\ntitle: {title}\ndate: 2024-03-01\ncategory: Psychotherapists\ntags: [anxiety]\nauthor: ada-moss\n---\n\n"

# Bodies that must build into a page showing their last words.
ACCEPTED = {
    "deepest-lists-allowed": "- " * 9 + "deepest list item",
    "deepest-quotes-allowed": ">" * 19 + " deepest quote",
    "deep-html": "<div>" * 2000 + "deepest html text" + "</div>" * 2000,
    "many-brackets": "[" * 100_000 + " deepest bracket text",
    "many-emphasis": "*a **b " * 20_000 + " deepest emphasis text",
    "many-backticks": "Text " + "`" * 50_000 + " deepest backtick text",
    "largest-body": ("A line of ordinary text in a very long answer.\n\n" * 20_000)[: MAX_MARKDOWN_BYTES - 200]
    + "deepest largest text",
}


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def build_limited(site: Path) -> tuple[int, str]:
    """Build ``site`` in a child process under the memory limit; return (exit code, stderr)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "qasite", "build", "--settings", str(site / "pelicanconf.py")],
        cwd=site,
        env=env,
        preexec_fn=_limits,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    return done.returncode, done.stderr


def write_question(site: Path, slug: str, text: str | bytes) -> None:
    folder = site / "content/questions" / slug
    folder.mkdir(parents=True)
    path = folder / "index.md"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def test_hostile_but_valid_corpus_builds_within_limits(site_dir: Path) -> None:
    for slug, body in ACCEPTED.items():
        write_question(site_dir, slug, FRONT.format(title=slug) + body + "\n")
    front = FRONT.format(title="Line endings") + "First paragraph.\n\nlast words of the {}\n"
    write_question(site_dir, "crlf-endings", front.format("crlf file").replace("\n", "\r\n").encode())
    write_question(site_dir, "cr-endings", front.format("cr file").replace("\n", "\r").encode())
    write_question(site_dir, "utf8-bom", b"\xef\xbb\xbf" + front.format("bom file").encode())
    assert build_limited(site_dir) == (0, "")
    output = site_dir / "output/questions"
    ends = {slug: f"deepest {slug.split('-')[-1]}" for slug in ACCEPTED}
    for slug, body in ACCEPTED.items():
        text = BeautifulSoup((output / slug / "index.html").read_text(), "lxml").get_text(" ")
        assert body.rsplit("deepest", 1)[1].strip() in text, ends[slug]
    for slug, words in [("crlf-endings", "crlf file"), ("cr-endings", "cr file"), ("utf8-bom", "bom file")]:
        page = BeautifulSoup((output / slug / "index.html").read_text(), "lxml")
        paragraphs = [p.get_text() for p in page.select(".qa-question__body p")]
        assert paragraphs[:2] == ["First paragraph.", f"last words of the {words}"]
        assert page.find("h1").get_text(strip=True) == "Line endings"


def test_hostile_corpus_is_refused_within_limits(site_dir: Path) -> None:
    laughs = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(10))
    (site_dir / "content/tags.yml").write_text(laughs + "anxiety:\n  synonyms: *l9\n")
    bodies = {
        "five-megabytes": FRONT.format(title="Big") + "word " * 1_000_000,
        "deep-yaml": FRONT.format(title="[" * 100_000 + "]" * 100_000),
        "many-tags": FRONT.format(title="Tags").replace("[anxiety]", str([f"t{i}" for i in range(10_000)])),
        "long-title": FRONT.format(title="Why " * 2500),
        "python-tag": FRONT.format(title="!!python/object/apply:os.system [false]"),
        "deep-lists": FRONT.format(title="Lists") + "Text.\n\n" + "- " * 2000 + "lost",
        "deep-quotes": FRONT.format(title="Quotes") + "Text.\n\n" + "> " * 2000 + "lost",
        "deep-indented-lists": FRONT.format(title="Indented") + "".join("  " * i + "- item\n" for i in range(300)),
    }
    for slug, text in bodies.items():
        write_question(site_dir, slug, text + "\n\nBody.\n")
    q = "content/questions"
    size = len(bodies["five-megabytes"]) + len("\n\nBody.\n")
    lost = "lists or quotes are nested too deeply: the text from here on would be lost "
    lost += "(nest them less deeply (at most 9 lists or 19 quotes inside each other))"
    assert build_limited(site_dir) == (
        1,
        f"{q}/deep-indented-lists/index.md:18: {lost}\n"
        f"{q}/deep-lists/index.md:11: {lost}\n"
        f"{q}/deep-quotes/index.md:11: {lost}\n"
        f"{q}/deep-yaml/index.md:2: YAML is nested more than 10 levels deep "
        "(content files need at most 3 levels of indentation: see docs/content-format.md)\n"
        f"{q}/five-megabytes/index.md:1: file is too large ({size:,} bytes; the limit is 1,000,000) "
        "(shorten it, or split it into several files)\n"
        f"{q}/long-title/index.md:2: title: is 9999 characters long (shorten it to 150 characters or fewer)\n"
        f"{q}/many-tags/index.md:5: tags: has 10000 tags (keep the 5 that describe the question best)\n"
        f"{q}/python-tag/index.md:2: YAML tag '!!python/object/apply:os.system' is not allowed "
        "(remove the tag; quote the value if it starts with '!')\n"
        "content/tags.yml:10: YAML anchors and aliases (&name, *name) are not allowed (write the value out in full)\n"
        "9 problems found.\n",
    )
    assert not (site_dir / "output").exists()
