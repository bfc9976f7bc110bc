"""Editor and maintainer tasks. Run `invoke --list` to see them all."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from qasite.build import run_cli  # noqa: E402


def _run(command: str, settings: str, output: str | None = None) -> None:
    overrides = {"OUTPUT_PATH": str(Path(output).resolve())} if output else {}
    code = run_cli(command, ROOT / settings, overrides)
    if code:
        raise Exit(code=code)


@task
def check(c, settings="pelicanconf.py"):
    """Validate all content (front matter, people, categories, answers) without building."""
    _run("check", settings)


@task
def build(c, settings="pelicanconf.py", output=None):
    """Build the site into output/ (atomically: a failed build leaves the old site in place)."""
    _run("build", settings, output)


@task
def publish(c):
    """Build the site for publishing with publishconf.py."""
    _run("build", "publishconf.py")


@task(pre=[build])
def serve(c, port=8000):
    """Build the site, then serve it on http://127.0.0.1:8000 (Ctrl+C to stop)."""
    from pelican.settings import read_settings

    from qasite.serve import serve as serve_site

    output = Path(read_settings(str(ROOT / "pelicanconf.py"))["OUTPUT_PATH"])
    serve_site(output if output.is_absolute() else ROOT / output, port=int(port))


@task
def docs(c):
    """Regenerate the front-matter reference tables in docs/ from the schema."""
    from qasite.docs import update_file

    for path in sorted((ROOT / "docs").glob("*.md")):
        if update_file(path):
            print(f"Updated {path.relative_to(ROOT)}")
