"""What changes between two versions of the package, resource by resource and
row by row, and the report a reviewer reads (`rows.py`, `report.py`)."""
