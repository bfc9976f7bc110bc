"""Links that let readers contribute: ask a question, add an answer, edit a file.

They open the repository's new-file (or edit) page with the path and a valid
front-matter template filled in. Without QA_REPO_URL they lead to the site's
contribute page, which explains the pull-request route.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ..config.urls import Urls
from ..content.frontmatter_writer import render_file
from ..content.model import Question
from ..content.schema import ANSWER, QUESTION

CONTRIBUTE_URL = Urls.contribute
# The title of the ask link's question template; search.js puts the searched words in its place.
TITLE_PLACEHOLDER = "Your question?"

ANSWER_TEMPLATE = render_file(
    {"author": "your-handle", "date": "YYYY-MM-DD", "votes": 0},
    ANSWER,
    "Write your answer here. Please keep it kind, and never share details that could identify you or anyone else.",
)


def question_template(*, title: str = "", category: str = "") -> str:
    """A new question file: placeholders where the asker fills in, ``title`` and ``category`` when known."""
    fields = {
        "title": title or TITLE_PLACEHOLDER,
        "date": "YYYY-MM-DD",
        "category": category or "Category name",
        "tags": ["tag-one", "tag-two"],
        "votes": 0,
        "author": "your-handle",
    }
    return render_file(fields, QUESTION, "Describe your situation and what you would like to know.")


def new_file_url(*, repo: str, branch: str, folder: str, filename: str, value: str) -> str:
    """The repository's new-file page for ``folder/filename`` prefilled with ``value``."""
    query = urlencode({"filename": filename, "value": value}, quote_via=quote)
    return f"{repo.rstrip('/')}/new/{quote(branch)}/{quote(folder)}?{query}"


def edit_url(*, repo: str, branch: str, path: str) -> str:
    """The repository's edit page for the file at ``path``."""
    return f"{repo.rstrip('/')}/edit/{quote(branch)}/{quote(path)}"


def answer_url(question: Question, *, repo: str, branch: str) -> str | None:
    """New-answer link for ``question``; None when the site has no repository."""
    if not repo:
        return None
    folder = question.source_path.rsplit("/", 1)[0] + "/answers"
    return new_file_url(
        repo=repo, branch=branch, folder=folder, filename="YYYY-MM-DD-your-handle.md", value=ANSWER_TEMPLATE
    )


def ask_url(*, repo: str, branch: str, title: str = "", category: str = "") -> str | None:
    """New-question link (title optional, e.g. a search query); None without a repository."""
    if not repo:
        return None
    value = question_template(title=title, category=category)
    return new_file_url(
        repo=repo, branch=branch, folder="content/questions/your-question-slug", filename="index.md", value=value
    )
