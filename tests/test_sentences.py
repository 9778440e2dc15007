"""Sentences and paragraphs keep exact offsets into the body."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eventcode.coding.sentences import paragraphs, sentences

TEXT = ("KABUL - Gen. Ahmad said U.S. forces struck at 3 a.m. on Monday. Two people died.\n\n"
        "\"We will respond,\" he said. Police arrested 5 men.\n"
        "Key incidents\n"
        "In Kunduz, gunmen attacked a checkpoint.")


def test_offsets_are_exact():
    found = list(sentences(TEXT))
    assert all(TEXT[s.start:s.end] == s.text for s in found)
    assert [s.index for s in found] == list(range(len(found)))
    assert found[0].text.startswith("KABUL") and found[0].text.endswith("Monday.")  # abbreviations kept


def test_paragraph_numbers_and_heading_lines():
    found = list(sentences(TEXT))
    by_para = {}
    for s in found:
        by_para.setdefault(s.paragraph, []).append(s.text)
    assert by_para[0] == ["KABUL - Gen. Ahmad said U.S. forces struck at 3 a.m. on Monday.",
                          "Two people died."]
    assert "Key incidents" in by_para[2]
    assert by_para[3] == ["In Kunduz, gunmen attacked a checkpoint."]


def test_hard_wrapped_lines_stay_one_paragraph():
    text = ("Security forces arrested three suspected members of a banned group\n"
            "in the city of Osh on Tuesday, the committee said in a statement.")
    assert len(paragraphs(text)) == 1
    assert len(list(sentences(text))) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Police arrested 5 men.", "Mr. Khan said so.", "\n\n", " ", "\n",
                                 "It was 3 p.m. on Monday", "Gunmen attacked a post!", "\"Why?\" he asked."]),
                min_size=1, max_size=12))
def test_offsets_exact_on_any_mix(parts):
    text = "".join(parts)
    for s in sentences(text):
        assert text[s.start:s.end] == s.text and s.text == s.text.strip() and s.text


def _report(i: int) -> str:
    return (f"On Monday, police in Osh arrested {i + 2} men, officials said. Gen. Musa told reporters "
            f"that U.S. advisers left at 3 a.m. on Tuesday. Teachers said classrooms were overcrowded.")


def test_a_long_paragraph_is_cut_into_bounded_passages_at_plain_sentence_ends():
    from eventcode.coding.sentences import LONG_PARAGRAPH, WINDOW

    text = " ".join(_report(i) for i in range(400))  # about 70,000 characters, no line break
    spans = paragraphs(text)
    assert len(spans) > 1 and max(b - a for a, b in spans) <= 2 * WINDOW + 1000 < LONG_PARAGRAPH
    assert all(text[a:b].endswith(". ") for a, b in spans[:-1])  # cut after a full stop
    long = [s.text for s in sentences(text)]
    # the same sentences as when each report is its own paragraph: no sentence is cut or merged
    short = [s.text for s in sentences("\n\n".join(_report(i) for i in range(400)))]
    assert long == short and len(long) == 1200


def test_a_paragraph_of_normal_length_is_one_passage():
    text = " ".join(_report(i) for i in range(30))  # about 5,000 characters
    assert paragraphs(text) == [(0, len(text))]
