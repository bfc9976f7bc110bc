"""Editor and maintainer tasks. Run `invoke --list` to see them all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))


def _run(command: str, settings: str, output: str | None = None, strict: bool = False, reviews: bool = False) -> None:
    from qasite.build.pipeline import run_cli

    overrides = {"OUTPUT_PATH": str(Path(output).resolve())} if output else {}
    code = run_cli(command, ROOT / settings, overrides, strict=strict, reviews=reviews)
    if code:
        raise Exit(code=code)


def _build(settings: str, output: str | None = None, strict: bool = False) -> None:
    """``python -m qasite build`` in a child process, which ends without the interpreter's teardown of the loaded
    site (seconds at 10,000 questions: qasite.__main__.exit_fast); invoke may still run other tasks after this one."""
    command = [sys.executable, "-m", "qasite", "build", "--settings", str(ROOT / settings)]
    command += ["--output", str(Path(output).resolve())] if output else []
    command += ["--strict"] if strict else []
    paths = [str(ROOT / "plugins"), *filter(None, [os.environ.get("PYTHONPATH")])]
    child = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)})
    while True:
        try:
            code = child.wait()
            break
        except KeyboardInterrupt:  # Ctrl+C reached the child too: it stops its build cleanly, then ends
            continue
    if code:
        raise Exit(code=code if code > 0 else 128 - code)  # killed by a signal: as a shell reports it


@task(help={"reviews": "list only the reviewed questions and answers overdue or due for review within 30 days"})
def check(c, settings="pelicanconf.py", strict=False, reviews=False):
    """Validate all content (fields, people, categories, answers, links, tags, duplicates) without building."""
    _run("check", settings, strict=strict, reviews=reviews)


def _scaffold(make, **kwargs) -> None:
    from qasite.build.pipeline import load_settings
    from qasite.config.clock import today
    from qasite.config.problems import BuildError

    try:  # dated as the site counts days: QA_TODAY, else today in its TIMEZONE
        path = make(ROOT / "content", today=today(load_settings(ROOT / "pelicanconf.py")), **kwargs)
    except BuildError as err:
        raise Exit(f"error: {err}", code=1) from err
    print(f"Created {path.relative_to(ROOT)}: write the text below the front matter, then run `invoke check`.")


@task(
    help={
        "title": 'the question, e.g. "Is it OK to cry at work?"',
        "category": "a category from content/categories.yml",
        "tags": "comma-separated, e.g. anxiety,work",
        "author": "your handle from content/people.yml",
    }
)
def new_question(c, title, category, tags, author="anonymous"):
    """Create content/questions/<slug>/index.md with valid front matter (slug from the title, the site's today)."""
    from qasite.tools.scaffold import new_question as make

    _scaffold(make, title=title, category=category, tags=tags, author=author)


@task(help={"question": "the question's folder name (its slug)", "author": "your handle from content/people.yml"})
def new_answer(c, question, author="anonymous"):
    """Create content/questions/<question>/answers/<date>-<author>.md with valid front matter."""
    from qasite.tools.scaffold import new_answer as make

    _scaffold(make, question=question, author=author)


@task
def build(c, settings="pelicanconf.py", output=None):
    """Build the site into output/ (atomically: a failed build leaves the old site in place)."""
    _build(settings, output)


@task
def publish(c, output=None):
    """Build for publishing with publishconf.py (set SITEURL); strict: any warning fails the build."""
    _build("publishconf.py", output, strict=True)


def _output() -> Path:
    from pelican.settings import read_settings

    return Path(read_settings(str(ROOT / "pelicanconf.py"))["OUTPUT_PATH"])


@task(pre=[build])
def serve(c, port=8000):
    """Build the site, then serve it on http://127.0.0.1:8000 (Ctrl+C to stop)."""
    from qasite.tools.serve import serve as serve_site

    serve_site(_output(), port=int(port))


@task
def livereload(c, port=8000):
    """Build, serve on http://127.0.0.1:8000, and rebuild + reload the browser on every change."""
    from qasite.tools.livereload import Preview, serve_live

    watched = [ROOT / "content", ROOT / "theme", ROOT / "pelicanconf.py"]
    preview = Preview(ROOT / "pelicanconf.py")  # incremental rebuilds; the search index follows in the background
    try:
        preview.rebuild()  # the preview's own first build: what it keeps (load, related lists) speeds the first edit
        serve_live(_output(), watched, preview.build, after=preview.catch_up, port=int(port))
    finally:
        preview.close()  # stops the background indexing, writes the build cache kept in memory


@task
def docs(c):
    """Regenerate the front-matter tables (from the schema) and header snippets (from headers.py) in the docs."""
    from qasite.tools.docs import update_file

    for path in [ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        if update_file(path):
            print(f"Updated {path.relative_to(ROOT)}")


@task(help={"base": "the branch the pull request goes into, e.g. origin/main"})
def reviewers(c, base="origin/main"):
    """Print the reviewers (comma-separated) for the categories of the questions changed since BASE."""
    import yaml

    from qasite.content.frontmatter import parse_source
    from qasite.tools.reviewers import reviewers_for

    changed = c.run(f"git diff --name-only {base}...HEAD", hide=True).stdout.split()
    category_of = {}
    for index in sorted((ROOT / "content" / "questions").glob("*/index.md")):
        source, _ = parse_source(index.read_bytes(), index.name)
        if source is not None and isinstance(source.meta.data.get("category"), str):
            category_of[index.parent.name] = source.meta.data["category"]
    mapping_file = ROOT / ".github" / "category-reviewers.yml"
    mapping = yaml.safe_load(mapping_file.read_text()) if mapping_file.exists() else {}
    print(",".join(reviewers_for(changed, category_of=category_of, reviewers=mapping or {})))


@task(
    name="import",
    help={
        "from_": "stackexchange, csv, q2a (saved pages), q2a-db (a database dump) or jsonl (from invoke export)",
        "path": "dump folder, CSV file, saved HTML page(s), .sql/.sql.gz dump (or a folder of them), questions.jsonl",
        "content": "content folder to import into (default: content, next to tasks.py)",
        "category": "category for imported questions (created in categories.yml if missing)",
        "force": "overwrite files that differ from the import (edited since)",
        "map": "CSV columns: field=Column,... (e.g. title=Question,body=Body,date=Posted)",
        "mapping": "YAML mapping file (columns:, categories:, license:, ...; see docs/importing.md)",
        "site_url": "address of the old site, for source links (e.g. https://conlang.meta.stackexchange.com)",
        "date": "YYYY-MM-DD: the date of posts whose source has none (reported)",
    },
)
def import_(c, from_, path, content="content", category="", force=False, map="", mapping="", site_url="", date=""):
    """Import questions and answers from a Stack Exchange dump, a CSV file or a Question2Answer forum."""
    from qasite.build import progress
    from qasite.config.problems import format_problems
    from qasite.content.loader import load_site
    from qasite.importers import ImporterError, run_import

    target = ROOT / content  # relative to the repository, like the content folder in pelicanconf.py
    try:
        with progress.shown():
            report = run_import(
                from_,
                Path(path),
                target,
                category=category,
                force=force,
                columns=map,
                mapping=Path(mapping) if mapping else None,
                site_url=site_url,
                date=date,
            )
    except ImporterError as err:
        raise Exit(f"error: {err}", code=2) from err
    print("\n".join(report.lines()))
    _, problems = load_site(target)
    if problems:
        print(format_problems(problems), file=sys.stderr)
    if any(problem.is_error for problem in problems):
        raise Exit(code=1)
    print(f"Content OK: {content} passes the checks.")


@task(help={"out": "folder for questions.jsonl, questions.csv and answers.csv (default: export)"})
def export(c, out="export", settings="pelicanconf.py"):
    """Export the published site as open data: JSON Lines and a CSV pair (docs/open-data.md)."""
    from qasite.tools.export import run_export

    code = run_export(ROOT / settings, Path(out).resolve())
    if code:
        raise Exit(code=code)


@task
def bench(c, sizes="demo,1000,10000", out="bench/results/latest.json", query_runs=5, lighthouse_runs=3, pairs=3):
    """Benchmark: time and memory vs plain Pelican and Hugo + Pagefind, search, Lighthouse (bench/README.md)."""
    options = f"--sizes {sizes} --out {out} --query-runs {query_runs} --lighthouse-runs {lighthouse_runs}"
    options += f" --pairs {pairs}"
    c.run(f"{sys.executable} bench/run.py {options}", pty=False)
