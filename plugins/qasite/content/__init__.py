"""The content layer: read content/ safely, validate it, and assemble the site model.

confine (real files inside content/ only, the output write guard), frontmatter (decode, split,
YAML with line numbers), frontmatter_writer (the one front-matter writer), schema (the fields of
every file kind), values (field converters), slugs (the name rule, the one slugify), people (the
one people.yml reader), loader (read, validate and assemble the ``Site``), model (Question,
Answer, Person, Category, Tag), answers (order, the accepted-answer rule), points, links
(internal link check), related (related questions and possible duplicates).
"""
