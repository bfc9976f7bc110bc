"""Forum HTML to readable Markdown (CommonMark + tables + strikethrough).

Covers what forum posts use: paragraphs and line breaks, links, emphasis,
inline code and code blocks, lists (nested), blockquotes, headings, rules,
images and tables. Anything else keeps its text. Text is escaped so it reads
as it did on the forum: ``*``, ``[``, a leading ``#`` or ``1.`` stay literal.
Relative links and images are made absolute against ``base_url``; an address
without its scheme (``www.example.com``) gets https://. Rich-text editor HTML
is tidied first (``html_cleanup``). Nothing is dropped silently: an image that
is not on the web (``file:``, ``data:``) becomes its alt text, an embedded
frame or video a link, and each such change is a note.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, PageElement, Tag

from .html_cleanup import clean
from .markdown_syntax import code_span, escape, escape_line_start, join_item, link_target, table_row, wrap

BLOCKS = set(
    "address article aside blockquote center dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table ul".split()
)
DROPPED = set("button head input link meta noscript script select style svg template textarea title".split())
EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~", "strike": "~~"}
CODE = {"code", "kbd", "samp", "tt", "var"}
BREAK = "\x00"  # a <br> until the paragraph is assembled
RULE = "* * *"
LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
EMBEDS = {"iframe": "src", "embed": "src", "object": "data", "video": "src", "audio": "src"}
NOTED = {
    "script": "a script",
    "svg": "a drawing (svg)",
    "input": "a form field",
    "select": "a form field",
    "textarea": "a form field",
    "button": "a button",
}
NO_SCHEME_RE = re.compile(
    r"(www\.[^\s/]+\.[a-z]{2,}|[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|edu|gov|info|io|uk|ie|de|fr|nl|eu|ca|au))(/\S*)?",
    re.I,
)


def html_to_markdown(html: str, base_url: str = "", *, notes: list[str] | None = None) -> str:
    """Convert an HTML fragment (a post body) to Markdown; what could not be kept as it was goes to ``notes``."""
    return element_to_markdown(BeautifulSoup(html, "html.parser"), base_url, notes=notes)


def element_to_markdown(element: Tag, base_url: str = "", *, notes: list[str] | None = None) -> str:
    """Convert the children of a parsed element to Markdown (``notes``: see ``html_to_markdown``)."""
    converter = _Converter(base_url)
    try:
        clean(element)
        markdown = "\n\n".join(converter.blocks(list(element.children))).strip("\n")
    except RecursionError:  # elements nested thousands deep (a broken or hostile post): its words, as text
        lines = (" ".join(line.split()) for line in element.get_text("\n").split("\n"))
        markdown = "\n\n".join(escape_line_start(escape(line)) for line in lines if line)
        converter.notes = ["HTML nested too deep to convert: imported as its plain text"]
    if notes is not None:
        notes += list(dict.fromkeys(converter.notes))
    return markdown


class _Converter:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.link_depth = 0
        self.notes: list[str] = []

    # -- blocks --------------------------------------------------------------

    def blocks(self, nodes: list[PageElement]) -> list[str]:
        out: list[str] = []
        inline: list[str] = []
        for node in nodes:
            if isinstance(node, Tag) and node.name in BLOCKS:
                out += self.paragraph(inline)
                inline = []
                out += [b for b in self.block(node) if b.strip()]
            else:
                inline.append(self.inline(node))
        return out + self.paragraph(inline)

    def paragraph(self, parts: list[str]) -> list[str]:
        text = re.sub(r"[ \t\r\n\f]+", " ", "".join(parts))
        paragraphs: list[list[str]] = [[]]
        for line in (line.strip(" \t") for line in text.split(BREAK)):
            if line.strip():
                paragraphs[-1].append(escape_line_start(line))
            elif paragraphs[-1]:
                paragraphs.append([])  # <br><br> (an empty line) ends a paragraph, as editors mean it
        return ["\\\n".join(lines) for lines in paragraphs if lines]

    def block(self, node: Tag) -> list[str]:
        name = node.name
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return self.heading(node, int(name[1]))
        handlers = {
            "blockquote": self.blockquote,
            "pre": self.pre,
            "ul": self.listing,
            "ol": self.listing,
            "table": self.table,
            "li": lambda n: self.items([n], False, 1),
        }
        if name in handlers:
            return handlers[name](node)
        if name == "hr":
            return [RULE]
        if name == "dt":
            return [f"**{b}**" for b in self.blocks(list(node.children))]
        return self.blocks(list(node.children))

    def heading(self, node: Tag, level: int) -> list[str]:
        text = " ".join(self.flat(node).split())
        text = re.sub(r"#$", r"\\#", text)
        return [f"{'#' * level} {text}"] if text else []

    def blockquote(self, node: Tag) -> list[str]:
        inner = "\n\n".join(self.blocks(list(node.children)))
        return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))] if inner.strip() else []

    def pre(self, node: Tag) -> list[str]:
        for br in node.find_all("br"):  # rich-text editors break code lines with <br>
            br.replace_with("\n")
        code = node.get_text().replace("\r\n", "\n")
        code = code[1:] if code.startswith("\n") else code
        code = code.rstrip("\n")
        if not code.strip():
            return []
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return [f"{fence}{_language(node)}\n{code}\n{fence}"]

    def listing(self, node: Tag) -> list[str]:
        items = [child for child in node.children if isinstance(child, Tag) and child.name == "li"]
        start = int(node["start"]) if str(node.get("start", "")).isdigit() else 1
        return self.items(items, node.name == "ol", start)

    def items(self, items: list[Tag], ordered: bool, start: int) -> list[str]:
        rendered = [join_item(self.blocks(list(item.children)) or [""]) for item in items]
        loose = any(item_loose for _, item_loose in rendered)
        lines = []
        for number, (text, _) in enumerate(rendered, start):
            marker = f"{number}." if ordered else "-"
            body = text.split("\n")
            indent = " " * (len(marker) + 1)
            first = f"{marker} {body[0]}".rstrip()
            lines.append("\n".join([first] + [indent + line if line else "" for line in body[1:]]))
        return ["\n\n".join(lines) if loose else "\n".join(lines)] if lines else []

    def table(self, node: Tag) -> list[str]:
        rows = [
            [self.cell(cell) for cell in row.find_all(["th", "td"], recursive=False)]
            for row in node.find_all("tr")
            if row.find_parent("table") is node
        ]
        rows = [row for row in rows if row]
        if not rows:
            return []
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = [table_row(rows[0]), table_row(["---"] * width)] + [table_row(row) for row in rows[1:]]
        return ["\n".join(lines)]

    def cell(self, node: Tag) -> str:
        return " ".join(self.flat(node).split()).replace("|", "\\|")

    def flat(self, node: Tag) -> str:
        """Everything inside ``node`` as one line of inline Markdown."""
        return "".join(self.inline(child) for child in node.children).replace(BREAK, " ")

    # -- inline --------------------------------------------------------------

    def inline(self, node: PageElement) -> str:
        if isinstance(node, Comment) or (isinstance(node, NavigableString) and type(node) is not NavigableString):
            return ""
        if isinstance(node, NavigableString):
            return escape(str(node), in_link=self.link_depth > 0)
        if isinstance(node, Tag) and node.name in EMBEDS:
            return self.embed(node)
        if not isinstance(node, Tag) or node.name in DROPPED:
            if isinstance(node, Tag) and node.name in NOTED:
                self.notes.append(f"left out {NOTED[node.name]} (<{node.name}>)")
            return ""
        if node.name in BLOCKS:
            return " " + " ".join(self.blocks([node])) + " "
        return self.inline_tag(node)

    def inline_tag(self, node: Tag) -> str:
        name = node.name
        if name == "br":
            return BREAK
        if name in EMPHASIS:
            return wrap(self.children(node), EMPHASIS[name])
        if name in CODE:
            return code_span(node.get_text())
        if name == "a":
            return self.link(node)
        if name == "img":
            return self.image(node)
        return self.children(node)

    def children(self, node: Tag) -> str:
        return "".join(self.inline(child) for child in node.children)

    def link(self, node: Tag) -> str:
        href = self.url(str(node.get("href") or ""))
        images = node.find_all("img")
        if len(images) == 1 and not node.get_text().strip() and self.url(str(images[0].get("src") or "")) == href:
            return self.image(images[0])
        self.link_depth += 1
        text = self.children(node)
        self.link_depth -= 1
        if not href or not href.startswith((*LINK_SCHEMES, "/")):
            if href:
                self.notes.append(f"link {_short(href)} is not a web address: kept its text only")
            return text
        label = node.get_text().strip()
        if not text.strip() or label == href:
            return f"<{href}>" if re.fullmatch(r"[^\s<>]+", href) else f"[{escape(href, in_link=True)}]({href})"
        return f"[{text.strip()}]({link_target(href)})"

    def image(self, node: Tag) -> str:
        alt = escape(" ".join(str(node.get("alt") or "").split()), in_link=True)
        src = self.url(str(node.get("src") or ""))
        if self.link_depth:
            return alt or "image"
        if not src.startswith(("http:", "https:", "/")):
            raw = str(node.get("src") or "").strip()
            where = "embedded in the post (data:)" if raw.startswith("data:") else "not on the web"
            self.notes.append(f"image {_short(raw)} is {where}: written as its description {alt or 'image'!r}")
            return f"\\[image: {alt}\\]" if alt else "\\[image\\]"
        return f"![{alt}]({link_target(src)})"

    def embed(self, node: Tag) -> str:
        """An embedded frame, video or object: a link to what it shows (sites cannot embed other hosts)."""
        src = self.url(str(node.get(EMBEDS[node.name]) or ""))
        source = node.find("source")
        if not src and isinstance(source, Tag):
            src = self.url(str(source.get("src") or ""))
        label = escape(" ".join(str(node.get("title") or "").split()), in_link=True) or f"embedded {node.name}"
        if not src.startswith(("http:", "https:")):
            self.notes.append(f"left out an embedded <{node.name}> with no web address")
            return ""
        self.notes.append(f"embedded <{node.name}> written as a link to {_short(src)}")
        return f"[{label}]({link_target(src)})"

    def url(self, href: str) -> str:
        href = href.strip()
        if not href or href.lower().startswith(("javascript:", "data:", "vbscript:")):
            return ""
        if NO_SCHEME_RE.fullmatch(href):
            self.notes.append(f"address {_short(href)} has no https://: added")
            return "https://" + href
        return urljoin(self.base_url, href) if self.base_url else href


def _short(text: str, length: int = 60) -> str:
    return repr(text if len(text) <= length else text[: length - 1] + "…")


def _language(node: Tag) -> str:
    classes = list(node.get("class") or [])
    code = node.find("code")
    if isinstance(code, Tag):
        classes += list(code.get("class") or [])
    for name in classes:
        match = re.fullmatch(r"(?:lang|language)-([\w+#.-]+)", str(name))
        if match and match.group(1) not in ("none", "default"):
            return match.group(1)
    return ""
