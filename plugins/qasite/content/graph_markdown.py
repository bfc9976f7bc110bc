"""The site graph's Markdown outputs: each question's Markdown alternate and /llms.txt (``render/llms.py``).

A mixin of ``graph._Builder``: these are files, not pages, so they read no chrome and are not in the sitemap.
An alternate shows its question and answers whole, the authors' names, the category's name, the tags, the
content notes and whether the question is sensitive;
llms.txt the categories (name, description, order) and the top-voted questions' titles, votes and answer
counts (the counts are in its selection, so a new answer to one of them reaches it).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..config.urls import Urls
from ..render.llms import LLMS_TOP

if TYPE_CHECKING:
    from .graph import Node
    from .site import Site


class MarkdownOutputs:
    """Adds the Markdown outputs to the graph being built (``self`` is the graph's builder)."""

    site: Site
    urls: Urls
    selections: dict[str, Hashable]

    if TYPE_CHECKING:  # the builder's own methods

        def read(self, reader: str, nodes: Iterable[Node]) -> None: ...
        def person(self, person: Any, *fields: str) -> list[Node]: ...
        def category(self, category: Any, *fields: str) -> list[Any]: ...
        def tags(self, tags: Iterable[Any], *fields: str) -> list[Any]: ...
        def question(self, q: Any, *fields: str) -> list[Any]: ...

    def markdown(self, q: Any) -> None:
        """A question's Markdown alternate."""
        from .graph import ALL

        nodes: list[Node] = [(q.source_path, "", ALL), *((a.source_path, "", ALL) for a in q.answers)]
        nodes += [n for post in (q, *q.answers) for n in self.person(post.author, "name")]
        nodes += self.category(q.category, "name", "content_note", "sensitive") + self.tags(q.tags, "content_note")
        output = self.urls.markdown(q.slug)
        self.selections[output] = ("markdown",)
        self.read(output, nodes)

    def llms(self, top_voted: Sequence[Any]) -> None:
        """llms.txt (``top_voted``: the site's questions, top voted first)."""
        top = top_voted[:LLMS_TOP]
        self.selections[Urls.llms] = ("llms", tuple((q.slug, q.answer_count) for q in top))
        nodes = [n for c in self.site.categories.values() for n in self.category(c, "name", "description", "order")]
        self.read(Urls.llms, nodes + [n for q in top for n in self.question(q, "title", "votes")])
