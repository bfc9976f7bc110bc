"""Editor and maintainer tools behind the invoke tasks.

scaffold (new-question, new-answer), contribute (ask / answer / edit links into the repository),
reviewers (category reviewers of a pull request), docs (generated field tables and header
snippets), serve and livereload (preview servers), catchup (the preview's search index, re-indexed
in the background), export (`invoke export`: open data files) and
open_data (the open-data records and their documented keys).
"""
