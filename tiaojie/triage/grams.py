"""One pass over a batch's character n-grams for both models of the reader (issue 14).

Model 5 read every narrative twice with scikit-learn: the type/tier vectorizer (1–2-grams) and
the risk layer's (1–3-grams), each folding the text, cutting it into n-grams in Python and
looking every n-gram up in a dict. Here the batch is folded once and cut and looked up once, in
numpy: each n-gram of up to three characters is one 64-bit integer (21 bits per character, the
code point plus one so that no n-gram shares a key with a shorter one), the two vocabularies
are one sorted key table, and a lookup is ``searchsorted``. The counts come out as the same
count matrices scikit-learn builds, weighted by scikit-learn's own steps (``tf_idf``), so the
products after them are the same: the readings do not change by a digit
(``tests/test_fast_grams.py`` compares them with the two-pass reader on every narrative)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.utils.sparsefuncs_fast import (  # type: ignore[import-untyped]
    inplace_csr_row_normalize_l2,
)

# scikit-learn's char analyzer folds runs of white space into one space before cutting n-grams
# (``_VectorizerMixin._white_spaces``); a single newline stays as it is.
_WHITE_SPACES = re.compile(r"\s\s+")
_BITS = 21  # Unicode ends at 0x10FFFF; plus one still fits in 21 bits.
MAX_N = 3  # three 21-bit characters fill a signed 64-bit key.
# Marks a gram absent from one of the vocabularies in the joint table.
_NONE = -1


def vectorizer(
    ngrams: tuple[int, int],
    normalise: Callable[[str], str],
    max_features: int,
    vocabulary: dict[str, int] | None = None,
) -> TfidfVectorizer:
    """The character tf-idf both models train with (and the reference ``tf_idf`` follows):
    fitted when no vocabulary is given, else rebuilt from a stored one."""
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=ngrams,
        min_df=1 if vocabulary else 2,
        sublinear_tf=True,
        max_features=None if vocabulary else max_features,
        vocabulary=vocabulary,
        dtype=np.float32,
        preprocessor=normalise,
        lowercase=False,
    )


def gram_key(gram: str) -> int:
    key = 0
    for char in gram:
        key = (key << _BITS) | (ord(char) + 1)
    return key


def tf_idf(counts: Any, idf: np.ndarray) -> Any:
    """``TfidfTransformer.transform`` (sublinear tf, idf, l2 norm) step by step, in place, on a
    float32 count matrix: the same numpy operations in the same order, without the input
    validation that costs about a millisecond a call on the intake form's one narrative."""
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    inplace_csr_row_normalize_l2(counts)
    return counts


class SharedGrams:
    """Counts of a batch of narratives over two character n-gram vocabularies: ``short`` (1 to
    ``short_n``-grams) and ``long`` (1 to ``long_n``-grams, ``short_n`` ≤ ``long_n`` ≤ 3)."""

    def __init__(
        self,
        short: Sequence[str],
        long: Sequence[str],
        preprocess: Callable[[str], str],
        short_n: int = 2,
        long_n: int = 3,
    ) -> None:
        if not 1 <= short_n <= long_n <= MAX_N:
            msg = f"n-grams of 1 to {MAX_N} characters only, not {short_n} and {long_n}"
            raise ValueError(msg)
        self.preprocess = preprocess
        self.short_n = short_n
        self.long_n = long_n
        self.short_size = len(short)
        self.long_size = len(long)
        columns: dict[int, list[int]] = {}
        for i, gram in enumerate(long):
            if len(gram) <= long_n:
                columns[gram_key(gram)] = [_NONE, i]
        for i, gram in enumerate(short):
            # scikit-learn never cuts a longer gram for the short vocabulary: it counts nothing.
            if len(gram) <= short_n:
                columns.setdefault(gram_key(gram), [_NONE, _NONE])[0] = i
        self.keys = np.array(sorted(columns), dtype=np.int64)
        table = np.array([columns[int(k)] for k in self.keys], dtype=np.int64).reshape(-1, 2)
        self.short_cols = table[:, 0]
        self.long_cols = table[:, 1]

    def fold(self, text: str) -> str:
        """The text as both vectorizers see it before cutting: masked names as one token, runs
        of white space as one space."""
        return _WHITE_SPACES.sub(" ", self.preprocess(text))

    def counts(self, texts: Sequence[str]) -> tuple[Any, Any]:
        """Two float32 CSR count matrices (rows = ``texts``, sorted column indices), exactly as
        ``CountVectorizer.transform`` would build them for each vocabulary."""
        folded = [self.fold(text) for text in texts]
        lengths = np.fromiter((len(t) for t in folded), dtype=np.int64, count=len(folded))
        # The whole batch as one array of code points plus one; ``row`` says whose each is.
        codes = np.frombuffer(
            "".join(folded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32
        ).astype(np.int64)
        codes += 1
        row = np.repeat(np.arange(len(folded), dtype=np.int64), lengths)
        keys = [codes]
        rows = [row]
        gram = codes
        for n in range(2, self.long_n + 1):
            # An n-gram starting at p: the (n-1)-gram at p, then the character at p + n - 1;
            # it exists where that character belongs to the same narrative.
            gram = (gram[:-1] << _BITS) | codes[n - 1 :]
            same = row[: len(gram)] == row[n - 1 :]
            keys.append(gram[same])
            rows.append(row[: len(gram)][same])
        all_keys = np.concatenate(keys)
        all_rows = np.concatenate(rows)
        # One lookup for both vocabularies. A key names one string, so a gram longer than
        # ``short_n`` finds no short column (the table never gave it one).
        if len(self.keys):
            at = np.minimum(np.searchsorted(self.keys, all_keys), len(self.keys) - 1)
            found = self.keys[at] == all_keys
            at, all_rows = at[found], all_rows[found]
        else:
            at = all_rows = np.zeros(0, dtype=np.int64)
        return (
            _matrix(all_rows, self.short_cols[at], len(texts), self.short_size),
            _matrix(all_rows, self.long_cols[at], len(texts), self.long_size),
        )


def _matrix(rows: np.ndarray, cols: np.ndarray, height: int, width: int) -> Any:
    hit = cols != _NONE
    step = max(width, 1)
    # One cell per (narrative, column), in row-major order: the CSR layout, indices sorted.
    cells, counts = np.unique(rows[hit] * step + cols[hit], return_counts=True)
    indptr = np.zeros(height + 1, dtype=np.int32)
    np.cumsum(np.bincount(cells // step, minlength=height), out=indptr[1:])
    out = sparse.csr_array(
        (counts.astype(np.float32), (cells % step).astype(np.int32), indptr),
        shape=(height, width),
        dtype=np.float32,
    )
    out.has_sorted_indices = True
    return out
