"""Restoring the capitals of texts stored without case (eventcode.coding.truecase)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventcode.coding.places import PlaceResolver
from eventcode.coding.truecase import TrueCaser, caseless


@pytest.fixture(scope="module")
def restore():
    return TrueCaser(PlaceResolver.default().gaz).restore


@pytest.mark.parametrize("text, expected", [
    ("Police in Kisumu fired tear gas at protesters on Wednesday.", False),
    ("police in kisumu fired tear gas at protesters on wednesday.", True),
    ("POLICE IN KISUMU FIRED TEAR GAS AT PROTESTERS ON WEDNESDAY.", True),
    ("police fired tear gas", False),  # too short to tell
])
def test_caseless(text, expected):
    assert caseless(text) is expected


@pytest.mark.parametrize("text, expected", [
    # places where a place stands, rare names anywhere, type words after a unit
    ("police in kisumu fired tear gas on wednesday.", "Police in Kisumu fired tear gas on Wednesday."),
    ("gunmen killed two traders near goma in north kivu province.",
     "Gunmen killed two traders near Goma in North Kivu province."),
    ("fighters attacked a base at sabiid in hodan district.",
     "Fighters attacked a base at Sabiid in Hodan district."),
    # common words that are also places somewhere stay words
    ("the police said the market was closed in order to stop the attack.",
     "The police said the market was closed in order to stop the attack."),
    # months and weekdays; the verb "may" and the noun "march" only as dates
    ("on 12 may protesters held a march; figures may be revised.",
     "On 12 May protesters held a march; figures may be revised."),
    ("troops arrived in march and left on mon 3 sep.", "Troops arrived in March and left on Mon 3 Sep."),
    # a wire dateline keeps its capitals, so it is read as where the report was filed
    ("nairobi, june 24 (reuters) - police in kisumu fired tear gas.",
     "NAIROBI, June 24 (reuters) - police in Kisumu fired tear gas."),
    # the rest of a name after a particle or an elided article; a common noun after "nearby" stays one
    ("gangs attacked savien, in the commune of petite-riviere de l'artibonite.",
     "Gangs attacked savien, in the commune of Petite-Riviere de l'Artibonite."),
    ("two bodies were found in a nearby rice field.", "Two bodies were found in a nearby rice field."),
    # countries and their acronyms, not words that look like them
    ("refugees from the drc crossed into uganda by car.",
     "Refugees from the DRC crossed into Uganda by car."),
])
def test_restore(restore, text, expected):
    assert restore(text) == expected


def test_text_in_capitals_is_restored(restore):
    assert restore("POLICE IN KISUMU FIRED TEAR GAS ON WEDNESDAY.") == \
        "Police in Kisumu fired tear gas on Wednesday."


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_restore_changes_only_case(restore, text):
    """Offsets into the restored text are offsets into the original: same length, same letters."""
    out = restore(text)
    assert len(out) == len(text)
    assert all(a == b or a.lower() == b.lower() for a, b in zip(out, text, strict=True))
