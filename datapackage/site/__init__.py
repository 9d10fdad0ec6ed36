"""The read-only Datasette site over a published release: its metadata, pages,
plugins, templates and the processes that serve it (`serve.py` starts it)."""
