"""Publishing a valid package: CSV, Parquet, the SQLite database and its search
indexes, the release descriptor, the documents and the zip (`build.py` runs it
all)."""
