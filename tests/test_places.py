"""PlaceResolver on the real compiled gazetteer: places from many countries, transliterations, homonyms,
precision cues, context and carried places. (The first run builds the gazetteer cache, ~30 s.)"""

from __future__ import annotations

import pytest

from eventcode.coding.model import Article, Place
from eventcode.coding.places import PlaceResolver


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver.default()


# (sentence, article country, expected country, admin1, location, geo_precision)
TOWNS = [
    ("Police detained two men in Aqtobe on Monday.", "Kazakhstan", "Kazakhstan", "Aktobe", "Aqtobe", 1),
    (
        "Police detained two men in Aktyubinsk on Monday.",
        "Kazakhstan",
        "Kazakhstan",
        "Aktobe",
        "Aktyubinsk",
        1,
    ),
    ("A rally took place in Uralsk.", "Kazakhstan", "Kazakhstan", "West Kazakhstan", "Uralsk", 1),
    ("A rally took place in Oral.", "Kazakhstan", "Kazakhstan", "West Kazakhstan", "Oral", 1),
    ("Clashes in Karagandy.", "Kazakhstan", "Kazakhstan", "Karaganda", "Karagandy", 1),
    ("Protest in Almaty on Friday.", "Kazakhstan", "Kazakhstan", "Almaty City", "Almaty", 1),
    ("Police in Osh arrested five.", "Kyrgyzstan", "Kyrgyzstan", "Osh City", "Osh", 1),
    ("The arrests in Isfara followed.", "Tajikistan", "Tajikistan", "Sughd", "Isfara", 1),
    ("The Taliban attacked Qunduz.", "Afghanistan", "Afghanistan", "Kunduz", "Qunduz", 1),
    ("A bomb exploded in Quetta.", "Pakistan", "Pakistan", "Balochistan", "Quetta", 1),
    ("A bomb exploded in Peshawar.", "Pakistan", "Pakistan", "Khyber Pakhtunkhwa", "Peshawar", 1),
    ("Gunmen attacked Maiduguri.", "Nigeria", "Nigeria", "Borno", "Maiduguri", 1),
    ("Airstrikes hit Idleb.", "Syria", "Syria", "Idleb", "Idleb", 1),
    ("Airstrikes hit Halab.", "Syria", "Syria", "Aleppo", "Halab", 1),
    ("Protesters gathered in Basra.", "Iraq", "Iraq", "Basrah", "Basra", 1),
    ("Protesters gathered in Mosul.", "Iraq", "Iraq", "Ninewa", "Mosul", 1),
    ("Shelling hit Kharkov.", "Ukraine", "Ukraine", "Kharkiv", "Kharkov", 1),
    (
        "ADF rebels attacked Beni.",
        "Democratic Republic of Congo",
        "Democratic Republic of Congo",
        "Nord-Kivu",
        "Beni",
        1,
    ),
    ("Riots in Kisumu.", "Kenya", "Kenya", "Kisumu", "Kisumu", 1),
    ("Gunmen kidnapped two men in Apatzingan.", "Mexico", "Mexico", "Michoacan", "Apatzingan", 1),
    ("Gunmen kidnapped two men in Culiacán.", "Mexico", "Mexico", "Sinaloa", "Culiacán", 1),
    ("Gendarmes arrested three men in Kaya.", "Burkina Faso", "Burkina Faso", "Centre-Nord", "Kaya", 1),
    ("A car bomb exploded in Mogadishu.", "Somalia", "Somalia", "Banadir", "Mogadishu", 1),
    ("Fighting in Mekelle.", "Ethiopia", "Ethiopia", "Tigray", "Mekelle", 1),
    ("Separatists attacked Bamenda.", "Cameroon", "Cameroon", "Northwest", "Bamenda", 1),
    ("Protests in Zahedan.", "Iran", "Iran", "Sistan and Baluchestan", "Zahedan", 1),
    ("Protests in Cali.", "Colombia", "Colombia", "Valle del Cauca", "Cali", 1),
    ("In Tbilisi, protesters gathered.", None, "Georgia", "Tbilisi", "Tbilisi", 1),
    # homonyms settled by the article's country
    ("Riots broke out in Hyderabad.", "India", "India", "Telangana", "Hyderabad", 1),
    ("Riots broke out in Hyderabad.", "Pakistan", "Pakistan", "Sindh", "Hyderabad", 1),
    ("Protests in Alexandria.", "Egypt", "Egypt", "Alexandria", "Alexandria", 1),
    # near / district / outskirts -> geo_precision 2
    ("A bomb exploded near Kandahar.", "Afghanistan", "Afghanistan", "Kandahar", "Kandahar", 2),
    ("A bomb exploded a few kilometres outside Djibo.", "Burkina Faso", "Burkina Faso", "Sahel", "Djibo", 2),
    ("During the raid on a house in Suzak district.", "Kyrgyzstan", "Kyrgyzstan", "Jalal-Abad", "Suzak", 2),
    ("Bodies were found on the outskirts of Zamora.", "Mexico", "Mexico", "Michoacan", "Zamora", 2),
]


@pytest.mark.parametrize("text, ctx, country, admin1, location, precision", TOWNS)
def test_towns(resolver, text, ctx, country, admin1, location, precision):
    place = resolver.resolve(text, country=ctx, carried=None)
    assert place is not None
    assert (place.country, place.admin1, place.location, place.geo_precision) == (
        country,
        admin1,
        location,
        precision,
    )
    assert text[place.start : place.end] == place.text
    assert place.latitude is not None and place.longitude is not None


# "X Province" / "X region" / "X State" -> that admin1 at geo_precision 3, its name as the location
PROVINCES = [
    ("In Jalal-Abad Province, police arrested five.", "Kyrgyzstan", "Kyrgyzstan", "Jalal-Abad"),
    ("Clashes in Qaraghandy region.", "Kazakhstan", "Kazakhstan", "Karaganda"),
    ("Arrests in Batys Qazaqstan oblysy.", "Kazakhstan", "Kazakhstan", "West Kazakhstan"),
    ("Fires in Almaty region on Friday.", "Kazakhstan", "Kazakhstan", "Almaty"),
    ("Arrests in the Khatlon region in July.", "Tajikistan", "Tajikistan", "Khatlon"),
    ("Gunmen attacked a village in Borno State.", "Nigeria", "Nigeria", "Borno"),
    ("Shelling hit a village in Kherson region.", "Ukraine", "Ukraine", "Kherson"),
    ("In southern Helmand province, a bomb exploded.", "Afghanistan", "Afghanistan", "Helmand"),
    ("Unrest in Hilmand province.", "Afghanistan", "Afghanistan", "Helmand"),
    ("Drones were downed over Kursk region.", "Russia", "Russia", "Kursk"),
    ("Protests in Georgia.", "United States", "United States", "Georgia"),
]


@pytest.mark.parametrize("text, ctx, country, admin1", PROVINCES)
def test_provinces(resolver, text, ctx, country, admin1):
    place = resolver.resolve(text, country=ctx, carried=None)
    assert (place.country, place.admin1, place.location, place.geo_precision) == (country, admin1, admin1, 3)


def test_georgia_is_the_country_outside_the_united_states(resolver):
    place = resolver.resolve("Protests in Georgia.", country="Russia", carried=None)
    assert (place.country, place.admin1) == ("Georgia", "")


def test_country_named_in_the_sentence_beats_the_article_country(resolver):
    text = "In Russia, the governor of Belgorod region said a drone hit the town of Shebekino."
    place = resolver.resolve(text, country="Ukraine", carried=None)
    assert (place.country, place.admin1, place.location) == ("Russia", "Belgorod", "Shebekino")


def test_province_named_with_the_town_settles_the_town(resolver):
    place = resolver.resolve(
        "In Nasiriyah, the capital of Dhi Qar province, police fired tear gas.", country="Iraq", carried=None
    )
    assert (place.admin1, place.location, place.geo_precision) == ("Thi-Qar", "Nasiriyah", 1)


@pytest.mark.parametrize(
    "text",
    [
        "Police said Mercy Bar was closed. Of course.",
        "Said the officer: the man will stand trial.",
        "the bar was closed and police said nothing",
    ],
)
def test_common_words_are_not_places(resolver, text):
    assert resolver.resolve(text, country="Kazakhstan", carried=None) is None


def test_unknown_village_takes_the_unit_around_it(resolver):
    place = resolver.resolve(
        "Militiamen attacked the village of Drodro in Djugu territory of Ituri province.",
        country="Democratic Republic of Congo",
        carried=None,
    )
    assert (place.admin1, place.location, place.geo_precision) == ("Ituri", "Drodro", 2)
    place = resolver.resolve(
        "They killed a chief in Gaskinde, about 30 kilometres from Djibo.",
        country="Burkina Faso",
        carried=None,
    )
    assert (place.admin1, place.location, place.geo_precision) == ("Sahel", "Gaskinde", 2)


def test_carried_place_when_the_sentence_names_none(resolver):
    carried = Place(country="Kyrgyzstan", admin1="Osh City", location="Osh", geo_precision=1)
    assert (
        resolver.resolve("Leaflets were seized from the suspects.", country="Kyrgyzstan", carried=carried)
        is carried
    )
    assert (
        resolver.resolve("Leaflets were seized from the suspects.", country="Kyrgyzstan", carried=None)
        is None
    )


def test_a_province_mention_keeps_the_carried_town_inside_it(resolver):
    carried = resolver.resolve("Police in Aqtobe detained two men.", country="Kazakhstan", carried=None)
    again = resolver.resolve(
        "The Aktobe region police said more arrests would follow.", country="Kazakhstan", carried=carried
    )
    assert again is carried


def test_dateline_is_not_the_event_place(resolver):
    text = "OUAGADOUGOU - Jihadists attacked an army post in Burkina Faso's northern Soum province."
    place = resolver.resolve(text, country="Burkina Faso", carried=None)
    assert place.admin1 == "Sahel"


def test_a_dateline_city_does_not_overrule_a_smaller_town_in_the_sentence(resolver):
    text = "ADEN - A drone struck a camp east of Ataq town on Monday, killing four fighters, sources said."
    place = resolver.resolve(text, country="Yemen", carried=None)
    assert (place.admin1, place.location, place.geo_precision) == ("Shabwah", "Ataq", 2)


def test_article_country_counts_names_demonyms_and_places(resolver):
    article = Article(
        id="a",
        title="Kyrgyz security service reports detentions",
        text="BISHKEK -- The GKNB said Kyrgyz citizens were detained in Osh and Jalal-Abad. "
        "A Russian national was among them.",
    )
    assert resolver.article_country(article) == "Kyrgyzstan"
    assert resolver.article_country(Article(id="b", text="Nothing here names a place.")) is None


def test_second_level_unit_named_in_the_sentence_is_admin2(resolver):
    text = "Gunmen attacked Kautikari village in Chibok Local Government Area of Borno State."
    place = resolver.resolve(text, country="Nigeria", carried=None)
    assert (place.admin1, place.admin2, place.location) == ("Borno", "Chibok", "Kautikari")
    place = resolver.resolve(
        "A bomb struck a rickshaw in Nad Ali district of Helmand province.",
        country="Afghanistan",
        carried=None,
    )
    assert (place.admin1, place.admin2, place.geo_precision) == ("Helmand", "Nad Ali", 2)


def test_small_homonym_contradicting_the_sentence_gives_way(resolver):
    text = "The ambush recalled the 2019 attack at El Aguaje, also in Aguililla municipality."
    place = resolver.resolve(text, country="Mexico", carried=None)
    assert (place.admin1, place.location) == ("Michoacan", "El Aguaje")


def test_unknown_place_placed_relative_to_a_known_one(resolver):
    text = "Warplanes carried out raids on Maarat al-Numan, south of Saraqib, killing seven people."
    place = resolver.resolve(text, country="Syria", carried=None)
    assert (place.admin1, place.location, place.geo_precision) == ("Idleb", "Maarat al-Numan", 2)


def test_organisations_are_not_unknown_villages(resolver):
    text = "The report was presented at Human Rights Watch offices near Kabul University in Kabul."
    place = resolver.resolve(text, country="Afghanistan", carried=None)
    assert place.location == "Kabul"


def test_sentence_opening_word_is_not_part_of_a_unit_name(resolver):
    text = "In Beni territory, ADF combatants abducted 20 people near Mamove."
    place = resolver.resolve(text, country="Democratic Republic of Congo", carried=None)
    assert (place.admin1, place.admin2, place.location) == ("Nord-Kivu", "Beni", "Mamove")


def test_unit_spelt_unlike_the_index_matches_the_closest_name(resolver):
    text = "MOGADISHU -- Fighters stormed a base near Balcad in Middle Shabeele region on Sunday."
    place = resolver.resolve(text, country="Somalia", carried=None)
    assert (place.country, place.admin1, place.location, place.geo_precision) == (
        "Somalia",
        "Middle Shabelle",
        "Balcad",
        2,
    )


def test_township_is_a_second_level_unit(resolver):
    text = "Military aircraft bombed a gathering in Pazigyi village in Kanbalu township of Sagaing region."
    place = resolver.resolve(text, country="Myanmar", carried=None)
    assert (place.admin1, place.admin2, place.location) == ("Sagaing", "Kanbalu", "Pazigyi")


# ---------------------------------------------------------------- homonyms abroad, ACLED spellings, fallbacks


def test_weekday_never_votes_for_a_country(resolver):
    """A package's 'native' name of a province can be an English word (Lusaka's was 'Saturday')."""
    article = Article(id="a", title="Gunmen kill five in Tijuana bar",
                      text="Gunmen killed five people in a bar in Tijuana on Saturday, police said.")
    assert resolver.article_country(article) == "Mexico"
    assert resolver.resolve("The attack happened on Saturday.", country=None) is None


@pytest.mark.parametrize("country", [None, "Mexico", "Mali"])
def test_a_world_city_beats_context_free_homonyms(resolver, country):
    place = resolver.resolve("Gunmen killed two people in Tijuana on Monday.", country=country)
    assert (place.country, place.admin1, place.location) == ("Mexico", "Baja California", "Tijuana")


@pytest.mark.parametrize("country", [None, "Mali"])
def test_an_alternate_name_of_a_town_abroad_does_not_count(resolver, country):
    """'Boni' is an old name of Bonn: a village of that name in Mali must not become Germany."""
    place = resolver.resolve("Militants attacked a checkpoint in Boni on Sunday.", country=country)
    assert place is None or place.country == "Mali"


@pytest.mark.parametrize(
    "text, country, admin1, location, precision",
    [
        ("Fighters clashed with troops in Lower Shabelle on Monday.", "Somalia", "Lower Shabelle",
         "Lower Shabelle", 3),
        ("Fighters clashed with troops in Lower Shebelle region on Monday.", None, "Lower Shabelle",
         "Lower Shabelle", 3),
        ("Fighters attacked Marib on Monday.", "Yemen", "Marib", "Marib", 1),
        ("Fighters attacked Marib on Monday.", None, "Marib", "Marib", 1),
        ("Fighters attacked Ma'rib on Monday.", None, "Marib", "Ma'rib", 1),
        ("Shelling hit Sanaa on Monday.", None, "Amanat al Asimah", "Sanaa", 1),
    ],
)
def test_acled_spellings_and_names_without_apostrophes(resolver, text, country, admin1, location, precision):
    place = resolver.resolve(text, country=country)
    assert (place.admin1, place.location, place.geo_precision) == (admin1, location, precision)


@pytest.mark.parametrize("suffix", ["", " district", " agency"])
def test_a_district_no_town_is_named_after_is_its_province(resolver, suffix):
    quetta = resolver.resolve("A bomb exploded in Quetta on Monday.", country="Pakistan")
    text = f"Security forces killed two militants in South Waziristan{suffix} on Tuesday."
    place = resolver.resolve(text, country="Pakistan", carried=quetta)
    assert (place.country, place.admin1, place.admin2, place.geo_precision) == (
        "Pakistan", "Khyber Pakhtunkhwa", "South Waziristan", 3)
    assert place.location == "Wana"  # ACLED codes the district at its seat


def test_a_foreign_alternate_name_does_not_hide_a_district(resolver):
    """'Kech' is a district of Balochistan and an old name of a German town."""
    place = resolver.resolve("Militants attacked a post in Kech district.", country="Pakistan")
    assert (place.admin1, place.admin2, place.location, place.geo_precision) == (
        "Balochistan", "Kech", "Turbat", 3)


def test_an_unknown_district_keeps_the_carried_province_not_the_carried_town(resolver):
    quetta = resolver.resolve("A bomb exploded in Quetta on Monday.", country="Pakistan")
    for text in ("Troops killed two militants in Zarkan agency on Tuesday.",
                 "Troops killed two militants in South Zarkan district on Tuesday."):
        place = resolver.resolve(text, country="Pakistan", carried=quetta)
        assert place.admin1 == "Balochistan"
        assert place.location != "Quetta" and place.geo_precision == 2
        assert resolver.resolve(text, country="Pakistan", carried=None) is None


def test_country_fallback_only_when_asked(resolver):
    text = "Rebels attacked Kiwanja on Friday."  # a town the gazetteer lacks
    assert resolver.resolve(text, country="Democratic Republic of Congo") is None
    place = resolver.resolve(text, country="Democratic Republic of Congo", fallback_country=True)
    assert (place.country, place.admin1, place.location, place.geo_precision) == (
        "Democratic Republic of Congo", "", "Democratic Republic of Congo", 3)
    assert abs(place.latitude - -4.3) < 0.2 and abs(place.longitude - 15.3) < 0.2  # Kinshasa
    assert resolver.resolve(text, country=None, fallback_country=True) is None


def test_a_country_named_alone_is_placed_at_its_capital(resolver):
    place = resolver.resolve("Clashes were reported in Mali on Friday.", country=None)
    assert (place.country, place.admin1, place.geo_precision) == ("Mali", "", 3)
    assert place.latitude is not None and place.longitude is not None


def test_the_article_scan_sees_only_capitalised_names(resolver):
    """Place names are proper names: a lower-case word never starts one, so the scan skips it."""
    g = resolver.gaz
    text = "the police in kabul and Kabul"
    from eventcode.coding.gazetteer import fold

    found = [text[s:e] for s, e, _entry in g.find(fold(text), text)]
    assert found == ["Kabul"]
    assert "kabul" in [text[s:e] for s, e, _entry in g.find(fold(text))]


@pytest.mark.parametrize(
    "text",
    ["If the talks fail, fighting may resume.", "Down the road, a crowd gathered.", "Silently, they left."],
)
def test_nonsense_native_names_of_provinces_are_not_indexed(resolver, text):
    """The package's 'native' province names include machine translations ('If', 'Down', 'Silently')."""
    assert resolver.article_country(Article(id="a", text=text)) is None
    assert resolver.resolve(text, country=None) is None


def test_a_village_known_only_abroad_takes_the_province_of_the_passage(resolver):
    """'in Boni': the gazetteer knows Boni only as an old name of Bonn; in an article about Mali whose
    passage is in Mopti it is a village there, coded near the place the passage names (precision 2)."""
    douentza = resolver.resolve("A bomb exploded in Douentza on Saturday.", country="Mali")
    place = resolver.resolve("Militants attacked a checkpoint in Boni on Sunday.", country="Mali",
                             carried=douentza)
    assert (place.country, place.admin1, place.location, place.geo_precision) == ("Mali", "Mopti", "Boni", 2)
    assert (place.latitude, place.longitude) == (douentza.latitude, douentza.longitude)


# (sentence, article country, expected country, admin1, location, geo_precision): a town named with the units
# that hold it is settled by them, whatever its size and whatever the article's country
HELD_TOWNS = [
    ("Protesters gathered in Tarija (Tarija).", None, "Bolivia", "Tarija", "Tarija", 1),
    ("Students marched in Kisii (Kisii county).", None, "Kenya", "Kisii", "Kisii", 1),
    ("Farmers blocked a road in Nyons (Drome).", None, "France", "Auvergne-Rhône-Alpes", "Nyons", 1),
    ("Shelling hit Kostiantynivka, Donetsk.", "Russia", "Ukraine", "Donetsk", "Kostiantynivka", 1),
    ("A rally was held in San Marcos (Texas).", "Guatemala", "United States", "Texas", "San Marcos", 1),
    ("Police dispersed traders in Mvita town (Mombasa county).", None, "Kenya", "Mombasa", "Mvita", 1),
    # the unit first, the town inside its brackets
    ("Workers struck in Chubut province (Rawson, Chubut).", "Uruguay", "Argentina", "Chubut", "Rawson", 1),
    # a village the gazetteer knows only abroad: coded at its units, geo_precision 2
    ("Gunmen attacked Kolda (Djugu, Ituri).", None, "Democratic Republic of Congo", "Ituri", "Kolda", 2),
]


@pytest.mark.parametrize("text, ctx, country, admin1, location, precision", HELD_TOWNS)
def test_a_town_named_with_its_units_is_settled_by_them(resolver, text, ctx, country, admin1, location,
                                                          precision):
    place = resolver.resolve(text, country=ctx, carried=None)
    assert place is not None
    assert (place.country, place.admin1, place.location, place.geo_precision) == (
        country, admin1, location, precision)


def test_a_list_of_towns_is_not_a_town_and_its_unit(resolver):
    place = resolver.resolve("Protests in Kyiv, Kharkiv and Odesa.", country="Ukraine", carried=None)
    assert (place.admin1, place.location) == ("Kyiv City", "Kyiv")


def test_the_units_of_a_town_vote_for_the_article_country(resolver):
    text = "Russian forces shelled Kostiantynivka, Donetsk. Russian troops advanced."
    assert resolver.article_country(Article(id="t", title="", text=text)) == "Ukraine"


def test_a_small_town_no_other_country_has_brings_its_country(resolver):
    place = resolver.resolve("Nurses rallied in Montbrison on Tuesday.", country=None, carried=None)
    assert (place.country, place.admin1, place.location) == ("France", "Auvergne-Rhône-Alpes", "Montbrison")
    # named in passing (no "in"), or a name towns of two countries bear: not enough without a country
    assert resolver.resolve("Montbrison nurses rallied on Tuesday.", country=None, carried=None) is None
    assert resolver.resolve("Nurses rallied in Zell on Tuesday.", country=None, carried=None) is None
    # a town of unknown size is not enough either
    gaz = resolver.gaz
    unknown = next(t for t in range(len(gaz.town_name)) if gaz.town_pop[t] == 0
                   and len(gaz.lookup(gaz.town_name[t])[3]) == 1 and not gaz.lookup(gaz.town_name[t])[2]
                   and " " not in gaz.town_name[t] and gaz.town_name[t].isalpha())
    text = f"Nurses rallied in {gaz.town_name[unknown]} on Tuesday."
    assert resolver.resolve(text, country=None, carried=None) is None


@pytest.mark.parametrize(
    "text, ctx, country, admin1, location",
    [
        ("Truck drivers blocked a road in Zorblanca (Neuquen).", None, "Argentina", "Neuquén", "Zorblanca"),
        ("Fighting was reported near Zorivka-Nova, Zaporizhzhia region.", "Russia", "Ukraine", "Zaporizhia",
         "Zorivka-Nova"),
        ("Troops were deployed in Zorblanca LGA (Zamfara).", None, "Nigeria", "Zamfara", "Zorblanca"),
    ],
)
def test_a_village_the_gazetteer_lacks_is_placed_in_the_unit_named_with_it(resolver, text, ctx, country,
                                                                           admin1, location):
    place = resolver.resolve(text, country=ctx, carried=None)
    assert (place.country, place.admin1, place.location, place.geo_precision) == (
        country, admin1, location, 2)


def test_a_compass_word_or_a_common_word_in_brackets_is_no_unit_for_an_unknown_name(resolver):
    place = resolver.resolve("Fighters gathered in Zorblanca (East).", country="Cameroon", carried=None)
    assert place is None or place.location != "Zorblanca"
    assert resolver.resolve("Protesters met in Zorblanca (Police).", country=None, carried=None) is None
    # an unknown name that is not written as a place ("in X") is not a village
    place = resolver.resolve("The Zorblanca Collective (Neuquen) protested.", country=None, carried=None)
    assert place is None or place.location != "Zorblanca"


def test_a_unit_and_a_town_of_one_country_make_it_the_sentence_country(resolver):
    # no country known: Lower Saxony is only German, and Germany has a Bergen, so the small German Bergen
    # counts (not only the province)
    text = "In Lower Saxony, police dispersed protesters in Bergen."
    place = resolver.resolve(text, country=None, carried=None)
    assert (place.country, place.admin1, place.location, place.geo_precision) == (
        "Germany", "Niedersachsen", "Bergen", 1)


def test_a_town_only_one_country_has_beats_a_country_named_in_passing(resolver):
    text = "Around 60 people demonstrated in Montbrison against the invasion of Ukraine."
    place = resolver.resolve(text, country="Ukraine", carried=None)
    assert (place.country, place.location) == ("France", "Montbrison")
    # not once the passage has placed itself in the article's country, nor for a unit ("X district")
    kyiv = resolver.resolve("Protesters gathered in Kyiv.", country="Ukraine", carried=None)
    assert resolver.resolve(text, country="Ukraine", carried=kyiv).country == "Ukraine"
    assert resolver.resolve("Police raided Montbrison district.", country="Ukraine", carried=None) is None
    # nor when the name goes on ("Montbrison de la Loire" is not Montbrison)
    longer = "Around 60 people demonstrated in Montbrison de la Loire against the invasion of Ukraine."
    place = resolver.resolve(longer, country="Ukraine", carried=None)
    assert place is None or place.country == "Ukraine"


@pytest.mark.parametrize(
    "text, ctx, country, admin1, location",
    [
        ("A US patrol was seen in Tal Tamr town in Hasakah governorate.", "United States", "Syria",
         "Al-Hasakeh", "Tal Tamr"),
        ("Shells hit Al Mayadin town in Deir ez Zor governorate.", "Turkey", "Syria", "Deir-ez-Zor",
         "Al Mayadin"),
        ("Shells fell in Zorblanca village of Kherson oblast.", "Russia", "Ukraine", "Kherson", "Zorblanca"),
        # the whole name of a village the index knows only in part
        ("Shells hit the Al Zorblanca town in Ar Raqqa countryside.", "Syria", "Syria", "Ar-Raqqa",
         "Al Zorblanca"),
    ],
)
def test_a_town_of_a_unit_named_after_of_or_in(resolver, text, ctx, country, admin1, location):
    place = resolver.resolve(text, country=ctx, carried=None)
    assert (place.country, place.admin1, place.location) == (country, admin1, location)


def test_a_part_of_a_city_is_the_city(resolver):
    place = resolver.resolve("Protesters gathered in Hay Riad area in Rabat.", country="Morocco")
    assert place.location == "Rabat"


def test_an_acronym_in_capitals_is_not_the_unit_it_spells(resolver):
    text = "Nurses marched in Cahors at the call of the SUD and CGT unions."
    assert resolver.article_country(Article(id="t", title="", text=text)) != "Haiti"
    assert resolver.resolve(text, country=None, carried=None).country == "France"
    # hand-kept abbreviations still name their unit
    place = resolver.resolve("Police in the FCT arrested six men.", country="Nigeria", carried=None)
    assert place.admin1 == "Federal Capital Territory"


def test_a_compass_word_alone_is_not_a_unit(resolver):
    text = "Traders blocked the East-West highway near Zorblanca village."
    place = resolver.resolve(text, country=None, carried=None)
    assert place is None or place.country != "Cameroon"
    assert resolver.article_country(Article(id="t", title="", text=text)) != "Cameroon"
    # named as a unit it still is one
    assert resolver.resolve("Gunmen attacked Bertoua (East).", country="Cameroon").admin1 == "East"


@pytest.mark.parametrize(
    "text, ctx, location",
    [
        ("Shots were fired in Tehran - District 12 overnight.", "Iran", "Tehran - District 12"),
        ("Pickets stood in Seoul City - Mapo.", "South Korea", "Seoul City - Mapo"),
        ("Gunmen fired in Niteroi - Praias da Baia (Rio de Janeiro).", None, "Niteroi - Praias da Baia"),
        ("Supporters gathered in Auckland - Albert-Eden.", "New Zealand", "Auckland - Albert-Eden"),
        # the part is a town of its own: still written whole after its city
        ("Tenants rallied in New York - Brooklyn (New York).", None, "New York - Brooklyn"),
        # a dash that starts a new clause is no part of the city
        ("A bomb exploded in Kabul - The Taliban said.", "Afghanistan", "Kabul"),
    ],
)
def test_a_part_of_a_city_after_a_dash_is_the_location_written_whole(resolver, text, ctx, location):
    assert resolver.resolve(text, country=ctx, carried=None).location == location


@pytest.mark.parametrize(
    "text, country, admin1",
    [
        # ACLED's names: German, Italian and Spanish units in their own language, whichever the text uses
        ("Farmers blocked roads in Lecce (Apulia).", "Italy", "Puglia"),
        ("Farmers blocked roads in Lecce (Puglia).", "Italy", "Puglia"),
        ("Nurses rallied in Lingen on Monday.", "Germany", "Niedersachsen"),
        ("Students marched in Girona (Catalonia).", "Spain", "Cataluña"),
        ("Miners marched in Katowice on Monday.", "Poland", "Slaskie"),
        ("Pickets stood outside the court in Seoul.", "South Korea", "Seoul Special City"),
        ("Shelling hit Nawa (Daraa).", "Syria", "Dara"),
        ("Youths rioted in Malmo on Sunday.", "Sweden", "Skane"),
        ("Dockers struck in Marseille.", "France", "Provence-Alpes-Côte d'Azur"),
        # Cameroon's regions by their French names
        ("Soldiers raided Bafut (Mezam, Nord-Ouest).", "Cameroon", "Northwest"),
    ],
)
def test_acled_names_of_units(resolver, text, country, admin1):
    place = resolver.resolve(text, country=None, carried=None)
    assert (place.country, place.admin1) == (country, admin1)


def test_an_alternate_name_abroad_does_not_share_a_sole_name(resolver):
    # Kamenz is a German town's own name and, abroad, only an old name of a Polish one
    place = resolver.resolve("Teachers rallied in Kamenz on Friday.", country=None, carried=None)
    assert (place.country, place.location) == ("Germany", "Kamenz")
    # a name that goes on after a particle is not the shorter town ("Dar" is a town in Cambodia)
    place = resolver.resolve("Soldiers raided Dar el Zorblanca (Baalbek).", country=None, carried=None)
    assert place is None or place.country != "Cambodia"


def test_an_acronym_in_brackets_after_a_group_is_no_town(resolver):
    """'Boko Haram (JAS)': the group's acronym is also a Nigerian town's alternate name; in brackets, in
    capitals, it names no town, while a unit's abbreviation ('Abuja (FCT)') still places the town."""
    raid = "Boko Haram (JAS) fighters raided a village on Monday."
    assert resolver.resolve(raid, country="Cameroon") is None
    place = resolver.resolve("Police arrested two men in Abuja (FCT) on Monday.", country="Nigeria")
    assert (place.admin1, place.location) == ("Federal Capital Territory", "Abuja")
