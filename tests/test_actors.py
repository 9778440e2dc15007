"""ActorResolver: roles in active and passive voice, ACLED defaults, state-force periods, codebook checks."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from eventcode.coding.actors import ActorResolver
from eventcode.errors import CodebookError

CODEBOOKS = Path(__file__).resolve().parents[1] / "codebooks" / "acled"


class StandIn:
    """The two raw sections a loaded codebook carries, read straight from the bundled YAML files."""

    def __init__(self, actors=None, state_forces=None):
        self.actors = actors if actors is not None else _load("actors.yaml")["actors"]
        self.state_forces = (
            state_forces if state_forces is not None else _load("state_forces.yaml")["state_forces"]
        )

    def section_file(self, name: str) -> str:
        return str(CODEBOOKS / f"{name}.yaml")


def _load(name: str) -> dict:
    with open(CODEBOOKS / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver.from_codebook(StandIn())


def run(resolver, text, trigger, sub, country, on, roles=None):
    start = text.index(trigger)
    return resolver.resolve(
        text, start, start + len(trigger), sub_event_type=sub, country=country, event_date=on, roles=roles
    )


def test_active_voice_subject_acts_object_is_target(resolver):
    a1, a2 = run(
        resolver,
        "Gunmen opened fire on a police patrol in Lakki Marwat district.",
        "opened fire",
        "Armed clash",
        "Pakistan",
        date(2018, 10, 14),
    )
    assert (a1.name, a1.inter) == ("Unidentified Armed Group (Pakistan)", "Political militia")
    assert (a2.name, a2.inter) == ("Police Forces of Pakistan (2018-2022)", "State forces")


def test_passive_voice_by_phrase_acts(resolver):
    a1, a2 = run(
        resolver,
        "Two suspected militants were arrested by police in Quetta.",
        "arrested",
        "Arrests",
        "Pakistan",
        date(2018, 7, 12),
    )
    assert a1.name == "Police Forces of Pakistan (2018)"
    assert (a2.name, a2.inter) == ("Unidentified Armed Group (Pakistan)", "Political militia")
    a1, a2 = run(
        resolver,
        "The village was attacked by Boko Haram fighters on Sunday.",
        "attacked",
        "Attack",
        "Nigeria",
        date(2021, 3, 7),
    )
    assert (a1.name, a1.inter) == ("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Rebel group")
    assert a2.name == "Civilians (Nigeria)"


def test_by_agent_after_the_trigger_noun(resolver):
    text = "A soldier was killed when an improvised explosive device planted by the insurgents exploded."
    a1, _ = run(
        resolver,
        text,
        "improvised explosive device",
        "Remote explosive/landmine/IED",
        "Nigeria",
        date(2019, 3, 2),
        roles={"object": "actor2"},
    )
    assert (a1.name, a1.inter) == ("Unidentified Armed Group (Nigeria)", "Political militia")


def test_attribution_is_skipped_unless_a_pronoun_points_back(resolver):
    a1, _ = run(
        resolver, "Officials said gunmen killed two farmers.", "killed", "Attack", "Nigeria", date(2020, 1, 1)
    )
    assert a1.name == "Unidentified Armed Group (Nigeria)"
    a1, a2 = run(
        resolver,
        "The FARDC said it clashed with CODECO fighters near Blukwa.",
        "clashed",
        "Armed clash",
        "Democratic Republic of Congo",
        date(2020, 6, 9),
    )
    assert a1.name == "Military Forces of the Democratic Republic of Congo (2019-)"
    assert (a2.name, a2.inter) == ("CODECO: Cooperative for Development of Congo", "Political militia")


def test_named_group_beats_generic_word_in_the_same_place(resolver):
    a1, _ = run(
        resolver,
        "Gunmen believed to belong to the Jalisco New Generation Cartel ambushed a convoy.",
        "ambushed",
        "Armed clash",
        "Mexico",
        date(2021, 3, 11),
    )
    assert (a1.name, a1.inter) == ("CJNG: Jalisco New Generation Cartel", "Political militia")


def test_defaults_when_the_text_names_no_one(resolver):
    a1, a2 = run(
        resolver,
        "Four more suspects were detained in Dushanbe.",
        "detained",
        "Arrests",
        "Tajikistan",
        date(2018, 9, 28),
    )
    assert (a1.name, a1.inter, a2) == ("Police Forces of Tajikistan (1994-)", "State forces", None)
    a1, _ = run(
        resolver,
        "A roadside bomb struck a rickshaw.",
        "roadside bomb",
        "Remote explosive/landmine/IED",
        "Afghanistan",
        date(2017, 5, 7),
        roles={"object": "actor2"},
    )
    assert (a1.name, a1.inter) == ("Unidentified Armed Group (Afghanistan)", "Political militia")
    a1, a2 = run(
        resolver,
        "About 200 people gathered peacefully outside parliament.",
        "gathered",
        "Peaceful protest",
        "Kyrgyzstan",
        date(2019, 11, 18),
    )
    assert (a1.name, a1.inter, a2) == ("Protesters (Kyrgyzstan)", "Protesters", None)
    a1, a2 = run(
        resolver,
        "Protesters clashed with police and hurled stones.",
        "clashed",
        "Violent demonstration",
        "Iraq",
        date(2019, 7, 14),
    )
    assert (a1.name, a1.inter) == ("Rioters (Iraq)", "Rioters")
    assert a2.name == "Police Forces of Iraq (2018-2020)"


def test_state_force_periods(resolver):
    assert (
        resolver.state_name("police", "Kazakhstan", date(2016, 6, 5))
        == "Police Forces of Kazakhstan (1991-2019)"
    )
    assert (
        resolver.state_name("police", "Kazakhstan", date(2022, 1, 5)) == "Police Forces of Kazakhstan (2019-)"
    )
    assert (
        resolver.state_name("military", "Nigeria", date(2019, 3, 2))
        == "Military Forces of Nigeria (2015-2023)"
    )
    # the last day of a period belongs to the next one
    assert (
        resolver.state_name("military", "Nigeria", date(2023, 5, 29)) == "Military Forces of Nigeria (2023-)"
    )
    # a country without a table, or no date: no period
    assert resolver.state_name("police", "Chad", date(2020, 1, 1)) == "Police Forces of Chad"
    assert resolver.state_name("police", "Kazakhstan", None) == "Police Forces of Kazakhstan"


def test_security_services_arrest_as_police_fight_as_military(resolver):
    a1, _ = run(
        resolver,
        "On November 12, GKNB officers detained three members of a banned group.",
        "detained",
        "Arrests",
        "Kyrgyzstan",
        date(2019, 11, 12),
    )
    assert a1.name == "Police Forces of Kyrgyzstan (2017-2020)"
    a1, _ = run(
        resolver,
        "Security forces killed two militants in an exchange of fire.",
        "exchange of fire",
        "Armed clash",
        "Pakistan",
        date(2018, 7, 10),
    )
    assert a1.name == "Military Forces of Pakistan (2018)"


def test_foreign_forces_are_external(resolver):
    a1, a2 = run(
        resolver,
        "Warplanes believed to be Russian struck the town, killing nine civilians.",
        "struck",
        "Air/drone strike",
        "Syria",
        date(2018, 2, 19),
    )
    assert (a1.name, a1.inter) == ("Military Forces of Russia (2000-)", "External/Other forces")
    assert a2.name == "Civilians (Syria)"
    a1, _ = run(
        resolver,
        "Syrian government warplanes struck a busy market.",
        "struck",
        "Air/drone strike",
        "Syria",
        date(2018, 2, 19),
    )
    assert (a1.name, a1.inter) == ("Military Forces of Syria (2000-2024)", "State forces")
    text = "Warplanes that the Syrian Observatory for Human Rights identified as Russian carried out raids."
    a1, _ = run(resolver, text, "carried out raids", "Air/drone strike", "Syria", date(2018, 2, 18))
    assert a1.name == "Military Forces of Russia (2000-)"
    a1, _ = run(
        resolver,
        "Days later, the United States fired cruise missiles at the air base.",
        "fired",
        "Shelling/artillery/missile attack",
        "Syria",
        date(2017, 4, 7),
    )
    assert (a1.name, a1.inter) == (
        "Military Forces of the United States (2017-2021)",
        "External/Other forces",
    )


def test_country_as_a_place_is_not_an_actor(resolver):
    a1, _ = run(
        resolver,
        "In Afghanistan, a bomb exploded near a mosque.",
        "bomb exploded",
        "Remote explosive/landmine/IED",
        "Afghanistan",
        date(2017, 5, 7),
    )
    assert a1.name == "Unidentified Armed Group (Afghanistan)"


def test_group_that_became_the_government(resolver):
    a1, _ = run(
        resolver,
        "Taliban fighters overran the district centre.",
        "overran",
        "Non-state actor overtakes territory",
        "Afghanistan",
        date(2017, 5, 6),
    )
    assert (a1.name, a1.inter) == ("Taliban", "Rebel group")
    a1, _ = run(
        resolver,
        "Taliban fighters attacked a checkpoint.",
        "attacked",
        "Armed clash",
        "Afghanistan",
        date(2022, 5, 6),
    )
    assert (a1.name, a1.inter) == ("Military Forces of Afghanistan (2021-)", "State forces")


def test_unnamed_suicide_attacker_is_an_unidentified_armed_group(resolver):
    a1, a2 = run(
        resolver,
        "In Kabul, one attacker blew himself up near a police checkpoint.",
        "blew himself up",
        "Suicide bomb",
        "Afghanistan",
        date(2017, 5, 8),
    )
    # ACLED has no unidentified rebel actor: a group it cannot name is a political militia
    assert (a1.name, a1.inter) == ("Unidentified Armed Group (Afghanistan)", "Political militia")
    assert a2.name == "Police Forces of Afghanistan (2004-2021)"


def test_associated_actors(resolver):
    a1, _ = run(
        resolver,
        "Taliban and Haqqani Network fighters attacked a checkpoint.",
        "attacked",
        "Armed clash",
        "Afghanistan",
        date(2018, 8, 27),
    )
    assert (a1.name, a1.assoc) == ("Taliban", ("Haqqani Network",))


def test_roles_from_the_rule(resolver):
    # a rule that reads no subject: the vehicle before the trigger is the target, not the actor
    a1, a2 = run(
        resolver,
        "A military vehicle struck a roadside bomb outside Djibo.",
        "roadside bomb",
        "Remote explosive/landmine/IED",
        "Burkina Faso",
        date(2019, 10, 12),
        roles={"object": "actor2"},
    )
    assert a1.name == "Unidentified Armed Group (Burkina Faso)"


# ---------------------------------------------------------------- codebook checks


def _bad(mutate, section="actors"):
    actors = copy.deepcopy(_load("actors.yaml")["actors"])
    state = copy.deepcopy(_load("state_forces.yaml")["state_forces"])
    mutate(actors if section == "actors" else state)
    return StandIn(actors, state)


@pytest.mark.parametrize(
    "mutate, section, message",
    [
        (lambda a: a["kinds"]["police"].update(inter="Police"), "actors", "actors.kinds.police.inter"),
        (lambda a: a["kinds"].pop("military"), "actors", "actors.kinds.military: missing"),
        (lambda a: a["groups"].append({"name": "X", "inter": "Rebel group"}), "actors", "needs aliases"),
        (lambda a: a["sub_events"]["Arrests"].update(actor1="sheriffs"), "actors", "unknown kind 'sheriffs'"),
        (lambda a: a["generic"].update(pirates=["pirates"]), "actors", "actors.generic.pirates"),
        (lambda a: a["kinds"]["rebels"].update(name="Rebels ({nation})"), "actors", "bad template"),
        (lambda s: s.update(Atlantis=[]), "state_forces", "state_forces.Atlantis: not an ACLED country"),
        (lambda s: s["Kenya"][0].update(to=date(2000, 1, 1)), "state_forces", "state_forces.Kenya[0].to"),
        (lambda s: s["Kenya"][1].pop("label"), "state_forces", "state_forces.Kenya[1]: needs"),
    ],
)
def test_bad_codebook_sections_name_file_and_key(mutate, section, message):
    with pytest.raises(CodebookError) as err:
        ActorResolver.from_codebook(_bad(mutate, section))
    text = str(err.value)
    assert message in text
    assert f"{section}.yaml" in text


def test_bundled_codebook_loads_through_the_loader():
    from eventcode.coding.codebook import load_codebook

    book = load_codebook()
    resolver = ActorResolver.from_codebook(book)
    assert (
        resolver.state_name("military", "Ukraine", date(2023, 8, 27)) == "Military Forces of Ukraine (2019-)"
    )


def test_victims_and_finders_are_not_the_attackers(resolver):
    a1, a2 = run(
        resolver,
        "In July, an attack on foreign cyclists killed four tourists.",
        "killed",
        "Attack",
        "Tajikistan",
        date(2018, 7, 29),
    )
    assert a1.name == "Unidentified Armed Group (Tajikistan)"
    assert a2.name == "Civilians (Tajikistan)"
    text = "Police found the bodies of three men with gunshot wounds on a dirt road."
    for trigger in ("bodies", "found the bodies"):
        a1, _ = run(resolver, text, trigger, "Attack", "Mexico", date(2021, 3, 11))
        assert (a1.name, a1.inter) == ("Unidentified Armed Group (Mexico)", "Political militia")


def test_named_group_in_a_by_phrase_after_the_trigger(resolver):
    text = "A patrol was hit when an improvised explosive device planted by Boko Haram exploded."
    a1, _ = run(
        resolver,
        text,
        "improvised explosive device",
        "Remote explosive/landmine/IED",
        "Nigeria",
        date(2019, 3, 2),
        roles={"object": "actor2"},
    )
    assert a1.name == "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"


@pytest.mark.parametrize(
    "text, trigger, sub_event_type",
    [
        ("Jihadists kidnapped two traders near the well on Monday, police said.", "kidnapped",
         "Abduction/forced disappearance"),
        ("Insurgents stormed a hamlet on Monday, killing four farmers, police said.", "stormed", "Attack"),
        ("Gunmen shot dead a trader at the market, said police.", "shot dead", "Attack"),
        ("Militants seized three travellers on the road according to police.", "seized",
         "Abduction/forced disappearance"),
    ],
)
def test_the_speaker_of_a_report_is_never_a_side(resolver, text, trigger, sub_event_type):
    a1, a2 = run(resolver, text, trigger, sub_event_type, "Niger", date(2021, 3, 1))
    assert a1.name == "Unidentified Armed Group (Niger)"
    assert a2.name == "Civilians (Niger)"
    assert not any("Police" in name for name in a2.assoc)


def test_a_named_target_before_the_report_stays(resolver):
    text = "Gunmen abducted a police officer on Monday, police said."
    a1, a2 = run(resolver, text, "abducted", "Abduction/forced disappearance", "Niger", date(2021, 3, 1))
    assert a2.name.startswith("Police Forces of Niger")


def test_unnamed_jihadists_are_an_unidentified_armed_group(resolver):
    a1, _a2 = run(resolver, "Jihadists ambushed an army patrol on Friday.", "ambushed", "Armed clash",
                  "Mali", date(2022, 5, 6))
    assert (a1.name, a1.inter) == ("Unidentified Armed Group (Mali)", "Political militia")


def test_state_forces_dispersing_a_protest_are_its_actor2(resolver):
    a1, a2 = run(resolver, "In Cusco, police used tear gas to disperse protesters who blocked a highway.",
                 "tear gas", "Protest with intervention", "Peru", date(2022, 9, 9))
    assert (a1.name, a2.name, a2.inter) == ("Protesters (Peru)", "Police Forces of Peru", "State forces")
    a1, a2 = run(resolver, "Thousands of teachers marched peacefully through central Lima.",
                 "marched", "Peaceful protest", "Peru", date(2022, 9, 8))
    assert (a1.name, a2) == ("Protesters (Peru)", None)
