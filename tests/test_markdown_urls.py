"""Links and images in Markdown: every URL variant an attacker might try (entities, mixed case, spaces,
control characters, dangerous schemes, other hosts) rendered by markdown.py, and read by the same
checker the output tests use, which is itself tested here on live markup it must catch."""

from __future__ import annotations

import pytest

from html_safety import html_problems
from qasite.render.markdown import is_safe_url, render

# -- the checker itself catches what it is there to catch ---------------------------

LIVE_MARKUP = [
    "<script>alert(1)</script>",
    '<script type="module" src="https://evil.example/x.js"></script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg>",
    "<a href=' JaVaScRiPt:alert(1)'>x</a>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "<a href='&#x01;javascript:alert(1)'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='data:text/html,x'>x</a>",
    "<img src='data:image/svg+xml,<svg onload=alert(1)>'>",
    "<img src='//evil.example/x.png'>",
    "<img src='/\\evil.example/x.png'>",
    "<img srcset='/a.png 1x, https://evil.example/b.png 2x'>",
    "<form><button formaction='javascript:alert(1)'>x</button></form>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<p style='background:url(x)'>x</p>",
    "<!-- a comment swallowing the page",
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
    '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}</script>',
    '<script type="application/ld+json">{"votes": NaN}</script>',
]


@pytest.mark.parametrize("markup", LIVE_MARKUP)
def test_the_checker_finds_live_markup(markup: str) -> None:
    assert html_problems(f"<!doctype html><html><head></head><body>{markup}</body></html>")


def test_the_checker_accepts_our_own_page_furniture() -> None:
    page = (
        '<!doctype html><html lang="en"><head><script type="module" src="/theme/js/site.js"></script>'
        '<script type="application/ld+json">{"url": "http://127.0.0.1:8000/x/"}</script></head>'
        '<body><a href="/questions/x/">x</a><a href="mailto:a@example.org">m</a></body></html>'
    )
    assert html_problems(page) == []


# -- markdown.py: every URL variant, as a link, an image, an autolink and a reference --------

DANGEROUS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \t javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "\x01javascript:alert(1)",
    "java\x01script:alert(1)",
    "\x00javascript:alert(1)",
    "javascript\x00:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "data:image/png;base64,iVBORw0KGgo=",
]


@pytest.mark.parametrize("url", DANGEROUS_URLS)
def test_is_safe_url_refuses_dangerous_schemes(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize(
    "url", ["https://example.org/", "HTTP://x.org", "mailto:a@b.org", "tel:+1", "/about/", "#x", "x"]
)
def test_is_safe_url_allows_web_mail_phone_and_relative(url: str) -> None:
    assert is_safe_url(url)


MARKDOWN_DESTINATIONS = [
    *(f"<{url}>" for url in DANGEROUS_URLS),  # angle brackets allow spaces and controls in the destination
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&#x09;script:alert(1)",
    "java&#x0A;script:alert(1)",
    "java&#13;script:alert(1)",
    "jav&#x01;ascript:alert(1)",
    "&#x01;javascript:alert(1)",
    "&#0;javascript:alert(1)",
    "javascript%3Aalert(1)",
    "d&#x61;ta:text/html,x",
    "vbscript&#58;msgbox(1)",
    "//evil.example/x.png",
    "/\\evil.example/x.png",
    "\\\\evil.example/x.png",
    'https://evil.example/x.png "\\" onerror=\\"alert(1)"',
]
MARKDOWN_FORMS = {
    "link": "[text]({})",
    "image": "![text]({})",
    "reference": "[text][r] ![image][r]\n\n[r]: {}",
}


@pytest.mark.parametrize("form", MARKDOWN_FORMS)
@pytest.mark.parametrize("destination", MARKDOWN_DESTINATIONS)
def test_markdown_urls_never_become_live(form: str, destination: str) -> None:
    html = render(MARKDOWN_FORMS[form].format(destination)).html
    assert html_problems(f"<!doctype html><html><head></head><body>{html}</body></html>") == [], html


@pytest.mark.parametrize("url", DANGEROUS_URLS[:2] + DANGEROUS_URLS[10:])
def test_markdown_autolinks_with_dangerous_schemes_stay_text(url: str) -> None:
    html = render(f"<{url}>").html
    assert "<a " not in html and html_problems(f"<html><body>{html}</body></html>") == []
