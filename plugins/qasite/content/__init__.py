"""The content layer: read content/ safely, validate it, and assemble the site model.

- confine: real files inside content/ only, the output write guard
- frontmatter: decode, split, YAML with line numbers
- frontmatter_writer: the one front-matter writer
- schema: the fields of every file kind
- values: field converters and their messages
- slugs: the name rule, the one slugify
- people: the one people.yml reader
- loader: ``load_site()``, the orchestrator; ``Loaded`` (a command's site for the generator)
- read: reading files (once each), front matter and YAML
- data: people.yml, categories.yml, tags.yml
- posts: pages, questions and answers
- bodies: Markdown rendered once, in parallel on big sites
- rules: the cross-file rules (the importers call them too)
- site: ``Site`` and ``Page``, the groupings computed once, points
- lint: broken links, look-alike tags, possible duplicates, the text lints
- textlint: the question and answer text the text lints read, the exemption markers
- privacy: personal data in questions and answers (e-mail, phone, profiles, addresses)
- safe_messaging: wording about suicide to avoid, from content/safe-messaging.yml
- model: Question, Answer, Person, Category, Tag
- stats: files read, renders, vector sets
- answers: answer display order
- points: member points
- links: internal link check
- related: TF-IDF vectors, related questions and possible duplicates
- graph: the site graph, which output files each content file feeds
"""
