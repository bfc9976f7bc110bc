"""The build command: run a check or a build safely, from the command line or a task.

pipeline (load settings, check, build into a staging folder, swap; ``run_cli``), outputdir (lock, crash recovery,
atomic swap, write faults), lifeline (children die with the build), parallel (forked workers), progress (the phases
of a long command, with counts, on stderr), cache (reusable work, keyed by code and settings), entry_file (a cache
entry's file, pickled and unpickled streamed), writer (write only what changed: unchanged outputs keep their inode
and mtime), incremental (rebuild only the outputs a change feeds, from the last build's snapshot), memory (what the
last build keeps for the next one in the same process: the live preview), changes (what changed in content/ since
then, file by file and field by field; the related lists packed by slug), in_place (the staging folder swapped in
whole, or in the preview moved in file by file), deferred_search (which edited questions a preview's search catch-up
must re-index), resume (a new process resumes the last build's kept load from the build cache), spare (the site a
swap replaced, kept as the next incremental build's staging folder), related_keep (the related state kept in the
build cache: a text or tags edit updates the lists, as the preview does), scan_behind (a cold build's file summaries
for the next build, made by a lower-priority child beside the load), lazy_pelican (Pelican's package
imported without its ``__init__`` until a build asks it for a name: a check never runs it).
"""
