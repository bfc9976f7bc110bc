"""Read a content file: decode UTF-8, split YAML front matter from the body.

Pure functions: no Pelican here. Line numbers are 1-based and refer to the
file, so an editor can jump straight to the problem.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node

from ..config.problems import Problem
from . import plainyaml

if TYPE_CHECKING:
    from ..render.markdown import Rendered

DELIMITER = "---"
MAX_DEPTH = 10
YAML_TAG_PREFIX = "tag:yaml.org,2002:"
# The tags PyYAML's resolver gives plain values: anything else was written explicitly (!!binary, !custom...).
PLAIN_TAGS = {
    YAML_TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}
# Characters no content file may hold: C0 controls other than tab and line breaks (NUL included),
# and the noncharacters U+FFFE and U+FFFF. They are invisible in editors and XML 1.0 (feeds,
# sitemap) cannot carry them, so they are refused, never silently stripped.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ASCII_CONTROLS = "".join(char for char in map(chr, range(128)) if CONTROL_CHARACTERS.fullmatch(char))
MAX_DIGITS = 100  # a longer whole number is no count of anything: it stays the text written


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's parser when PyYAML has it: ~10x faster), except that a number, date or
    boolean Python cannot hold (2023-02-30, an offset of +99:00, a 5,000-digit number, !!float x) stays the text
    as written, for the field's own check to explain."""


def _or_text(constructor: Callable[[Any, Node], Any]) -> Callable[[Any, Node], Any]:
    def construct(loader: Any, node: Node) -> Any:
        try:
            value = constructor(loader, node)
        except yaml.YAMLError:
            raise
        except Exception:  # ValueError, OverflowError, even AttributeError (an offset with seconds)
            return loader.construct_scalar(node)
        too_long = isinstance(value, int) and abs(value) >= 10**MAX_DIGITS
        return loader.construct_scalar(node) if too_long else value

    return construct


for _tag in ("int", "float", "bool", "timestamp"):  # also explicit: !!float x, !!bool maybe
    _scalar = getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{_tag}")
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _or_text(_scalar))


@dataclass
class Located:
    """A YAML mapping's data plus the file line of every key (by key path)."""

    data: dict[str, Any]
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)
    start_line: int = 1

    def line(self, *path: str) -> int:
        """Return the line of the key at ``path``, else of its nearest parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.start_line


@dataclass
class SourceFile:
    """A Markdown file with front matter, split and parsed."""

    meta: Located
    body: str
    body_line: int
    # Filled by ``prepare`` (``check``'s per-file work): the field table's values and problems, the parsed body.
    checked: tuple[dict[str, Any], list[Problem]] | None = None
    parsed: Rendered | None = None


def character_label(char: str) -> str:
    """'U+0001', or 'U+0000 (NUL)': how messages name an invisible character."""
    return f"U+{ord(char):04X}" + (" (NUL)" if char == "\0" else "")


def _control_problem(text: str, rel: str) -> list[Problem]:
    if text.isascii() and not any(char in text for char in ASCII_CONTROLS):  # the usual file: substring searches
        return []  # (an ASCII text holds none of CONTROL_CHARACTERS then; ~3x quicker than the expression)
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return []
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - text.rfind("\n", 0, found.start())
    count = len(CONTROL_CHARACTERS.findall(text))
    more = f", and {count - 1} more after it" if count > 1 else ""
    msg = f"contains the invisible control character {character_label(found.group())} in column {column}{more}"
    return [Problem(rel, line, None, msg, "delete it: editors do not show it, and feeds cannot carry it")]


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode ``raw`` as UTF-8 (BOM dropped, CRLF and CR made LF), or say why it is not or what it must not hold."""
    if _is_utf16(raw):
        return None, [Problem(rel, 1, None, "file is UTF-16, not UTF-8", "re-save the file with UTF-8 encoding")]
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        problems = _control_problem(text, rel)
        return (None if problems else text), problems
    except UnicodeDecodeError as err:
        before = raw[: err.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = before.count(b"\n") + 1
        column = len(before) - before.rfind(b"\n")
        bad = raw[err.start : err.start + 1].hex()
        msg = f"file is not valid UTF-8 (byte 0x{bad} in column {column})"
        return None, [Problem(rel, line, None, msg, "re-save the file with UTF-8 encoding")]


def _is_utf16(raw: bytes) -> bool:
    """A UTF-16 byte order mark, or (without one) ASCII text with a zero byte beside every character."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:64]
    return len(sample) >= 4 and (not any(sample[0::2]) or not any(sample[1::2]))


def load_yaml(text: str, rel: str, first_line: int = 1) -> tuple[Located | None, list[Problem]]:
    """Parse a YAML mapping, keeping the line of every key; report bad YAML."""
    plain = plainyaml.parse(text)  # the usual 'key: value' lines, the same result without PyYAML's cost
    if plain is not None:
        data, lines = plain
        paths = {plainyaml.key_path(key): first_line + line for key, line in lines.items()}
        return Located(data, paths, first_line), []
    return load_yaml_fully(text, rel, first_line)


def load_yaml_fully(text: str, rel: str, first_line: int = 1) -> tuple[Located | None, list[Problem]]:
    """``load_yaml`` through PyYAML whatever the text (what ``plainyaml`` is tested against)."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, {}, first_line), []
        if not isinstance(node, MappingNode):
            line = first_line + node.start_mark.line
            fix = "write one 'key: value' per line"
            return None, [Problem(rel, line, None, "YAML must be a mapping of keys to values", fix)]
        problem = _check_nodes(node, rel, first_line)
        if problem:
            return None, [problem]
        located = Located({}, {}, first_line)
        problems = _walk(loader, node, (), located, rel)
        return located, problems
    except yaml.MarkedYAMLError as err:
        return None, [_yaml_problem(err, rel, first_line)]
    except yaml.reader.ReaderError as err:
        code = err.character if isinstance(err.character, int) else ord(err.character)
        line = first_line + text.count("\n", 0, text.find(chr(code)))  # the first one is the one reported
        fix = 'delete it (it may be invisible in your editor), or write it as an escape like "\\x1b" in double quotes'
        return None, [Problem(rel, line, None, f"invalid YAML: character U+{code:04X} is not allowed", fix)]
    except RecursionError:  # only PyYAML's pure-Python parser (without libyaml) recurses while parsing
        return None, [_too_deep(rel, first_line)]
    finally:
        loader.dispose()


def _check_nodes(root: Node, rel: str, first_line: int) -> Problem | None:
    """Refuse what plain 'key: value' files never need: aliases, explicit tags, deep nesting.

    Aliases are how 'billion laughs' bombs grow; tags like !!python/object or !!binary make
    objects other than text, numbers, dates, lists and mappings. One pass, no recursion.
    """
    seen = {id(root)}
    pending = [(root, 1)]
    while pending:
        node, depth = pending.pop()
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace(YAML_TAG_PREFIX, "!!")
            fix = "remove the tag; quote the value if it starts with '!'"
            return Problem(rel, first_line + node.start_mark.line, None, f"YAML tag '{tag}' is not allowed", fix)
        if depth > MAX_DEPTH:
            return _too_deep(rel, first_line + node.start_mark.line)
        if not isinstance(node.value, list):  # a scalar
            continue
        for item in node.value:  # a sequence's nodes, or a mapping's (key, value) pairs
            for child in item if isinstance(item, tuple) else (item,):
                if id(child) in seen:  # the same node twice: an alias
                    fix = "write the value out in full"
                    message = "YAML anchors and aliases (&name, *name) are not allowed"
                    return Problem(rel, first_line + child.start_mark.line, None, message, fix)
                seen.add(id(child))
                pending.append((child, depth + 1))
    return None


def _too_deep(rel: str, line: int) -> Problem:
    fix = "content files need at most 3 levels of indentation: see docs/content-format.md"
    return Problem(rel, line, None, f"YAML is nested more than {MAX_DEPTH} levels deep", fix)


def _walk(loader: Any, node: MappingNode, path: tuple[str, ...], located: Located, rel: str) -> list[Problem]:
    problems: list[Problem] = []
    target = located.data
    for part in path:
        target = target[part]
    for key_node, value_node in node.value:
        key = str(_construct(loader, key_node))
        line = located.start_line + key_node.start_mark.line
        if key in target:
            fix = f"keep one '{key}:' line"
            problems.append(Problem(rel, line, key, "duplicate key", fix))
            continue
        located.lines[(*path, key)] = line
        if isinstance(value_node, MappingNode):
            target[key] = {}
            problems += _walk(loader, value_node, (*path, key), located, rel)
        else:
            target[key] = _construct(loader, value_node)
    return problems


def _construct(loader: Any, node: Node) -> Any:
    return loader.construct_object(node, deep=True)


def _yaml_problem(err: yaml.MarkedYAMLError, rel: str, first_line: int) -> Problem:
    mark = err.context_mark or err.problem_mark
    line = first_line + (mark.line if mark else 0)
    if "exceeded maximum nesting depth" in str(err.problem):  # libyaml's own limit, far above ours
        return _too_deep(rel, line)
    problem = ", ".join(part for part in (err.context, err.problem) if part) or "not readable"
    fix = "check indentation and quote values that contain ': ' or start with a special character"
    return Problem(rel, line, None, f"invalid YAML: {problem}", fix)


def split(text: str, rel: str) -> tuple[SourceFile | None, list[Problem]]:
    """Split ``text`` into front matter and body; parse the front matter."""
    if (plain := _split_plain(text)) is not None:
        front, end, body, leading = plain
        meta, problems = load_yaml(front, rel, first_line=2)
        return (None, problems) if meta is None else (SourceFile(meta, body, end + 2 + leading), problems)
    lines = text.split("\n")
    if not lines or lines[0].strip() != DELIMITER:
        fix = "start the file with a '---' line, the YAML fields, then another '---' line"
        return None, [Problem(rel, 1, None, "missing front matter", fix)]
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == DELIMITER), None)
    if end is None:
        fix = "close the front matter with a '---' line"
        return None, [Problem(rel, 1, None, "front matter is not closed", fix)]
    meta, problems = load_yaml("\n".join(lines[1:end]), rel, first_line=2)
    if meta is None:
        return None, problems
    body = lines[end + 1 :]
    leading = next((i for i, line in enumerate(body) if line.strip()), 0)
    return SourceFile(meta, "\n".join(body).strip("\n"), end + 2 + leading), problems


OPEN, CLOSE = DELIMITER + "\n", "\n" + DELIMITER + "\n"


def _split_plain(text: str) -> tuple[str, int, str, int] | None:
    """``split``'s parts found without splitting every line, when the file starts with a bare '---' line and no
    line before the next bare '---' line holds '---' (so none strips to it): (the front matter, the closing line's
    index, the body stripped of blank lines at both ends, the count of whitespace-only lines it starts with);
    None for anything else (``split`` then reads it line by line)."""
    close = text.find(CLOSE, len(DELIMITER)) if text.startswith(OPEN) else -1
    if close < 0 or DELIMITER in text[len(OPEN) : close]:
        return None
    rest = text[close + len(CLOSE) :]
    first = len(rest) - len(rest.lstrip())  # where the first line with more than whitespace starts
    leading = rest.count("\n", 0, first) if first < len(rest) else 0
    return text[len(OPEN) : close], text.count("\n", 0, close + 1), rest.strip("\n"), leading


def parse_source(raw: bytes, rel: str) -> tuple[SourceFile | None, list[Problem]]:
    """Decode and split the bytes of one Markdown content file."""
    text, problems = decode(raw, rel)
    if text is None:
        return None, problems
    return split(text, rel)
