"""The project's devset coded as written and lower-cased (an archive without case) scores the same.

Reads ../shared/devset beside the repository (a developer's clone has it, CI has it); skips elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from eventcode.coding.coder import code_article, read_articles
from eventcode.coding.rows import events_to_frame
from eventcode.evaluate import evaluate
from eventcode.gold import load_gold

DEVSET = Path(__file__).resolve().parents[1].parent / "shared" / "devset"
pytestmark = pytest.mark.skipif(not (DEVSET / "gold").is_dir(),
                                reason="../shared/devset is not beside the repo")


@pytest.fixture(scope="module")
def coded():
    articles = list(read_articles(sorted((DEVSET / "articles").glob("*.txt"))))
    cased = [code_article(a).events for a in articles]
    lower = [code_article(replace(a, text=a.text.lower(), title=a.title.lower())).events for a in articles]
    return cased, lower


def _f1(events) -> float:
    frame = pd.concat([events_to_frame(e) for e in events if e], ignore_index=True)
    return evaluate(frame, load_gold(sorted((DEVSET / "gold").glob("*.yaml")))).f1


def test_lower_cased_devset_scores_within_005_of_the_original(coded):
    cased, lower = coded
    assert _f1(lower) >= _f1(cased) - 0.05


def test_lower_cased_articles_keep_their_events_and_provinces(coded):
    """At least 90% of the events coded from the cased text are coded, with the same type, date and
    admin1, from the same text lower-cased."""
    cased, lower = coded
    key = lambda e: (e.sub_event_type, e.place.admin1, e.date.event_date)  # noqa: E731
    kept = sum(key(e) in {key(x) for x in low} for events, low in zip(cased, lower, strict=True)
               for e in events)
    total = sum(len(events) for events in cased)
    assert kept >= 0.9 * total, f"{kept} of {total} events kept"
