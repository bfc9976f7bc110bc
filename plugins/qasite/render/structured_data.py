"""schema.org data for search engines: QAPage and BreadcrumbList as JSON-LD.

A person whose verification is current carries their credentials (``hasCredential``); a reviewed question's
QAPage (a WebPage) says who reviewed it and when (``reviewedBy``, ``lastReviewed``).

Pure functions returning dicts; the theme serializes them with Jinja's
``tojson``, which escapes ``<``, ``>`` and ``&`` so content cannot close the
``<script type="application/ld+json">`` element.
"""

from __future__ import annotations

from typing import Any

from ..config.urls import absolute
from ..content.model import Answer, Person, Question

Crumbs = list[tuple[str, str | None]]


def _person(base: str, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.url:
        data["url"] = absolute(base, person.url)
    if person.verified and person.credentials:
        data["hasCredential"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "license",
            "name": person.credentials,
        }
    return data


def _answer(base: str, question: Question, answer: Answer) -> dict[str, Any]:
    return {
        "@type": "Answer",
        "text": answer.body_text,
        "upvoteCount": answer.votes,
        "url": absolute(base, f"{question.url}#{answer.anchor}"),
        "datePublished": answer.date.isoformat(),
        **({"dateModified": answer.edited.isoformat()} if answer.edited else {}),
        "author": _person(base, answer.author),
    }


def qa_page(base: str, question: Question) -> dict[str, Any] | None:
    """Google-compliant QAPage for a question with answers; None when unanswered."""
    if not question.answers:
        return None
    main: dict[str, Any] = {
        "@type": "Question",
        "name": question.title,
        "text": question.body_text,
        "answerCount": question.answer_count,
        "upvoteCount": question.votes,
        "datePublished": question.date.isoformat(),
        **({"dateModified": question.edited.isoformat()} if question.edited else {}),
        "author": _person(base, question.author),
    }
    accepted = question.accepted_answer
    if accepted:
        main["acceptedAnswer"] = _answer(base, question, accepted)
    suggested = [_answer(base, question, a) for a in question.answers if a is not accepted]
    if suggested:
        main["suggestedAnswer"] = suggested
    page: dict[str, Any] = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": main}
    if question.reviewed_by is not None and question.last_reviewed is not None:
        page["reviewedBy"] = _person(base, question.reviewed_by)
        page["lastReviewed"] = question.last_reviewed.isoformat()
    return page


def breadcrumb_list(base: str, crumbs: Crumbs, current_url: str) -> dict[str, Any]:
    """BreadcrumbList from the page's breadcrumbs (the last one is the page itself)."""
    items = [
        {
            "@type": "ListItem",
            "position": i,
            "name": label,
            "item": absolute(base, url if url is not None else current_url),
        }
        for i, (label, url) in enumerate(crumbs, 1)
    ]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
