"""FatalityCounter: deaths reported in one event's text, the conservative ACLED way."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.coding.fatalities import FatalityCounter
from eventcode.errors import CodebookError

BOOK = Path(__file__).resolve().parents[1] / "codebooks" / "acled" / "fatalities.yaml"


@pytest.fixture(scope="module")
def section():
    return yaml.safe_load(BOOK.read_text(encoding="utf-8"))["fatalities"]


@pytest.fixture(scope="module")
def counter(section):
    return FatalityCounter.from_codebook(section, str(BOOK))


CASES = [
    # active and passive, digits and words
    ("Militants stormed the market, killing 14 traders.", 14),
    ("Bandits killed twenty-three herders near the river on Friday.", 23),
    ("Nine police officers were killed when their truck hit a mine.", 9),
    ("Two soldiers died of their wounds in hospital.", 2),
    ("A journalist was shot dead outside his home.", 1),
    ("Unknown gunmen shot dead a tax collector and his driver.", 2),
    ("The blast left 31 people dead.", 31),
    ("The explosion claimed 6 lives.", 6),
    ("The attack claimed the lives of four aid workers.", 4),
    ("The death toll has risen to 40.", 40),
    ("Rescuers recovered 17 bodies from the rubble.", 17),
    ("Troops killed three of the kidnappers in a shootout.", 3),
    ("Two killed in grenade attack on bar.", 2),
    ("Army statement said troops neutralised 15 terrorists.", 15),
    ("Police said the death toll from Sunday's attack had risen to 15.", 15),
    ("Five people, including two children, were killed.", 5),
    ("Two protesters were shot and killed by police.", 2),
    ("Residents condemned the killing of three farmers.", 3),
    # conservative figures
    ("Between 10 and 15 villagers were killed in the raid.", 10),
    ("The rebels killed seven or eight fishermen.", 7),
    ("At least 12 people were killed, residents said.", 12),
    ("More than 12 worshippers were killed.", 12),
    ("About 200 people died in the clashes.", 200),
    ("Air strikes killed dozens of fighters.", 12),
    ("Several protesters were killed by police.", 3),
    ("Officials said 12 people were killed while residents said 20 died.", 12),
    ("The attack killed 20 people. Six of the dead were children.", 20),
    ("The attack killed 9 civilians; the death toll, officials said, was 9.", 9),
    ("The militia killed 11 villagers; 11 bodies were buried on Tuesday.", 11),
    # lists and further victims add up
    ("The gunmen killed a policeman and two passers-by.", 3),
    ("The gunmen killed five guards. Two attackers were also killed.", 7),
    ("Security forces killed four militants; one soldier died.", 5),
    ("A soldier was killed and two more died later in hospital.", 3),
    ("The raid killed three soldiers, two of them officers, and a civilian.", 4),
    # dates and years are not figures
    ("On 3 May soldiers were killed in an ambush.", 0),
    ("In 2014, 276 people were killed in the province.", 276),
    ("Since 2015 civilians have been killed in such raids.", 0),
    # the attacker's own death
    ("A suicide bomber blew himself up at the gate, killing six guards.", 7),
    ("The attacker blew himself up outside the church. No one else was killed.", 1),
    ("A man detonated a grenade, killing himself and a police officer.", 2),
    ("The bomber was also killed.", 1),
    # injuries, negations and nothing at all
    ("Four soldiers were wounded and two civilians injured.", 0),
    ("Three people were hurt when police fired tear gas.", 0),
    ("No one was killed in the attack.", 0),
    ("Nobody was hurt, police said.", 0),
    ("Police arrested seven suspects in a raid.", 0),
    ("The casualties included 12 wounded.", 0),
    ("Gunmen killed or wounded several villagers.", 0),
    ("A car bomb exploded near the checkpoint, killing five soldiers and wounding 20.", 5),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_count(counter, text, expected):
    assert counter.count(text) == expected


def test_mentions_have_offsets(counter):
    text = "On Monday gunmen killed 14 traders and a guard."
    (m,) = counter.mentions(text)
    assert text[m.start:m.end] == "14 traders and a guard" and m.value == 15


def test_default_is_the_shipped_codebook(counter):
    assert FatalityCounter.default().count("killing at least 11 villagers") == 11


def test_vague_values_are_codebook_data(section):
    changed = copy.deepcopy(section)
    changed["quantities"]["dozens"] = 24
    counter = FatalityCounter.from_codebook(changed, "team.yaml")
    assert counter.count("Air strikes killed dozens of fighters.") == 24


def test_death_verbs_are_codebook_data(section):
    changed = copy.deepcopy(section)
    changed["active_verbs"] = [v for v in changed["active_verbs"] if not v.startswith("neutrali")]
    changed["passive_verbs"] = [v for v in changed["passive_verbs"] if not v.startswith("neutrali")]
    assert FatalityCounter.from_codebook(changed, "team.yaml").count("troops neutralised 15 terrorists") == 0


@pytest.mark.parametrize(("edit", "message"), [
    (lambda s: s.pop("active_verbs"), r"book\.yaml: fatalities\.active_verbs: missing"),
    (lambda s: s.update(active_verbs=[]), r"book\.yaml: fatalities\.active_verbs: expected a non-empty list"),
    (lambda s: s.update(auxiliaries=["was", 3]), r"book\.yaml: fatalities\.auxiliaries\[1\]: expected a"),
    (lambda s: s.update(toll_phrases=["death toll"]), r"book\.yaml: fatalities\.toll_phrases\[0\]: .* \{n\}"),
    (lambda s: s.update(toll_phrases=["{n} {who} dead"]), r"toll_phrases\[0\]: unknown placeholder \{who\}"),
    (lambda s: s.update(self_phrases={"blew himself up": 0}), r"fatalities\.self_phrases: blew himself up"),
    (lambda s: s.update(victim_groups={"state": "soldier"}), r"fatalities\.victim_groups\.state: expected"),
    (lambda s: s.update(victim_groups={"generic": ["x"]}), r"fatalities\.victim_groups: generic: reserved"),
    (lambda s: s.update(quantities={"dozens": "many"}), r"fatalities\.quantities: dozens: count must be"),
    (lambda s: s.update(colour="red"), r"book\.yaml: fatalities: unknown key\(s\) colour"),
])
def test_malformed_section(section, edit, message):
    bad = copy.deepcopy(section)
    edit(bad)
    with pytest.raises(CodebookError, match=message):
        FatalityCounter.from_codebook(bad, "book.yaml")


def test_section_must_be_a_mapping():
    with pytest.raises(CodebookError, match=r"^book\.yaml: fatalities: expected a mapping, got list$"):
        FatalityCounter.from_codebook(["killed"], "book.yaml")


FILTER_WORDS = ["five", "3", "at least 12", "dozens", "people", "soldiers", "civilians", "were", "was",
                "killed",
                "KILLED", "Killing", "died", "dead", "death", "toll", "rose", "to", "left", "bodies", "of",
                "blew", "himself", "up", "injured", "and", "also", "the", "police", "said", ",", ".", "lost",
                "their", "lives", "ſhot", "shot", "fatalities"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FILTER_WORDS), max_size=14))
def test_word_filter_never_changes_the_count(words):
    """Patterns whose words are absent are skipped only to save time: run unfiltered, same figures."""
    counter = FatalityCounter.default()
    text = " ".join(words)
    filtered = (counter.count(text), counter.mentions(text))
    unfiltered = copy.copy(counter)
    unfiltered._needs = [None] * len(counter._needs)
    unfiltered._singular_needs = None
    assert (unfiltered.count(text), unfiltered.mentions(text)) == filtered
