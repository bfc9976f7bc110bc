"""Rendering: turn the ``Site`` into files.

- generator: the Pelican generator that writes every page
- listing_pages: the listing pages (top, newest, unanswered, categories, tags) and tag-synonym redirects
- page_meta: breadcrumbs and a page's <head> metadata
- listings: orders, pagination, tabs
- markdown: safe HTML and plain text
- plain: bodies of plain paragraphs recognised without parsing (their HTML and text as markdown-it's)
- filters: Jinja filters
- rows: listing rows rendered once a build, and kept across a process's builds by a signature of what they show
- once: parts of pages rendered once per build and reused (header, footer, icons, vote counts, user cards)
- bytecode: the compiled templates kept between a process's builds (the live preview)
- client_config: the scripts' qa-config
- feeds: Atom
- seo: sitemap.xml, robots.txt
- structured_data: JSON-LD
- headers: security headers
- search_index: Pagefind, one run
- search_shards: the search index in shards (a stable hash of the slug), one Pagefind run each; re-indexing one
- index_text: whether two versions of a question page give Pagefind the same text (related block aside)
- shard_indexer: the shards' Pagefind runs, each started as soon as its pages are written
- search_delta: the preview's small Pagefind bundle of the edited pages, merged until their shards are re-indexed
- index_pages: a full build's pages for Pagefind, cut down to what it reads (the html tag and the body element)
- pagefind_meta: Pagefind's metadata with gap-free word-chunk ranges (a query word loads one chunk)
- search_sorts: the search page's sort table
- assets: the theme's one stylesheet, bundled and named by its hash
- trust_pages: /verification/ and /review-due/
- llms: /llms.txt and each question page's Markdown alternate, escaped
- help: the help page's countries in order, the crisis notice's services, helplines.yml's dated warnings
"""
