"""Folding personal names so that common spellings of one name compare equal.

Azerbaijani Latin, its English renderings and Russian-derived spellings
collapse to one key: Qafarov ~ Gafarov, Hüseynov ~ Huseynov ~ Guseynov,
Elçin ~ Elchin, Ağazadə ~ Aghazada ~ Agazade. Folding can merge different
people, so a match is only ever a warning. search_key() folds free text the
same way, word by word, for the search index and the queries run against it.
"""

from __future__ import annotations

import re
import unicodedata

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
    keys = names.astype(str).str.normalize("NFC").str.lower().str.replace(PATRONYMIC, " ", regex=True)
    keys = keys.str.translate(str.maketrans(CYRILLIC))
    for old, new in FOLDS:
        keys = keys.str.replace(old, new, regex=True)
    keys = keys.str.replace(r"[^a-z ]", "", regex=True)
    return keys.str.split().str.join(" ").fillna("")


# Search keys: the same letter folds as fold(), applied word by word to free
# text, with doubled letters collapsed (Məmmədov ~ Mammadov ~ Mamedov). Every
# step is one regular-expression pass, so a key costs time linear in the text.
PATTERNS = [(re.compile(old), new) for old, new in FOLDS]
NOT_A_LETTER = re.compile(r"[^a-z]+")
DOUBLED = re.compile(r"([a-z])\1+")
PATRONYMIC_WORDS = re.compile(PATRONYMIC, re.IGNORECASE)
CYRILLIC_TABLE = str.maketrans(CYRILLIC)


def search_key(text: str | None) -> str:
    """The folded words of a text, as the search index stores them and as a
    query is rewritten before matching: 'Əhmədov' and 'Ахмедов' give 'agmadov'."""
    if not text:
        return ""
    # Composed first: a letter and its accent written as two characters (as
    # macOS and some keyboards give them: c and a cedilla) fold as the letter.
    key = unicodedata.normalize("NFC", text).lower().translate(CYRILLIC_TABLE)
    for pattern, new in PATTERNS:
        key = pattern.sub(new, key)
    key = DOUBLED.sub(r"\1", NOT_A_LETTER.sub(" ", key))
    return " ".join(key.split())


def without_patronymic(name: str) -> str:
    """The name with its patronymic ('Şərif oğlu') left out, as texts usually cite it."""
    return " ".join(PATRONYMIC_WORDS.sub(" ", name).split())
