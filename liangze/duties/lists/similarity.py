"""Copied lists (LIST-7): how much of one list's own text another list repeats. No database.

A list is compared on what its unit had to write itself — 项目任务 and the four
quarters' measures — never on the catalogue names every list shares. Before
comparing, the text is normalised (NFKC, lower case, letters and digits only)
and stripped of the unit's and the people's names, since a copier's first edit
is to put in their own.

Two scores, both on characters, so Chinese needs no tokenizer:

- `Document.template_share`: the share of a list's characters that lie in an
  n-gram of its catalogue's text (“照搬照抄” the template). The rest is the
  list's own text; only that is compared between lists, so that two units
  pasting the same template are flagged for the template, not as twins.
- `likeness(a, b)`: pair each item of one list with the item of the other that
  shares most n-grams (reordered items still meet), then 2 × the longest
  common subsequence of the pairs' own text over both lists' own text. In
  order, so honest lists drawing on the same stock phrases score ≈ 0.3; edit
  tolerant, so a copy with 5 % of its characters changed still scores ≈ 0.95
  where the Jaccard of the n-gram sets has fallen to ≈ 0.6.

To find candidates among a province's lists without comparing all pairs, each
list gets a MinHash signature of its own n-gram set, and an LSH index over
banded signatures yields only the pairs likely to be similar; `likeness` runs
on those. Parameters are chosen on the labelled set of bench/similarity.py
(see bench/SIMILARITY.md).
"""

import re
import unicodedata
import zlib
from array import array  # subscriptable only from Python 3.12, hence "array[int]"
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, TypeVar

THRESHOLD = 0.9  # likeness (or template share) from which a list is flagged to the reviewer
COVER = 3  # n-gram size for what counts as catalogue text, and for pairing items
SHINGLE = 4  # for signatures: a copy with 1 character in 10 edited keeps Jaccard ≈ 0.5
BANDS, ROWS = 96, 5  # LSH: a pair with Jaccard 0.5 becomes a candidate with probability 0.95
BINS = BANDS * ROWS
ESTIMATE_FLOOR = 0.3  # LSH candidates whose estimated Jaccard is lower are not scored exactly
MIN_OWN_CHARS = 20  # below this much own text there is nothing to compare

UNIT_SUFFIXES = ("党工委", "党总支", "党支部", "委员会", "党委", "党组")
_NOT_WORD = re.compile(r"[\W_]+")  # what is neither a letter nor a digit, in any script

# h(x) = (a·x + b) mod p over the shingle's CRC-32: a 2-universal family, one
# multiplication per shingle where a cryptographic hash costs ten times more.
# a and b are fixed (drawn once from random.Random(20260701)) so that
# signatures are the same in every process and every run.
_P = (1 << 61) - 1
_A, _B = 0x8564F6DF3372CD8, 0x1E2D474A9CE1136B
_BORROWED = 1 << 53  # above any h // BINS: marks a value a bin borrowed from a neighbour
_EMPTY = (1 << 64) - 1

K = TypeVar("K", bound=Hashable)


def unit_noise(unit_name: str, people: Iterable[str] = ()) -> tuple[str, ...]:
    """The strings a copier changes first: the unit's name, its short form, the people's names."""
    stem = unit_name
    for suffix in UNIT_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    names = (unit_name, stem if len(stem) >= 2 else "", *people)
    return tuple(n for n in names if n)


def normalise(text: str, noise: Iterable[str] = ()) -> str:
    """NFKC, lower case, without `noise` strings, punctuation or whitespace."""
    text = unicodedata.normalize("NFKC", text).lower()
    words = {unicodedata.normalize("NFKC", w).lower() for w in noise}
    # Longest first, so that 城关镇党委 goes before 城关镇 would leave 党委 behind.
    for word in sorted(words - {""}, key=len, reverse=True):
        text = text.replace(word, "")
    return _NOT_WORD.sub("", text)


def _grams(text: str, n: int) -> list[str]:
    """Character n-grams in order; a text shorter than n is its own single gram."""
    if len(text) <= n:
        return [text] if text else []
    return [text[i : i + n] for i in range(len(text) - n + 1)]


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    return set(_grams(text, n))


def jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def signature(shingle_set: Iterable[str]) -> "array[int] | None":
    """MinHash by one permutation hashing with rotation densification; None for no shingles.

    One hash per shingle splits the set into BINS bins and keeps each bin's
    minimum (Li, Owen & Zhang 2012), instead of BINS hashes per shingle: pure
    Python cannot afford 480 multiplications for each of a list's ~2,000
    shingles. An empty bin borrows from the next filled bin to its right, marked
    with the distance so that borrowed values never equal genuine ones
    (Shrivastava & Li 2014).
    """
    mins = [_EMPTY] * BINS
    for shingle in shingle_set:
        h = (_A * zlib.crc32(shingle.encode()) + _B) % _P
        at, value = h % BINS, h // BINS
        if value < mins[at]:
            mins[at] = value
    if all(v == _EMPTY for v in mins):
        return None
    result = array("Q", mins)
    for i in range(BINS):
        if mins[i] == _EMPTY:
            distance = 1
            while mins[(i + distance) % BINS] == _EMPTY:
                distance += 1
            result[i] = mins[(i + distance) % BINS] + distance * _BORROWED
    return result


def estimate(a: "array[int]", b: "array[int]") -> float:
    """The Jaccard similarity two signatures estimate: the share of bins that agree."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / BINS


class LshIndex(Generic[K]):
    """Signatures cut into bands of rows; lists that agree on any whole band are candidates.

    A pair with Jaccard s is found with probability 1 - (1 - s^rows)^bands;
    with 96 × 5: 0.95 at s = 0.5 (a copy with one character in ten edited),
    0.09 at s = 0.25 (honest lists of one county, written in its house style),
    0.02 at s = 0.19 (honest lists of different counties).
    """

    def __init__(self, bands: int = BANDS, rows: int = ROWS) -> None:
        if bands * rows > BINS:
            raise ValueError(f"{bands} × {rows} needs more than the {BINS} values of a signature")
        self.rows = rows
        self._buckets: list[dict[bytes, list[K]]] = [{} for _ in range(bands)]

    def _bands(self, sig: "array[int]") -> list[bytes]:
        r = self.rows
        return [sig[b * r : (b + 1) * r].tobytes() for b in range(len(self._buckets))]

    def add(self, key: K, sig: "array[int]") -> None:
        for bucket, band in zip(self._buckets, self._bands(sig), strict=True):
            bucket.setdefault(band, []).append(key)

    def query(self, sig: "array[int]") -> set[K]:
        found: set[K] = set()
        for bucket, band in zip(self._buckets, self._bands(sig), strict=True):
            found.update(bucket.get(band, ()))
        return found


def _covered(grams: Sequence[str], other: frozenset[str], length: int, n: int) -> list[bool]:
    """Which of a text's `length` characters lie in one of its `grams` that is in `other`."""
    covered = [False] * length
    until = 0
    for i, gram in enumerate(grams):
        if gram in other:
            for p in range(max(i, until), min(i + n, length)):
                covered[p] = True
            until = i + n
    return covered


@dataclass(frozen=True)
class Template:
    """The catalogue text a list type is written against, as a set of `cover`-grams."""

    grams: frozenset[str]
    cover: int = COVER

    @classmethod
    def from_texts(cls, texts: Iterable[str], *, cover: int = COVER) -> "Template":
        # Entry by entry: n-grams across two entries' boundary appear in no list.
        return cls(frozenset(g for t in texts for g in _grams(normalise(t), cover)), cover)


NO_TEMPLATE = Template(frozenset())


@dataclass(frozen=True)
class Item:
    """One item's normalised text and the part of it that is the unit's own."""

    text: str
    own: str  # the characters that lie in no n-gram of the catalogue, in order
    grams: frozenset[str]  # `cover`-grams of `own`, to pair items


@dataclass(frozen=True)
class Document:
    """One list, ready to compare: its items and what of their text is the list's own."""

    items: tuple[Item, ...]
    own_chars: int
    template_share: float  # share of the characters that lie in the catalogue's n-grams
    signature: "array[int] | None"  # of the own shingles; None when nothing is the list's own


def _item(text: str, template: Template) -> Item:
    in_template = _covered(_grams(text, template.cover), template.grams, len(text), template.cover)
    own = "".join(c for c, t in zip(text, in_template, strict=True) if not t)
    return Item(text, own, frozenset(_grams(own, template.cover)))


def document(
    items: Sequence[str],
    noise: Iterable[str] = (),
    template: Template = NO_TEMPLATE,
    *,
    shingle: int = SHINGLE,
) -> Document:
    """`items`: each item's measured text (项目任务 and 一季度 … 四季度 joined)."""
    noise = tuple(noise)
    parts = tuple(_item(normalise(t, noise), template) for t in items)
    own_chars = sum(len(p.own) for p in parts)
    total = sum(len(p.text) for p in parts)
    return Document(
        items=parts,
        own_chars=own_chars,
        template_share=1 - own_chars / total if total else 0.0,
        signature=signature({g for p in parts for g in _grams(p.own, shingle)}),
    )


def pair_items(a: Document, b: Document) -> list[tuple[int | None, int | None]]:
    """Each item of `a` with the item of `b` sharing most n-grams; unpaired ones alone.

    Greedy on the largest overlap first, so reordered items still meet their
    counterpart. In `a`'s order, then `b`'s unpaired items.
    """
    overlaps = sorted(
        (-len(x.grams & y.grams), i, j)
        for i, x in enumerate(a.items)
        for j, y in enumerate(b.items)
        if not x.grams.isdisjoint(y.grams)
    )
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in overlaps:
        if i not in partner and j not in taken:
            partner[i] = j
            taken.add(j)
    pairs: list[tuple[int | None, int | None]] = [(i, partner.get(i)) for i in range(len(a.items))]
    pairs.extend((None, j) for j in range(len(b.items)) if j not in taken)
    return pairs


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence, bit-parallel over `a`'s positions.

    Crochemore et al. 2001: one addition, subtraction and two logical
    operations on len(a)-bit integers per character of `b`, some ten times
    faster in Python than difflib's block matching.
    """
    masks: dict[str, int] = {}
    for i, c in enumerate(a):
        masks[c] = masks.get(c, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for c in b:
        u = v & masks.get(c, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def likeness(a: Document, b: Document) -> float:
    """2 × common subsequence of the paired items' own text / both lists' own text, in [0, 1].

    In order within an item, so honest lists that draw on the same stock
    phrases in their own order score low (≈ 0.3), while a copy keeps its order
    whatever few characters it changes.
    """
    if a.own_chars + b.own_chars < MIN_OWN_CHARS:
        return 0.0
    common = sum(
        lcs_length(a.items[i].own, b.items[j].own)
        for i, j in pair_items(a, b)
        if i is not None and j is not None
    )
    return 2 * common / (a.own_chars + b.own_chars)


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


def diff(mine: str, theirs: str) -> tuple[list[Segment], list[Segment]]:
    """Both texts cut into runs that are the same in the other and runs that differ."""
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = SequenceMatcher(None, mine, theirs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            left.append(Segment(mine[i1:i2], tag != "equal"))
        if j2 > j1:
            right.append(Segment(theirs[j1:j2], tag != "equal"))
    return left, right
