"""The content layer: read content/ safely, validate it, and assemble the site model.

confine (real files inside content/ only, the output write guard), frontmatter (decode, split,
YAML with line numbers), schema (the fields of every file kind), loader (read, validate and
assemble the ``Site``), model (Question, Answer, Person, Category, Tag), answers (order, the
accepted-answer rule), points, links (internal link check), related (related questions and
possible duplicates), graph (which output files each content file feeds).
"""
