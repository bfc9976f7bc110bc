"""The GitHub Actions workflows are valid and run the same commands as the README."""

from __future__ import annotations

import subprocess

import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_githubs_schema() -> None:
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(WORKFLOWS) == 2


def test_workflows_use_make_and_invoke() -> None:
    commands = {
        path.name: [
            step["run"]
            for job in yaml.safe_load(path.read_text())["jobs"].values()
            for step in job.get("steps", [])
            if "run" in step
        ]
        for path in WORKFLOWS
    }
    assert any("make test" in run for run in commands["check.yml"])
    assert any("invoke check" in run for run in commands["check.yml"])
    assert any("invoke publish" in run for run in commands["check.yml"])
    assert any("invoke publish" in run for run in commands["deploy.yml"])


def test_codeowners_names_every_content_area() -> None:
    owners = (ROOT / ".github" / "CODEOWNERS").read_text()
    for path in ("/content/", "/content/people.yml", "/plugins/", "/theme/"):
        assert f"\n{path} " in owners
