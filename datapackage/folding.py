"""Personal names folded to one comparison key, over a whole column.

The same folding as `datapackage.names.fold` (its tables are used as they
are), written as column expressions so that a million names fold in one
pass. The one look-behind rule there is written with a capture group here,
since the column engine's regular expressions have no look-around.
"""

from __future__ import annotations

import polars as pl

from datapackage.names import CYRILLIC, FOLDS, PATRONYMIC

LOOK_BEHIND = {r"(?<=[ae])h\b": (r"([ae])h\b", "${1}")}


def fold(names: pl.Series) -> pl.Series:
    """One comparison key per name (lower case, patronymic dropped, letters folded)."""
    keys = names.cast(pl.String).str.to_lowercase().str.replace_all(PATRONYMIC, " ")
    keys = keys.str.replace_many(list(CYRILLIC), list(CYRILLIC.values()))
    for old, new in FOLDS:
        old, new = LOOK_BEHIND.get(old, (old, new))
        keys = keys.str.replace_all(old, new)
    keys = keys.str.replace_all(r"[^a-z ]", "").str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
    return keys.list.join(" ").fill_null("")


def search_keys(texts: pl.Series) -> pl.Series:
    """`datapackage.names.search_key` over a whole column: the folded words of
    each text ("" for an empty cell). Folding never crosses a space, so each
    distinct word is folded once, however many cells repeat it."""
    from datapackage.names import search_key

    words = (texts.cast(pl.String).fill_null("").str.split(" ").rename("word").to_frame()
             .with_row_index("row").explode("word"))
    distinct = words["word"].unique()
    folded = words.with_columns(pl.col("word").replace_strict(
        distinct, [search_key(word) for word in distinct.to_list()], return_dtype=pl.String))
    keys = (folded.filter(pl.col("word") != "").group_by("row", maintain_order=True)
            .agg(pl.col("word").str.join(" ")))
    return (pl.int_range(len(texts), eager=True, dtype=pl.UInt32).rename("row").to_frame()
            .join(keys, on="row", how="left", maintain_order="left")["word"].fill_null("").rename(texts.name))
