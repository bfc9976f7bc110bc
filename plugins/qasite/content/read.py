"""Reading content/: only the files the confined scan kept, decoded, front matter and YAML parsed, problems kept.

Every content file is read through ``Reader.read`` (counted in ``LoadStats``), once; for ``check``, the Markdown
files are read ahead, in workers, by ``prepare`` (their per-file work cached by content) and counted as read when
the load takes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path

from ..build.cache import Cache
from ..config.problems import Problem
from . import confine, pairs_ahead, prepare, prepare_early, rules
from .frontmatter import Located, SourceFile, decode, load_yaml, parse_source
from .rescan import rescan
from .stats import LoadStats


class Reader:
    """Reads the files under one content folder and collects what is wrong with them."""

    def __init__(
        self,
        content: Path,
        *,
        timezone: str,
        stats: LoadStats,
        before: confine.Tree | None = None,
        touched: Iterable[str] | None = None,
        early: int | None = None,
    ) -> None:
        self.content = content
        self.root = content.parent
        self.tz = zoneinfo.ZoneInfo(timezone)
        self.stats = stats
        self._root_text = str(self.root)
        self._root_prefix = len(self._root_text) + 1
        # before: the last scan (``reload``); touched: the paths changed since, if known (``rescan``)
        again = rescan(before, self.rel, touched) if before is not None and touched is not None else None
        # early: a cold check's prepare workers (that many processes), fed as the scan walks (``prepare_early``)
        self.early = prepare_early.Early(content, self.rel, early) if early is not None and again is None else None
        try:
            self.tree, self.problems = again or confine.scan(content, self.rel, before, self.early and self.early.walk)
        except BaseException:
            if self.early is not None:
                self.early.close()
            raise
        if self.early is not None:
            self.early.scanned()
        stats.tree = self.tree
        self.on_read: Callable[[], object] | None = None  # called as each file is read (to count progress)
        self.prepared: dict[Path, prepare.Prepared] = {}  # Markdown files read ahead by ``prepare`` (``check``)

    def read_ahead(
        self, *, processes: int, cache: Cache | None, parse: bool = True, on_disk: Mapping[str, bytes] | None = None
    ) -> None:
        """Read ahead and prepare every Markdown file a load reads, in workers, cached by content (``check``; an
        incremental build with ``parse=False``: its bodies are rendered, not parsed)."""
        files = []
        if self.early is not None and self.early.pool is not None:
            files = self.early.files  # the same files, found as each part was sent to the workers
        else:
            for path in self.tree.files:
                rel = self.rel(path)
                kind = prepare.kind_of_rel(rel)
                if kind is not None:
                    files.append((path, rel, kind))
        files.sort(key=lambda file: file[1])
        then = None
        if parse:  # a check: what it reads is recorded, to keep its whole result (``replay``)
            self.stats.read_digests = {}
            # its possible-duplicate pairs found meanwhile, when it armed that (``pairs_ahead``)
            then = partial(pairs_ahead.start, self.content, files, aware=self.aware)
        self.prepared = prepare.prepare_files(
            self.content,
            files,
            processes=processes,
            cache=cache,
            done=self.on_read,
            stats=self.stats,
            parse=parse,
            on_disk=on_disk,
            early=self.early,
            then=then,
        )

    def rel(self, path: Path) -> str:
        """``path`` relative to the folder holding content/, as the editor sees it (cheap: called per file)."""
        text = str(path)
        return text[self._root_prefix :] if text.startswith(self._root_text) else path.as_posix()

    def report(self, path: Path, line: int, field_name: str | None, message: str, fix: str | None) -> None:
        """Record a problem with ``path``."""
        self.problems.append(Problem(self.rel(path), line, field_name, message, fix))

    def broken(self, path: Path | str, line: int, field_name: str | None, broken: rules.Broken | None) -> bool:
        """Record the rule ``path`` (or its ``rel()`` text) breaks, if any; True when it breaks one."""
        if broken is not None:
            rel = path if isinstance(path, str) else self.rel(path)
            self.problems.append(Problem(rel, line, field_name, broken.message, broken.fix))
        return broken is not None

    def aware(self, value: dt.datetime | None) -> dt.datetime | None:
        """A date from front matter in the site's time zone when it names none."""
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=self.tz)

    def read(self, path: Path, limit: int) -> bytes | None:
        """The bytes of a scanned file, read without following links; None (and a problem) if refused."""
        self.stats.count_read(self.rel(path))
        if self.on_read is not None:
            self.on_read()
        raw, problems = confine.read_file(self.content, path, self.rel(path), limit)
        self.problems += problems
        if raw is not None and self.stats.read_digests is not None:
            self.stats.read_digests[self.rel(path)] = hashlib.sha256(raw).digest()
        return raw

    def yaml_file(self, name: str) -> Located | None:
        """content/<name> parsed with line numbers; None (and a problem) when missing or broken."""
        path = self.content / name
        if not self.tree.is_file(path):
            if path not in self.tree.refused:
                self.report(path, 1, None, "file is missing", f"create {self.rel(path)} (see docs/content-format.md)")
            return None
        raw = self.read(path, confine.MAX_YAML_BYTES)
        if raw is None:
            return None
        text, problems = decode(raw, self.rel(path))
        self.problems += problems
        if text is None:
            return None
        located, problems = load_yaml(text, self.rel(path))
        self.problems += problems
        return located

    def markdown(self, path: Path) -> SourceFile | None:
        """A Markdown file split into front matter and body; None (and a problem) when unreadable."""
        ahead = self.prepared.pop(path, None)
        if ahead is not None:  # read (and counted as read) here, its work done by ``prepare``
            self.stats.count_read(self.rel(path))
            self.problems += ahead.problems
            source = ahead.source
        else:
            raw = self.read(path, confine.MAX_MARKDOWN_BYTES)
            if raw is None:
                return None
            source, problems = parse_source(raw, self.rel(path))
            self.problems += problems
        if source is not None:
            self.broken(path, source.body_line, None, rules.empty_text(source.body))
        return source
