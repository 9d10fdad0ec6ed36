"""Folding personal names so that common spellings of one name compare equal.

Azerbaijani Latin, its English renderings and Russian-derived spellings
collapse to one key: Qafarov ~ Gafarov, Hüseynov ~ Huseynov ~ Guseynov,
Elçin ~ Elchin, Ağazadə ~ Aghazada ~ Agazade. Folding can merge different
people, so a match is only ever a warning.
"""

from __future__ import annotations

PATRONYMIC = r"\b\w+\s+(?:oğlu|oglu|oghlu|ogly|qızı|qizi|gizi|kyzy)\b"

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "ҝ": "g", "һ": "h", "ҹ": "j", "ө": "o", "ү": "u",
}

# Regular expressions applied in order, each over the whole column;
# the trailing-h rule makes Agazadeh ~ Agazade and Salekh ~ Saleh ~ Sale.
FOLDS = [
    ("dzh", "j"), ("dj", "j"), ("ch", "ç"), ("c", "j"),
    ("ə", "a"), ("ä", "a"), ("ı", "i"), ("i̇", "i"), ("ö", "o"), ("ü", "u"),
    ("ç", "ch"), ("ş", "sh"), ("ğ", "g"), ("x", "kh"), ("q", "g"),
    ("gh", "g"), ("kh", "h"), (r"(?<=[ae])h\b", ""), ("yu", "u"), ("ye", "e"), ("y", "i"),
    ("e", "a"), ("h", "g"), ("k", "g"), ("zz", "z"), ("ss", "s"),
]


def fold(names: "pd.Series") -> "pd.Series":
    """One comparison key per name (lower case, patronymic dropped, letters folded)."""
    keys = names.astype(str).str.lower().str.replace(PATRONYMIC, " ", regex=True)
    keys = keys.str.translate(str.maketrans(CYRILLIC))
    for old, new in FOLDS:
        keys = keys.str.replace(old, new, regex=True)
    keys = keys.str.replace(r"[^a-z ]", "", regex=True)
    return keys.str.split().str.join(" ").fillna("")


# How Azerbaijani letters are commonly written in English and Russian-derived
# Latin spellings (Qafarov ~ Gafarov ~ Kafarov, Hüseynov ~ Guseynov, Elçin ~ Elchin).
SPELLINGS = {
    "ə": ("a", "e"), "ı": ("i", "y"), "ö": ("o", "yo"), "ü": ("u", "yu"), "ç": ("ch",), "ş": ("sh",),
    "ğ": ("g", "gh"), "x": ("kh", "h"), "c": ("j", "dzh"), "q": ("g", "k"), "h": ("h", "g", "kh"),
}
MAX_SPELLINGS = 256


def spellings(name: str) -> list[str]:
    """Common English and Russian-derived spellings of every word of a name,
    for the search index (a search for Gafarov then finds Qafarov)."""
    found: list[str] = []
    for word in name.lower().replace("i̇", "i").split():
        variants = [""]
        for letter in word:
            options = SPELLINGS.get(letter, (letter,))
            variants = [v + o for v in variants for o in options][:MAX_SPELLINGS]
        variants += [v.replace("yev", "ev") for v in variants if "yev" in v]
        found += [v for v in variants if v != word and v not in found]
    return found
