"""The wire dateline that opens a story: where (and when) it was filed, not where the event happened.

One pattern for every stage that must tell it apart: the date stage (its date dates an event only when
the sentence states none), the place stage's tagging of dateline-only places, and the notes (it is no
part of what happened). Forms: "QUETTA, Pakistan -- ", "NAIROBI, June 24 (Reuters) - ", "SURAT: ",
"LAMITAN CITY, Basilan – ". A text stored without case gets the city's capitals back first
(eventcode.coding.truecase).
"""

from __future__ import annotations

import re

DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]+(?:(?:,[^\n]{0,60}?)?\s+(?:-{1,2}|\u2014|\u2013)\s+|:\s+)")
