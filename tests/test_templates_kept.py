"""A build in a new process starts from the templates the last build compiled (render/bytecode.py: restore, persist).

The compiled templates are kept in the build cache; a new process (``invoke build``) takes them instead of compiling
every template again. Jinja checks each against its source's checksum, so a template edited since is compiled anew;
an entry that is not the cache's own is ignored. The output is a full build's either way.
"""

from __future__ import annotations

import pickle
import random
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from test_incremental import SEED, Editor, differences, settings_for
from test_resume import new_process

from conftest import ROOT
from qasite.build import cache
from qasite.build.pipeline import build
from qasite.render import bytecode


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copytree(ROOT / "theme", folder / "theme")
    return folder


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from their source (in this process: a build writing one page)."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        names.append(str(name))
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def new_build_process() -> None:
    new_process()
    bytecode.TEMPLATES.clear()


def settings(site: Path, output: Path, cache_path: Path | None = None) -> dict[str, Any]:
    extra = {"THEME": str(site / "theme"), "QA_RENDER_PROCESSES": 1}
    return settings_for(site, output, **extra, **({"QA_CACHE_PATH": str(cache_path)} if cache_path else {}))


def full_build(site: Path, output: Path) -> Path:
    """A build of the same content into ``output`` with a cache of its own: every template compiled anew."""
    new_build_process()
    return build(settings=settings(site, output, output.with_name(output.name + "-cache")))


def entry(site: Path, output: Path) -> Path:
    return cache.Cache.for_settings(settings(site, output))._path(bytecode.NAMESPACE, bytecode.NAMESPACE)


def first_builds(site: Path, output: Path) -> None:
    for _ in range(2):  # the second one resumes and compiles in this process what the cold one's workers did
        new_build_process()
        build(settings=settings(site, output))
    new_build_process()
    assert entry(site, output).is_file(), "no compiled templates kept"


def test_a_new_process_compiles_no_template_the_last_build_compiled(
    site: Path, tmp_path: Path, compiled: list[str]
) -> None:
    output = tmp_path / "output"
    first_builds(site, output)
    editor = Editor(site / "content", random.Random(SEED + 3))
    for step in range(2):
        editor.answer_text()
        new_build_process()
        compiled.clear()
        build(settings=settings(site, output))
        assert compiled == [], f"edit {step}: compiled again: {compiled}"
        full = full_build(site, tmp_path / f"full{step}")
        assert differences(output, full) == [], f"edit {step}"
        shutil.rmtree(full)


def test_a_template_edited_since_is_compiled_again(site: Path, tmp_path: Path, compiled: list[str]) -> None:
    output = tmp_path / "output"
    first_builds(site, output)
    footer = site / "theme" / "templates" / "partials" / "footer.html"
    text = footer.read_text()
    assert "</footer>" in text
    footer.write_text(text.replace("</footer>", "<p>kept-templates-check</p></footer>", 1))
    new_build_process()
    compiled.clear()
    build(settings=settings(site, output))
    assert compiled == ["partials/footer.html"]
    assert "kept-templates-check" in (output / "index.html").read_text()
    assert differences(output, full_build(site, tmp_path / "full")) == []


@pytest.mark.parametrize(
    "stored",
    [b"not a pickle", pickle.dumps({"key": "not bytes"}), pickle.dumps(["a", "b"])],
    ids=["not-a-pickle", "not-bytes", "not-a-dict"],
)
def test_an_entry_that_is_not_the_caches_own_is_ignored(site: Path, tmp_path: Path, stored: bytes) -> None:
    output = tmp_path / "output"
    first_builds(site, output)
    entry(site, output).write_bytes(stored)
    Editor(site / "content", random.Random(SEED + 4)).answer_text()
    new_build_process()
    build(settings=settings(site, output))
    assert differences(output, full_build(site, tmp_path / "full")) == []
    assert isinstance(pickle.loads(entry(site, output).read_bytes()), dict)
