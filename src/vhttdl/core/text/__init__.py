"""Vietnamese text helpers shared by every module: folding for search and comparisons."""

from vhttdl.core.text.folding import Token, exact_key, fold, fold_words, folded_words, index_words, tokens

__all__ = ["Token", "exact_key", "fold", "fold_words", "folded_words", "index_words", "tokens"]
