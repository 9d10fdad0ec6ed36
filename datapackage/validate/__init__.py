"""Validation: the descriptor and schemas, then each resource's typed table,
checked over whole columns by Pandera schemas derived from the Table Schemas
(`check.py` runs it all)."""
