"""From what a person typed to the terms the backends match.

Each word of the query becomes a `QueryTerm`: its folded form (matched against folded text),
its exact key when it was typed with diacritics (matched against exact keys, which ranks
"Hà" above "Hạ"), and — for a word that is not in the index vocabulary — the vocabulary words
one edit away.

Typo tolerance, the same on both databases: the index keeps a vocabulary table of folded words
(`SearchTerm`). A query word of three letters or more that is not in it (nor, for the last word
typed, the beginning of a word in it) is replaced by every vocabulary word at Damerau–
Levenshtein distance 1: one letter deleted, inserted, replaced, or two neighbours swapped
("cto" → "cot", "hungg" → "hung", "ann" → "an"/"anh"). The candidates are generated in Python
(about 55 × length strings over a–z) and looked up in one indexed `IN (...)` query, so no
extension or trigram threshold is needed and a short syllable (where trigram similarity is
useless) works as well as a long word.

The last word is matched as a prefix (two letters or more), for results as you type.
Everything is reduced to ASCII letters and digits before it reaches a query language, so
quotes, `*`, `NEAR(`, `-`, `:` or SQL in the input are only ever words or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from vhttdl.core.search.models import SearchTerm
from vhttdl.core.text import tokens

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MIN_PREFIX = 2
MIN_TYPO_LENGTH = 3
MAX_TYPO_TERMS = 6
MIN_KNOWN_TYPO_LENGTH = 4  # a word in the vocabulary may still be a typo of another ("chau" for "chua")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class QueryTerm:
    folded: str
    key: str = ""  # exact key when typed with diacritics
    prefix: bool = False  # the last word: also match words that start with it
    alternatives: tuple[str, ...] = field(default_factory=tuple)  # vocabulary words one edit away
    text: str = ""  # the word as typed (letters and digits only), for saying what was left out
    known: bool = True  # False: neither it nor a correction is in the vocabulary (it matches nothing)
    neighbours: tuple[str, ...] = field(default_factory=tuple)  # of a known word: tried when nothing matched

    def matches(self, folded_word: str) -> bool:
        """Whether a folded word of a document answers this term (used for highlighting)."""
        if folded_word == self.folded or folded_word in self.alternatives:
            return True
        return self.prefix and folded_word.startswith(self.folded)


@dataclass
class ParsedQuery:
    terms: list[QueryTerm]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches(self, folded_word: str) -> bool:
        return any(term.matches(folded_word) for term in self.terms)

    def relaxations(self) -> list[ParsedQuery]:
        """The smaller queries a search tries, in order, when this one finds nothing.

        First every word as typed or one letter away, for words that are in the vocabulary but
        may be a typo of another ("chau thien mu"; only words of MIN_KNOWN_TYPO_LENGTH letters
        and more, as Meilisearch tolerates no typo in short words). Then the least important
        words go, as in Meilisearch's `last` matching strategy: words that match nothing
        (`known=False`) at once, then one word at a time from the end (a visitor names the place
        first and qualifies it after: "chua huong ha tay"). When even the first word alone finds
        nothing (it only matches drafts, say), each other word alone is tried, so a query never
        comes back empty while one of its words finds something.
        """
        out: list[list[QueryTerm]] = []
        if any(t.neighbours for t in self.terms):
            out.append([QueryTerm(t.folded, t.key, t.prefix, (*t.alternatives, *t.neighbours), t.text, t.known)
                        for t in self.terms])
        useful = [t for t in self.terms if t.known]
        if useful and len(useful) < len(self.terms):
            out.append(useful)
        out += [useful[:k] for k in range(len(useful) - 1, 0, -1)]
        out += [[t] for t in useful[1:]]
        return [ParsedQuery(terms) for terms in out]


def parse(q: str) -> ParsedQuery:
    """Split the query into terms (no database access). Repeated words count once."""
    terms: list[QueryTerm] = []
    seen: set[tuple[str, str]] = set()
    for token in tokens(q):
        if len(token.folded) > 64 or (token.folded, token.key) in seen:
            continue
        seen.add((token.folded, token.key))
        terms.append(QueryTerm(folded=token.folded, key=token.key, text=token.text))
        if len(terms) >= MAX_TERMS:
            break
    if terms and q.rstrip() == q:
        # No trailing space: the last word may still be being typed, so it is a prefix. A single
        # letter after other words is dropped until the next one comes (as a prefix it would
        # match most of the index); a lone one-letter word is matched as a whole word.
        if len(terms[-1].folded) >= MIN_PREFIX:
            terms[-1].prefix = True
        elif len(terms) > 1:
            terms.pop()
    return ParsedQuery(terms)


def edits1(word: str) -> set[str]:
    """Every string at Damerau–Levenshtein distance 1 from `word` (over a–z)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def _known_terms(words: list[str]) -> set[str]:
    """Which of `words` are in the vocabulary: one indexed IN query (raw: hundreds of parameters
    through the ORM cost more than the lookup itself)."""
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter: no SQL text of 500 literals
            cursor.execute(f"SELECT term FROM {table} WHERE term = ANY(%s::varchar[])", [words])  # noqa: S608
        else:
            cursor.execute(f"SELECT term FROM {table} WHERE term IN ({', '.join(['%s'] * len(words))})",  # noqa: S608
                           words)
        return {row[0] for row in cursor.fetchall()}


def _after_prefix(word: str) -> str | None:
    """The first string past every word that begins with `word` (words are a–z and 0–9), or None.

    "khai" → "khaj", "thuz" → "thv", "a9" → "aa". Bumping the last letter keeps the range right
    under a linguistic collation too, where a suffix such as "{" may sort anywhere.
    """
    for i in range(len(word) - 1, -1, -1):
        char = word[i]
        if char != "z":
            return word[:i] + ("a" if char == "9" else chr(ord(char) + 1))
    return None


def _beginning_with(word: str) -> tuple[str, list[str]]:
    """SQL over `term` true for the vocabulary words that begin with `word` (an index range)."""
    upper = _after_prefix(word)
    if upper is None:
        return "term >= %s", [word]
    return "term >= %s AND term < %s", [word, upper]


def completions(word: str, limit: int) -> list[str] | None:
    """The vocabulary words that begin with `word` (itself included, if it is one), or None when
    more than `limit` do. One range scan of the vocabulary's primary key."""
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    where, params = _beginning_with(word)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {table} WHERE {where} ORDER BY term LIMIT %s",  # noqa: S608
                       [*params, limit + 1])
        found = [row[0] for row in cursor.fetchall() if row[0].startswith(word)]
    return None if len(found) > limit else found


def correct_typos(query: ParsedQuery) -> ParsedQuery:
    """Give each unknown word its vocabulary neighbours at distance 1, and mark the words that can
    match nothing (`known=False`: not in the vocabulary, no neighbour, no word they begin), which
    a search that finds nothing leaves out first.

    One query when every word is known (which of the typed words the vocabulary has); the
    neighbours of the others in a second (about 55 × length candidates each), and one per
    unknown prefix. Words of one letter are not in the vocabulary (it keeps two letters and
    more), so they count as known."""
    checked = [t for t in query.terms if len(t.folded) >= MIN_PREFIX]
    if not checked:
        return query
    known = _known_terms(sorted({t.folded for t in checked}))
    unknown = [t for t in checked if t.folded not in known
               # a word still being typed that some vocabulary word begins with is known
               and not (t.prefix and completions(t.folded, 0) is None)]
    _give_neighbours([t for t in unknown if len(t.folded) >= MIN_TYPO_LENGTH], "alternatives")
    for term in unknown:
        term.known = bool(term.alternatives)
    return query


def add_neighbours(query: ParsedQuery) -> ParsedQuery:
    """For a search that found nothing: the vocabulary words one letter away from the known words
    of MIN_KNOWN_TYPO_LENGTH letters and more (`neighbours`, see `relaxations`). One query."""
    _give_neighbours([t for t in query.terms if t.known and not t.alternatives and not t.prefix
                      and len(t.folded) >= MIN_KNOWN_TYPO_LENGTH], "neighbours")
    return query


def _give_neighbours(terms: list[QueryTerm], attribute: str) -> None:
    terms = [t for t in terms if not t.folded.isdigit()][:MAX_TYPO_TERMS]
    if not terms:
        return
    edits = {t.folded: edits1(t.folded) for t in terms}
    found = _known_terms(sorted(set().union(*edits.values())))
    for term in terms:
        setattr(term, attribute, tuple(sorted(edits[term.folded] & found)))
