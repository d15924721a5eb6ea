"""Vietnamese text helpers shared by every module: folding for search and comparisons, sort order."""

from vhttdl.core.text.collation import sort_key, sort_vi
from vhttdl.core.text.folding import Token, exact_key, fold, fold_words, folded_words, index_words, tokens

__all__ = ["Token", "exact_key", "fold", "fold_words", "folded_words", "index_words", "sort_key", "sort_vi", "tokens"]
