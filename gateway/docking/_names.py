"""Names as docking compares them: the same name however it was typed."""

from __future__ import annotations

import re
import unicodedata

#: Variation selectors (U+FE00–FE0F, U+E0100–E01EF): they choose a glyph, not a character.
_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
#: The dots that separate the parts of a transcribed name (买买提·艾力), as typed.
_DOTS = str.maketrans({dot: "\u00b7" for dot in "\u2022\u2027\u22c5\u30fb\u1427\u2219"})


def name_key(name: str) -> str:
    """A name as matching compares it: ``王 秀英``, ``王秀英`` with a full-width space and
    ``王秀英`` are one name; so are ``买买提•艾力`` and ``买买提·艾力``.

    NFKC folds full-width forms; spaces, invisible format characters (zero-width space…)
    and variation selectors are typing noise, not part of a Chinese name; the separating
    dot is one dot however it was typed.
    """
    folded = _SELECTORS.sub("", unicodedata.normalize("NFKC", name)).translate(_DOTS)
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")
