"""One-to-one matching of coded events to reference events (a gold coding or another coder's rows).

Why an optimal assignment: greedy matching in gold order lets an early gold event take the only row a
later gold event could have had, which undercounts true positives and makes scores depend on row order.
We solve a maximum-weight bipartite assignment per connected component of the candidate graph (scipy's
`linear_sum_assignment` on a dense matrix, or its sparse solver for very large components) whose weights
put, in strict order: the number of pairs, then a caller's priority (e.g. required gold events before
optional ones), then the number of secondary fields (exact day, location, actors, fatalities) that agree.

Two events are *candidates* when they share article (when both sides have `article_id`), country and
admin1 (normalised, any accepted value) and their date windows overlap. They come from integer-key joins
on place and start day (see _overlapping), never from pairing every event of an admin1 with every other.
A candidate pair is *exact* when event_type is equal and the sub-event types overlap (a gold event may
accept several). Exact pairs are assigned first; with `near=True` the events left over are then paired
on everything but the event and sub-event type, which feeds confusion tables and agreement on those
fields without costing a true positive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

# Administrative words ignored when comparing admin1 names ("Osh Oblast" = "Osh").
ADMIN_WORDS = re.compile(
    r"\b(province|oblast|oblysy|region|governorate|state|district|prefecture|department|division)\b"
)
# Extensions stripped from article ids, so "dev01.txt" in a gold file equals "dev01" in coded rows.
ARTICLE_SUFFIX = re.compile(r"\.(txt|md|html?|json|xml)$", re.IGNORECASE)
# Half-width in days of the window given to a row with time_precision 2 ("a range of days or the week").
WEEK_HALF_WIDTH = 3
# Fields whose agreement breaks ties between candidates, in no particular order (each counts 1).
SECONDARY_FIELDS = ("day", "location", "actor1", "inter1", "actor2", "fatalities")

# Components with more cells than this are matched on a sparse graph rather than a dense matrix.
DENSE_LIMIT = 4_000_000

_L, _R = "li", "ri"


def _ascii_fold(values: pd.Series) -> pd.Series:
    """Casefold and strip diacritics, vectorised; missing values become ""."""
    text = values.astype("string").fillna("")
    text = text.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return text.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip().astype(object)


def normalise_place(values: pd.Series) -> pd.Series:
    """Normalised place names: no case, no diacritics, hyphens as spaces, admin words dropped."""
    folded = _ascii_fold(values).str.replace("-", " ", regex=False)
    folded = folded.str.replace(ADMIN_WORDS, " ", regex=True)
    return folded.str.replace(r"\s+", " ", regex=True).str.strip().astype(object)


def normalise_text(values: pd.Series) -> pd.Series:
    """Normalised free text (actor names, countries): no case, no diacritics, single spaces."""
    return _ascii_fold(values)


def article_key(values: pd.Series) -> pd.Series:
    """Article ids as compared: stripped, without a text-file extension."""
    text = values.astype("string").fillna("").str.strip()
    return text.str.replace(ARTICLE_SUFFIX, "", regex=True).astype(object)


def _as_tuple(value: object) -> tuple:
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return tuple(v for v in value if not _missing(v))
    return () if _missing(value) else (value,)


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _multi(frame: pd.DataFrame, column: str, normalise) -> pd.Series:
    """A column whose cells may be scalars or lists of accepted values, as tuples of normalised keys."""
    if column not in frame.columns:
        return pd.Series([()] * len(frame), index=frame.index, dtype=object)
    values = frame[column].astype(object)
    if not values.map(_is_list).any():  # plain cells: one key each, no exploding
        keys = normalise(values)
        return keys.map(lambda k: (k,) if k else ())
    exploded = values.map(_as_tuple).explode()
    keys = normalise(exploded)
    keys = keys[keys != ""]
    grouped = keys.groupby(level=0, sort=False).agg(lambda v: tuple(dict.fromkeys(v)))
    return grouped.reindex(frame.index).map(lambda v: v if isinstance(v, tuple) else ())


def _is_list(value: object) -> bool:
    return isinstance(value, (list, tuple, set, frozenset, np.ndarray))


def date_windows(frame: pd.DataFrame, *, use_precision: bool) -> tuple[pd.Series, pd.Series]:
    """First and last day an event may fall on.

    Uses `date_lo`/`date_hi` when present (gold codings). Otherwise from `event_date`: with
    use_precision, time_precision 2 widens the day to +-WEEK_HALF_WIDTH days and 3 to its calendar month;
    without, the day itself (coded rows are judged by the day they state).
    """
    if "date_lo" in frame.columns and "date_hi" in frame.columns:
        lo = pd.to_datetime(frame["date_lo"], errors="coerce").dt.normalize()
        hi = pd.to_datetime(frame["date_hi"], errors="coerce").dt.normalize()
        return lo, hi
    if "event_date" not in frame.columns:
        nat = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
        return nat, nat
    day = pd.to_datetime(frame["event_date"], errors="coerce", format="mixed").dt.normalize()
    day = day.astype("datetime64[ns]")
    lo, hi = day.copy(), day.copy()
    if use_precision and "time_precision" in frame.columns:
        precision = pd.to_numeric(frame["time_precision"], errors="coerce")
        week = precision == 2
        lo[week] = day[week] - pd.Timedelta(days=WEEK_HALF_WIDTH)
        hi[week] = day[week] + pd.Timedelta(days=WEEK_HALF_WIDTH)
        month = precision == 3
        lo[month] = day[month].dt.to_period("M").dt.start_time
        hi[month] = day[month].dt.to_period("M").dt.end_time.dt.normalize()
    return lo, hi


def event_keys(frame: pd.DataFrame, *, use_precision: bool = False) -> pd.DataFrame:
    """The keys the matcher compares, one row per event, positional index."""
    frame = frame.reset_index(drop=True)
    keys = pd.DataFrame(index=frame.index)
    keys["article"] = article_key(frame["article_id"]) if "article_id" in frame.columns else ""
    keys["country"] = normalise_text(frame["country"]) if "country" in frame.columns else ""
    keys["event_type"] = normalise_text(frame["event_type"]) if "event_type" in frame.columns else ""
    keys["subs"] = _multi(frame, "sub_event_type", normalise_text)
    admin1 = _multi(frame, "admin1", normalise_place)
    keys["admin1"] = admin1.map(lambda v: v if v else ("",))
    keys["lo"], keys["hi"] = date_windows(frame, use_precision=use_precision)
    exact_day = keys["lo"].eq(keys["hi"]) & keys["lo"].notna()
    keys["day"] = keys["lo"].dt.strftime("%Y-%m-%d").where(exact_day, None).map(_as_tuple)
    keys["location"] = _multi(frame, "location", normalise_place)
    for name in ("actor1", "inter1", "actor2"):
        keys[name] = _multi(frame, name, normalise_text)
    fatalities = frame["fatalities"] if "fatalities" in frame.columns else pd.Series(index=frame.index)
    numbers = pd.to_numeric(fatalities, errors="coerce")
    keys["fatalities"] = numbers.map(lambda v: () if pd.isna(v) else (str(int(v)),))
    return keys


@dataclass
class Matching:
    """Matched pairs (index labels of the two inputs) and what was left over on each side.

    pairs columns: left, right (index labels), exact (True: event and sub-event type agree; False: paired
    on everything else), agree (how many secondary fields agree).
    """

    pairs: pd.DataFrame
    unmatched_left: pd.Index
    unmatched_right: pd.Index

    @property
    def exact(self) -> pd.DataFrame:
        return self.pairs[self.pairs["exact"]]

    @property
    def near(self) -> pd.DataFrame:
        return self.pairs[~self.pairs["exact"]]


def _single_keys(keys: pd.Series) -> np.ndarray | None:
    """The keys as a flat array ("" for none) when no event has several; else None."""
    sizes = keys.map(len).to_numpy()
    if len(sizes) and sizes.max() > 1:
        return None
    return np.array([k[0] if k else "" for k in keys], dtype=object)


def shared_keys(cand: pd.DataFrame, left: pd.Series, right: pd.Series) -> pd.Series:
    """For each candidate pair, whether the two tuples of keys share a value (vectorised by explode+merge)."""
    if cand.empty:
        return pd.Series(False, index=cand.index, dtype=bool)
    single_l, single_r = _single_keys(left), _single_keys(right)
    if single_l is not None and single_r is not None:  # one value a side: compare arrays directly
        codes, uniques = pd.factorize(np.concatenate([single_l, single_r]).astype(str))
        empty = np.flatnonzero(uniques == "")
        codes[np.isin(codes, empty)] = -1
        lv, rv = codes[: len(single_l)][cand[_L].to_numpy()], codes[len(single_l):][cand[_R].to_numpy()]
        return pd.Series((lv == rv) & (lv >= 0), index=cand.index)
    lx = left.explode().dropna().astype(str).rename("key").rename_axis(_L).reset_index()
    rx = right.explode().dropna().astype(str).rename("key").rename_axis(_R).reset_index()
    hits = cand[[_L, _R]].merge(lx, on=_L).merge(rx, on=[_R, "key"])[[_L, _R]].drop_duplicates()
    flag = cand[[_L, _R]].merge(hits.assign(_hit=True), on=[_L, _R], how="left")["_hit"]
    return flag.fillna(False).astype(bool).set_axis(cand.index)


def _windows(keys: pd.DataFrame, on: list[str], pos: str) -> pd.DataFrame:
    """One row per event and admin1 value: position, place key (article, country, admin1) and day numbers."""
    frame = keys[[*on, "lo", "hi"]].explode("admin1").rename_axis(pos).reset_index()
    frame = frame[frame["lo"].notna() & frame["hi"].notna()]
    place = frame[on[0]].astype(str)
    for name in on[1:]:
        place = place + "\x1f" + frame[name].astype(str)
    lo = frame["lo"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    hi = np.maximum(frame["hi"].to_numpy(dtype="datetime64[D]").astype(np.int64), lo)
    return pd.DataFrame({pos: frame[pos].to_numpy(dtype=np.int64), "place": place.to_numpy(dtype=object),
                         "lo": lo, "hi": hi})


def _days(frame: pd.DataFrame, pos: str, skip_first: bool) -> pd.DataFrame:
    """Each window expanded to one row per day (without its first day when skip_first)."""
    first = frame["lo"].to_numpy() + int(skip_first)
    span = np.clip(frame["hi"].to_numpy() - first + 1, 0, None)
    offsets = np.arange(int(span.sum())) - np.repeat(np.cumsum(span) - span, span)
    keys = np.repeat(frame["key"].to_numpy() + first, span) + offsets
    return pd.DataFrame({pos: np.repeat(frame[pos].to_numpy(), span), "key": keys})


def _overlapping(left_keys: pd.DataFrame, right_keys: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Distinct (li, ri) pairs with a common place whose date windows overlap.

    Why not a merge on place and a filter: a large dataset has thousands of events per admin1, and
    pairing them all is quadratic. Two windows overlap exactly when one starts inside the other, so we
    join each side's start day against the other side's days (one integer key: place and day), once
    with the right starting at or after the left start and once strictly after the reverse: each
    overlapping pair is produced once per shared place.
    """
    lw, rw = _windows(left_keys, on, _L), _windows(right_keys, on, _R)
    codes, _ = pd.factorize(pd.concat([lw["place"], rw["place"]], ignore_index=True))
    days = np.concatenate([lw["lo"], lw["hi"], rw["lo"], rw["hi"], [0]])
    low, width = int(days.min()), int(days.max() - days.min()) + 2
    for frame, part in ((lw, codes[: len(lw)]), (rw, codes[len(lw):])):
        frame["key"] = part.astype(np.int64) * width - low
    starts_r = rw.assign(key=rw["key"] + rw["lo"])[[_R, "key"]]
    starts_l = lw.assign(key=lw["key"] + lw["lo"])[[_L, "key"]]
    right_in_left = _days(lw, _L, skip_first=False).merge(starts_r, on="key")
    left_in_right = _days(rw, _R, skip_first=True).merge(starts_l, on="key")
    pairs = pd.concat([right_in_left[[_L, _R]], left_in_right[[_L, _R]]], ignore_index=True)
    if lw[_L].duplicated().any() and rw[_R].duplicated().any():  # several admin1 values on both sides
        pairs = pairs.drop_duplicates()
    order = np.argsort(pairs[_L].to_numpy() * max(len(right_keys), 1) + pairs[_R].to_numpy(), kind="stable")
    return pairs.iloc[order].reset_index(drop=True)


def candidates(left_keys: pd.DataFrame, right_keys: pd.DataFrame, *, use_article: bool) -> pd.DataFrame:
    """Pairs sharing article, country and an admin1 value whose date windows overlap, with their flags."""
    on = ["article", "country", "admin1"] if use_article else ["country", "admin1"]
    cand = _overlapping(left_keys, right_keys, on)
    same_type = left_keys["event_type"].to_numpy()[cand[_L]] == right_keys["event_type"].to_numpy()[cand[_R]]
    cand["exact"] = same_type & shared_keys(cand, left_keys["subs"], right_keys["subs"]).to_numpy()
    cand["same_type"] = same_type
    cand["agree"] = 0
    for name in SECONDARY_FIELDS:
        cand["agree"] += shared_keys(cand, left_keys[name], right_keys[name]).astype(int)
    return cand


def _assign_dense(li: np.ndarray, ri: np.ndarray, weight: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Chosen edges (indices into li/ri) of a maximum-weight matching, via a dense weight matrix."""
    matrix = np.zeros(shape)
    edge_at = np.full(shape, -1)
    matrix[li, ri] = weight
    edge_at[li, ri] = np.arange(len(li))
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    taken = edge_at[rows, cols]
    return taken[taken >= 0]


def _assign_sparse(li: np.ndarray, ri: np.ndarray, weight: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The same matching for components too large for a dense matrix, on a sparse doubled graph.

    scipy's sparse solver needs a perfect matching, so each side gets a mirror copy: row i may take its
    own copy (unmatched, cost K+1), column j likewise, and a mirror edge (j', i') of cost 1 exists for
    every real edge. A real edge costs K - w + 1, so the minimum-cost perfect matching maximises
    sum(w) + K * pairs over the real edges (the extra K * pairs only rewards more pairs, as w already does).
    """
    n_r, n_c = shape
    top = float(weight.max())
    real = top - weight + 1.0
    rows = np.concatenate([li, np.arange(n_r), n_r + ri, n_r + np.arange(n_c)])
    cols = np.concatenate([ri, n_c + np.arange(n_r), n_c + li, np.arange(n_c)])
    cost = np.concatenate([real, np.full(n_r, top + 1.0), np.ones(len(li)), np.full(n_c, top + 1.0)])
    graph = csr_matrix((cost, (rows, cols)), shape=(n_r + n_c, n_c + n_r))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    real_pair = (matched_rows < n_r) & (matched_cols < n_c)
    edge_key = li.astype(np.int64) * n_c + ri
    wanted = matched_rows[real_pair].astype(np.int64) * n_c + matched_cols[real_pair]
    order = np.argsort(edge_key)
    return order[np.searchsorted(edge_key, wanted, sorter=order)]


def assign(cand: pd.DataFrame, score: pd.Series, dense_limit: int = DENSE_LIMIT) -> pd.DataFrame:
    """Maximum-cardinality assignment over candidate pairs, breaking ties by the largest total score.

    A weight of C + score with C > n * max(score) makes any larger matching outweigh any smaller one,
    so the optimum has maximum cardinality and, among those, maximum score. Solved per connected
    component (single-edge components are taken directly), densely with linear_sum_assignment up to
    dense_limit matrix cells, sparsely beyond.
    """
    if cand.empty:
        return cand.iloc[0:0]
    score = score.to_numpy(dtype=float)
    lcodes, lpos = np.unique(cand[_L].to_numpy(), return_inverse=True)
    rcodes, rpos = np.unique(cand[_R].to_numpy(), return_inverse=True)
    n_l, n_r = len(lcodes), len(rcodes)
    graph = coo_matrix((np.ones(len(cand)), (lpos, n_l + rpos)), shape=(n_l + n_r, n_l + n_r))
    _, component = connected_components(graph, directed=False)
    edge_comp = component[lpos]
    order = np.argsort(edge_comp, kind="stable")
    bounds = np.flatnonzero(np.diff(edge_comp[order])) + 1
    chosen = []
    for edges in np.split(order, bounds):
        if len(edges) == 1:
            chosen.append(edges)
            continue
        rows, li = np.unique(lpos[edges], return_inverse=True)
        cols, ri = np.unique(rpos[edges], return_inverse=True)
        big = (score[edges].max() + 1) * (min(len(rows), len(cols)) + 1)
        shape = (len(rows), len(cols))
        solve = _assign_dense if shape[0] * shape[1] <= dense_limit else _assign_sparse
        chosen.append(edges[solve(li, ri, big + score[edges], shape)])
    return cand.iloc[np.sort(np.concatenate(chosen))]


def match_events(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    near: bool = True,
    priority: pd.Series | None = None,
    left_precision: bool = False,
    right_precision: bool = True,
) -> Matching:
    """Match events of `left` (e.g. coded rows) to events of `right` (e.g. gold) one to one.

    priority: optional non-negative integers aligned with `right`; higher is matched first among
    equally many pairs (required gold events before optional ones). left_precision / right_precision:
    whether each side's event_date is widened by its time_precision (see date_windows); gold files that
    give date_lo/date_hi use them regardless.
    """
    lk = event_keys(left, use_precision=left_precision)
    rk = event_keys(right, use_precision=right_precision)
    use_article = _has_articles(left) and _has_articles(right)
    cand = candidates(lk, rk, use_article=use_article)
    rank = np.zeros(len(rk)) if priority is None else pd.to_numeric(priority, errors="coerce").fillna(0)
    rank = np.asarray(rank, dtype=float)[cand[_R].to_numpy()] if len(cand) else np.zeros(0)
    tiebreak = cand["agree"] + cand["same_type"].astype(int)
    cand["score"] = rank * (len(SECONDARY_FIELDS) + 2) + tiebreak.to_numpy()
    stages = [assign(cand[cand["exact"]], cand.loc[cand["exact"], "score"])]
    if near:
        rest = cand[~cand["exact"]]
        rest = rest[~rest[_L].isin(stages[0][_L]) & ~rest[_R].isin(stages[0][_R])]
        stages.append(assign(rest, rest["score"]))
    chosen = pd.concat(stages, ignore_index=True)
    pairs = pd.DataFrame({
        "left": left.index.to_numpy()[chosen[_L].to_numpy(dtype=int)],
        "right": right.index.to_numpy()[chosen[_R].to_numpy(dtype=int)],
        "exact": chosen["exact"].to_numpy(dtype=bool),
        "agree": chosen["agree"].to_numpy(dtype=int),
    })
    return Matching(
        pairs=pairs,
        unmatched_left=left.index[~np.isin(np.arange(len(left)), chosen[_L].to_numpy())],
        unmatched_right=right.index[~np.isin(np.arange(len(right)), chosen[_R].to_numpy())],
    )


def _has_articles(frame: pd.DataFrame) -> bool:
    return "article_id" in frame.columns and bool(frame["article_id"].notna().any())


__all__ = [
    "Matching", "match_events", "event_keys", "candidates", "assign", "date_windows",
    "normalise_place", "normalise_text", "article_key", "shared_keys",
]
