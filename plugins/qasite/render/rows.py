"""Listing rows rendered once: within a build by question, across a process's builds by what the row shows.

``listing.html`` renders each question's row through the ``memo`` filter (``{{ m.question_row|memo(q) }}``). Within
one build a row is rendered once per question (its HTML is reused on every later page: a question is listed on
about six pages). Across the builds of one process (the live preview) a ``question_row`` is kept by its
*signature* (``row_signature``): every value of the question the macro (``partials/macros.html``) reads. Rows with
equal signatures render the same HTML, given the same templates, filters and Jinja globals (``environment_key``:
the store is emptied when any of these differ). So an edit re-renders only the rows whose values it changed (a
person's name: the rows of that person's questions), and the listing pages around them reuse the rest.

The live preview renders every question's row once into the store (``warm``, at the end of its first build in a
process, or after the environment changed): a preview resumed from the cache starts with no rows, and a person
edit's listing pages (~20 rows each, hundreds of pages) would otherwise render the rows around the person's on
every page no earlier edit wrote (~1,900 rows, ~0.8 CPU-s, at 10,000 questions).

A new value the row shows must go into ``row_signature``: ``tests/test_rows.py`` changes every field a row can show
and compares with the macro rendered afresh.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from types import BuiltinFunctionType, FunctionType
from typing import Any

from jinja2 import Environment, TemplateNotFound

from ..content.model import Question
from . import member_rows
from .filters import points_text

SLACK = 1_000  # rows kept beyond twice the most one build used (rows of questions edited away, until dropped)

_ROWS: OrderedDict[Hashable, Any] = OrderedDict()  # (macro name, signature) -> HTML, least recently used first
_KEY: list[Hashable] = [None]  # the environment the kept rows were rendered in (``environment_key``)
_MOST = [0]  # the most rows one build of this process used
_WARMED: list[Hashable] = [None]  # the environment whose rows ``warm`` rendered
MACROS = "partials/macros.html"  # the template defining ``question_row``


def row_signature(q: Question) -> Hashable:
    """Every value of ``q`` the ``question_row`` macro shows or tests: votes, answer state and count, views, address,
    title, content note, summary, category, tags, date, and the asker (none when anonymous)."""
    author, asker = q.author, None
    if author is not None and not author.is_anonymous:  # the points as shown ('12k points'): a vote rarely moves them
        points = None if author.points is None else points_text(author.points)
        asker = (author.url, author.name, points)
    tags = tuple([(tag.url, tag.name) for tag in q.tags])
    shown = (q.votes, bool(q.accepted_answer), q.answer_count, q.views, q.url, q.title, q.content_note, q.summary)
    return (*shown, q.category.url, q.category.name, tags, q.date.isoformat(), asker)


SIGNATURES: dict[str, Callable[..., Hashable]] = {"question_row": row_signature, **member_rows.SIGNATURES}


def environment_key(env: Environment) -> Hashable:
    """What a macro's HTML depends on besides its arguments: the globals of plain values (``SITEURL``), the filters
    and every template's source."""
    plain = (str, int, float, bool, type(None))
    values = tuple(sorted((k, repr(v)) for k, v in env.globals.items() if isinstance(v, plain)))
    filters = tuple(sorted((k, _filter_key(f)) for k, f in env.filters.items() if k != "memo"))
    sources = hashlib.sha256()
    if env.loader is not None:
        for name in env.loader.list_templates():
            source, _, _ = env.loader.get_source(env, name)
            sources.update(name.encode() + b"\0" + source.encode() + b"\0")
    return values, filters, sources.hexdigest()


def _filter_key(function: Any) -> Hashable:
    """A filter as the key compares it: a function is itself (a reloaded settings file's own filter is another
    object); a callable object made for each build (Pelican's ``strftime``) is its class and attributes."""
    if isinstance(function, FunctionType | BuiltinFunctionType):
        return function
    return type(function), repr(sorted(vars(function).items())) if hasattr(function, "__dict__") else repr(function)


def memo_filter(env: Environment) -> Callable[..., Any]:
    """The ``memo`` filter of one build in ``env``: ``{{ m.question_row|memo(q) }}`` renders the macro once per
    argument in this build (objects identified by ``id()``, kept alive meanwhile), and a macro of ``SIGNATURES``
    once per signature in this process while ``env``'s templates, filters and globals stay the same."""
    key = environment_key(env)
    if _KEY[0] != key:
        _ROWS.clear()
        _KEY[0] = key
    while len(_ROWS) > 2 * _MOST[0] + SLACK:
        _ROWS.popitem(last=False)
    built: dict[tuple[Any, ...], Any] = {}
    keep: list[Any] = []  # the arguments, alive until the build ends: their ids are not reused meanwhile

    def memo(macro: Any, *args: Any) -> Any:
        ident = (macro.name, *map(id, args))
        html = built.get(ident)
        if html is None:
            html = built[ident] = _kept(macro, args)
            keep.append(args)
            _MOST[0] = max(_MOST[0], len(built))
        return html

    return memo


def _kept(macro: Any, args: tuple[Any, ...]) -> Any:
    """The macro's HTML for ``args``: kept from an earlier build if its signature is known, else rendered now."""
    signer = SIGNATURES.get(macro.name)
    if signer is None:
        return macro(*args)
    signature = (macro.name, signer(*args))
    html = _ROWS.get(signature)
    if html is None:
        html = _ROWS[signature] = macro(*args)
    else:
        _ROWS.move_to_end(signature)
    return html


def warm(env: Environment, questions: Sequence[Question]) -> None:
    """Keep every question's ``question_row`` (rendered now if its signature is new), once per environment: after
    ``memo_filter`` of a build in ``env`` (its ``qa_once`` global set), when nothing else renders."""
    if _WARMED[0] == _KEY[0]:
        return
    _WARMED[0] = _KEY[0]
    try:
        macro = getattr(env.get_template(MACROS).module, "question_row", None)  # as listing.html imports it
    except TemplateNotFound:
        macro = None  # another theme: nothing of ours to keep
    if macro is None:
        return
    for question in questions:
        _kept(macro, (question,))
    _MOST[0] = max(_MOST[0], len(questions))  # the store's bound: these rows are not evicted as unused
