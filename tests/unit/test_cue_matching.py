"""Cue matching on what the recogniser wrote: sound-alike, split, merged and digit forms,
the weighting by word probabilities, and every sequence rule on a misrecognised call."""

from __future__ import annotations

import pytest

from ksf_review.domain.cue_matching import compact, confidence, find_fuzzy, spell_number, weight
from ksf_review.domain.suggestions import parse_rules, suggest
from ksf_review.domain.transcript import Segment, Word

M, K = "medewerker", "klant"


def heard(start, speaker, text, prob=0.9, step=0.5):
    """A recognised segment: timed words with the recogniser's probability."""
    words, t = [], start
    for w in text.split():
        words.append(Word(t, t + step - 0.1, " " + w, prob))
        t += step
    return Segment(start, t, speaker, text, words=tuple(words))


def call(*turns, prob=0.9):
    out, t = [], 0.0
    for speaker, text in turns:
        seg = heard(t, speaker, text, prob)
        out.append(seg)
        t = seg.end + 1.0
    return out


def rules(*rule_dicts, **extra):
    return parse_rules({"version": 1, "rules": list(rule_dicts), **extra})


def phrase(cues, **params):
    return {
        "id": "r",
        "item": "1.1f",
        "polarity": "+",
        "speaker": "M",
        "kind": "phrase",
        "reason": "{match}",
        "params": {"match": {"cues": cues}, **params},
    }


def words(text):
    return text.lower().replace(",", "").split()


# --------------------------------------------------------------------------- matcher


@pytest.mark.parametrize(
    "cue, text",
    [
        ("goedemiddag", "Rude middag, last net elkom"),  # sound-alike and split
        ("controlevragen", "ik stel u een paar control vragen"),  # split and a dropped letter
        ("openstaand bedrag", "er is een openstaandbedrag"),  # merged
        ("postcode", "wat is uw postkode"),  # spelling of one sound
        ("vier cijfers", "de laatste 4 cijfers"),  # digits as words
        ("vierentwintig uur", "binnen 24 uur"),
        ("uw geboortedatum is", "uw geboorte datum is"),
    ],
)
def test_fuzzy_matcher_finds_misrecognised_cues(cue, text):
    m = find_fuzzy([words(cue)], words(text), max_gap=3)
    assert m is not None and m.score >= 0.8


@pytest.mark.parametrize(
    "cue, text",
    [
        ("postcode", "wat is uw positie"),
        ("goedemiddag", "goede morgen"),
        ("ja", "jo"),  # short cues are never matched by sound
        ("samengevat", "wat heeft u gegeten"),
        ("schande", "ik bel over mijn schade"),  # one letter off in a short word is another word
        ("u heeft dus", "u heeft nu recht van verzet"),
        ("dat is niet mijn probleem", "daar ga ik niet over dat is niet mijn afteling"),  # a long right start
        ("geen burgerservicenummer", "we op urger service nummer mogen"),  # the negation is lost
    ],
)
def test_fuzzy_matcher_rejects_other_words(cue, text):
    assert find_fuzzy([words(cue)], words(text), max_gap=3) is None


def test_fuzzy_matcher_honours_gaps_and_dropped_short_words():
    m = find_fuzzy([["laatste"], ["cijfers"]], words("de laaste vier sijfers van uw rekening"), max_gap=3)
    assert (m.start, m.end) == (1, 4)
    assert find_fuzzy([["laatste"], ["cijfers"]], words("laatste keer heeft u ons toen de cijfers"), max_gap=3) is None
    assert compact(["dank", "u", "de", "wel"]) == compact(["dank", "u", "wel"])


def test_numbers_are_spelled_as_one_dutch_word():
    assert [spell_number(n) for n in (4, 21, 100, 1999)] == ["vier", "eenentwintig", "honderd", "duizendnegenhonderdnegenennegentig"]


# --------------------------------------------------------------------------- weighting


def test_low_probability_words_count_less():
    assert weight(1.0, [0.95, 0.9]) == 1.0
    assert weight(1.0, [0.2, 0.2]) < weight(1.0, [0.6, 0.6]) < 1.0
    assert weight(0.8, [0.9]) == 0.8
    assert confidence(0.9, [1.0, 0.5]) == 0.45
    assert confidence(0.9, [1.0], unsure_speaker=True) < 0.9


def test_suggestion_confidence_follows_match_and_word_probability():
    rs = rules(phrase(["samengevat"]))
    exact = suggest([heard(0, M, "samengevat wilt u een nieuwe meter", 0.9)], rs)[0]
    fuzzy = suggest([heard(0, M, "samen gewat wilt u een nieuwe meter", 0.9)], rs)[0]
    unsure = suggest([heard(0, M, "samen gewat wilt u een nieuwe meter", 0.15)], rs)[0]
    assert exact.confidence == 0.9
    assert 0.9 > fuzzy.confidence > unsure.confidence > 0


def test_min_confidence_drops_unsure_suggestions():
    rs = rules(phrase(["samengevat"]), min_confidence=0.5)
    assert suggest([heard(0, M, "samen gevat wilt u een nieuwe meter", 0.9)], rs)
    assert suggest([heard(0, M, "samen gevat wilt u een nieuwe meter", 0.1)], rs) == []


def test_typed_text_is_not_matched_by_sound():
    rs = rules(phrase(["samengevat"]))
    assert suggest([Segment(0, 1, M, "samen gevat wilt u een nieuwe meter")], rs) == []


def test_suggestion_says_why_with_the_matched_words_as_offsets():
    rs = rules(phrase(["goedemiddag"], extent="sentence"))
    s = suggest([heard(0, M, "Rude middag, last net elkom. U spreekt met Sanne.")], rs)[0]
    assert s.cue == "goedemiddag"
    assert s.evidence == "Rude middag, last net elkom."
    assert [s.evidence[a:b] for a, b in s.highlights] == ["Rude middag"]


# --------------------------------------------------------------------------- sequence rules on recognised speech


def test_opening_rule_only_looks_at_the_first_turn():
    rs = rules(phrase(["goedemiddag"], first_turns=1))
    conv = call((M, "Rude middag, last net elkom, met Sanne"), (K, "hallo"), (M, "goede middag nog"))
    assert [s.segment_index for s in suggest(conv, rs)] == [0]


def test_before_rule_disclosure_before_misheard_verification():
    rs = rules(
        {
            "id": "avg",
            "item": "3.1",
            "polarity": "-",
            "speaker": "M",
            "kind": "before",
            "reason": "{match}",
            "params": {"event": {"cues": ["openstaand bedrag"]}, "prerequisite": {"question_cues": ["klantnummer", "postcode"]}},
        }
    )
    early = call((K, "ik bel over mijn rekening"), (M, "er is een open staand bedrag van honderd euro"), (M, "wat is uw klant nummer?"))
    late = call(
        (K, "ik bel over mijn rekening"), (M, "wat is uw post kode?"), (K, "1234 ab"), (M, "er is een openstaandbedrag van honderd euro")
    )
    s = suggest(early, rs)
    assert [x.segment_index for x in s] == [1] and s[0].confidence > 0.5
    assert suggest(late, rs) == []


def test_response_after_objection_and_next_agent_turn_misheard():
    rs = rules(
        {
            "id": "bmn",
            "item": "3.2",
            "polarity": "+",
            "speaker": "M",
            "kind": "response_after",
            "reason": "{match}",
            "params": {"trigger": {"cues": ["niet meer gebeld"]}, "response": {"cues": ["ik noteer"]}, "window": 1},
        }
    )
    conv = call((K, "ik wil niet meer gebelt worden"), (M, "dat begrijp ik, ik note er dat direct"))
    s = suggest(conv, rs)
    assert [x.segment_index for x in s] == [1]
    assert s[0].cue == "niet meer gebeld → ik noteer"
    # the same answer before the objection is no response to it
    assert suggest(list(reversed([heard(0, M, "ik note er dat"), heard(5, K, "ik wil niet meer gebelt worden")])), rs) == []


def test_absent_after_objection_without_response_in_recognised_speech():
    rs = rules(
        {
            "id": "geen",
            "item": "3.2",
            "polarity": "-",
            "speaker": "M",
            "kind": "absent_after",
            "reason": "geen reactie op '{trigger}'",
            "params": {"trigger": {"cues": ["niet meer gebeld"]}, "response": {"cues": ["ik noteer"]}},
        }
    )
    answered = call((K, "ik wil niet meer gebelt worden"), (M, "ik note er het direct"))
    ignored = call((K, "ik wil niet meer gebelt worden"), (M, "maar we hebben een mooie aanbieding"))
    assert suggest(answered, rs) == []
    s = suggest(ignored, rs)
    assert [x.segment_index for x in s] == [1] and s[0].cue == "niet meer gebeld"


def test_absent_rule_is_less_sure_than_a_found_phrase():
    rs = rules(
        {
            "id": "a",
            "item": "1.1b",
            "polarity": "-",
            "speaker": "M",
            "kind": "absent",
            "reason": "x",
            "params": {"match": {"cues": ["samengevat"]}, "scope": "last", "turns": 2, "anchor": "last"},
        },
        phrase(["samengevat"]) | {"id": "p", "item": "1.1b"},
    )
    missing = suggest(call((M, "goedemiddag"), (M, "fijne dag nog")), rs)
    found = suggest(call((M, "goedemiddag"), (M, "samen gevat u krijgt een nieuwe meter")), rs)
    assert [x.polarity for x in missing] == ["-"] and [x.polarity for x in found] == ["+"]
    assert missing[0].confidence < 0.9


def test_unattributed_mono_turn_counts_less_for_a_speaker_rule():
    rs = rules(phrase(["samengevat"]))
    mono = suggest([heard(0, "spreker", "samengevat wilt u een nieuwe meter")], rs)[0]
    agent = suggest([heard(0, M, "samengevat wilt u een nieuwe meter")], rs)[0]
    assert mono.confidence < agent.confidence


def test_panel_shows_the_evidence_escaped_with_the_matched_words_in_bold():
    from ksf_review.ui.suggestions_panel import evidence_markdown

    assert evidence_markdown("Rude middag, last net elkom.", ((0, 11),)) == r"**Rude middag**\, last net elkom\."
    assert evidence_markdown("zie <b>*x*</b> hier", ((4, 14),)) == r"zie **\<b\>\*x\*\<\/b\>** hier"
    assert evidence_markdown("geen markering", ()) == "geen markering"


def test_real_transcript_of_a_sample_call_keeps_its_recall():
    """tests/data/belmeniet-slecht.transcript.json is the bundled model's real output for that
    call (stereo); exact cue matching found 1 of its 8 expected tags, the rules tuned on the
    tuning calls (#18, not on this call) find 4, with 2 false positives (4 before round 3)."""
    import json
    from pathlib import Path

    from ksf_review.domain.suggestion_eval import evaluate, expected_from_ground_truth
    from ksf_review.domain.transcript import Transcript

    root = Path(__file__).resolve().parents[2]
    gt = json.loads((root / "sample_audio" / "belmeniet-slecht.json").read_text(encoding="utf-8"))
    tr = Transcript.from_dict(json.loads((root / "tests" / "data" / "belmeniet-slecht.transcript.json").read_text()))
    o = evaluate(suggest(tr.segments, until=tr.duration or None), expected_from_ground_truth(gt)).overall
    assert o.found >= 4 and o.precision >= 0.6


def test_recognised_question_without_question_mark_counts_less():
    rs = rules(
        {
            "id": "q",
            "item": "1.2a",
            "polarity": "+",
            "speaker": "M",
            "kind": "question",
            "reason": "{match}",
            "params": {"starters": ["wat"]},
        }
    )
    marked = suggest([heard(0, M, "Wat is de stand van uw meter?")], rs)
    unmarked = suggest([heard(0, M, "Wat is de stand van uw meter")], rs)
    assert len(marked) == len(unmarked) == 1
    assert unmarked[0].confidence < marked[0].confidence
    assert suggest([Segment(0, 1, M, "Wat is de stand van uw meter")], rs) == []  # typed: the mark is meant


def test_closing_rule_looks_at_the_last_turns_and_may_match_more_loosely_there():
    strict = rules(phrase(["fijne dag"]) | {"item": "2"})
    closing = rules(phrase(["fijne dag"], last_turns=1, min_similarity=0.7) | {"item": "2"})
    conv = call((M, "een fijne taart nog"), (K, "dank u"), (M, "een fijne taart nog en tot ziens"))
    assert suggest(conv, strict) == []  # "fijne taart" is too far from "fijne dag" anywhere in a call
    assert [s.segment_index for s in suggest(conv, closing)] == [2]  # but not in the closing


@pytest.mark.parametrize("value", [0.2, "veel", 1.5])
def test_min_similarity_must_be_a_number_between_half_and_one(value):
    from ksf_review.domain.suggestions import SuggestionRuleError

    with pytest.raises(SuggestionRuleError, match="min_similarity"):
        rules(phrase(["fijne dag"], min_similarity=value))


# --------------------------------------------------------------------------- bundled rules on recognised speech (#18 tuning)
# Each case comes from the tuning calls (bench/suggestion_tuning/calls), written as the recogniser wrote it.


def bundled(conv, item, polarity):
    return [s for s in suggest(conv) if s.item == item and s.polarity == polarity]


def test_defending_oneself_after_an_emotion_is_no_understanding():
    conv = call(
        (K, "ik heb al vier keer gebelt, dit is echt schandalig"),
        (M, "Rustig maar mevrouw, ik kan er ook niks aandoen dat het zo druk is."),
    )
    assert [s.segment_index for s in bundled(conv, "1.3b", "-")] == [1]
    # the same words without an emotion before them are no defence against it
    assert not bundled(call((K, "wanneer komt de monteur"), (M, "ik kan er ook niks aandoen dat het zo druk is")), "1.3b", "-")


def test_policy_number_question_is_verification_not_an_open_question():
    conv = call((K, "ik bel over mijn schade"), (M, "Wat is uw polis nummer?"))
    assert [s.segment_index for s in bundled(conv, "3.1", "+")] == [1]
    assert not bundled(conv, "1.2a", "+")


def test_suggestive_question_with_words_before_toch():
    conv = call((K, "het water kwam door het plafond"), (M, "Ja maar, u had de schade toch ook eerder kunnen melden?"))
    assert [s.segment_index for s in bundled(conv, "1.2d", "-")] == [1]


def test_request_to_repeat_is_no_follow_up_or_open_question():
    conv = call((K, "er is een leiding gesprongen"), (M, "Kunt u nog een keer vertellen wat er precies is gebeurd?"))
    assert bundled(conv, "1.1g", "-")
    assert not bundled(conv, "1.1c", "+") and not bundled(conv, "1.2a", "+")


def test_closing_agreement_counts_as_summarising():
    conv = call((K, "prima"), (M, "Dan spreken we af dat de monteur morgen tussen acht en tien komt."))
    assert [s.segment_index for s in bundled(conv, "1.1b", "+")] == [1]


def test_excuses_show_understanding_anywhere_in_the_call():
    conv = call((K, "dank u wel"), (M, "Graag gedaan, en nogmaals excuses voor het ongemak."))
    assert [s.segment_index for s in bundled(conv, "1.3b", "+")] == [1]


def test_recognised_question_cue_without_question_mark_counts_at_the_end_of_a_sentence():
    """The recogniser writes only half of the question marks: "Klopt dat." is still a check question."""
    marked = bundled(call((K, "ja"), (M, "Klopt dat?")), "1.2c", "+")
    unmarked = bundled(call((K, "ja"), (M, "Klopt dat.")), "1.2c", "+")
    assert len(marked) == len(unmarked) == 1 and unmarked[0].confidence < marked[0].confidence
    assert bundled(call((K, "ja"), (M, "Dat kan u mild dus inzage, verrijp ik dat goed.")), "1.2c", "+")
    # inside a statement it is no question; typed text without "?" is meant as written
    assert not bundled(call((K, "ja"), (M, "ik zie dat klopt dat u verhuist")), "1.2c", "+")
    assert not bundled(call((K, "ja"), (M, "Dat begrijpt u toch en het spijt me dat u gebeld bent.")), "1.2d", "-")
    assert not bundled([Segment(0, 1, K, "ja"), Segment(1, 2, M, "Klopt dat.")], "1.2c", "+")


def test_a_word_that_opens_a_turn_cut_off_by_the_recogniser_is_no_listening_signal():
    cut = [heard(0, K, "fijn dank u"), heard(3, M, "Ja..."), heard(3.9, M, "Uw nummer is vanaf vandaag afgemeld.")]
    assert not bundled(cut, "1.1a", "+")
    signal = [heard(0, K, "en de lampjes knipperen"), heard(3, M, "Ja..."), heard(3.9, K, "al sinds donderdag")]
    assert [s.segment_index for s in bundled(signal, "1.1a", "+")] == [1]


def test_discussing_and_steering_cues_of_common_words_match_only_nearly_exactly():
    assert bundled(call((K, "dat klopt niet"), (M, "dat is echt niet zo")), "1.1e", "-")
    assert not bundled(call((K, "ik wist het niet"), (M, "oh dat mist ik niet")), "1.1e", "-")  # "dat is echt niet"
    assert not bundled(
        call((K, "er is water"), (M, "Kunt u nog een keer vertellen met haar resist is gebouwd?")), "1.2d", "-"
    )  # "zeker vergeten"


def test_no_need_to_repeat_is_no_request_to_repeat():
    conv = call((K, "ik heb al drie keer gebeld"), (M, "Ik zie de meldingen hier staan, dus u hoeft het niet opnieuw uit te leggen."))
    assert bundled(conv, "1.1g", "+") and not bundled(conv, "1.1g", "-")


def test_question_after_a_clause():
    conv = [Segment(0, 1, M, "Goedemiddag, u spreekt met Sven. Ik bel u over uw contract, heeft u even tijd?")]
    assert bundled(conv, "1.2b", "+")
    assert not bundled([Segment(0, 1, M, "Ik bel u over uw contract, heeft u vast gezien.")], "1.2b", "+")


def test_more_question_forms_and_the_authorisation_route():
    assert bundled([Segment(0, 1, M, "Zal ik de link naar het formulier sturen?")], "1.2b", "+")
    assert bundled([Segment(0, 1, M, "Naar welk e-mailadres mag ik de link sturen?")], "1.2a", "+")
    assert bundled([Segment(0, 1, M, "U heeft zeker het verkeerde rekeningnummer gebruikt?")], "1.2d", "-")
    third = [
        Segment(0, 1, K, "Ik bel over de factuur van mijn vrouw."),
        Segment(1, 2, M, "Uw vrouw kan u machtigen via de website, of ze kan zelf even bellen."),
    ]
    assert bundled(third, "3.1", "+")


def test_an_avg_breach_needs_a_close_match():
    """3.1 − weighs heavily: a disclosure heard only roughly ("En u geborde datum" for the question
    "En uw geboortedatum?") is no breach; the rule's min_similarity holds for its event cues too."""
    assert not bundled(call((K, "ik bel over mijn rekening"), (M, "En u geborde datum.")), "3.1", "-")
    assert bundled(call((K, "ik bel over mijn rekening"), (M, "Uw geboortedatum is drie juni.")), "3.1", "-")


# --------------------------------------------------------------------------- misheard question starters (#18, round 3)


def test_question_starter_misheard_at_its_first_sound_is_found_by_sound():
    """The recogniser writes a word-initial w as m ("Milt u" for "Wilt u", "meelke" for "welke"):
    on recognised speech a question starter is also found by its sound, less surely."""
    closed = bundled(call((K, "ik ga verhuizen"), (M, "Milt u dan in die twee weken op beide adressen energie?")), "1.2b", "+")
    assert [s.segment_index for s in closed] == [1] and closed[0].cue == "wilt"
    exact = bundled(call((K, "ik ga verhuizen"), (M, "Wilt u dan in die twee weken op beide adressen energie?")), "1.2b", "+")
    assert closed[0].confidence < exact[0].confidence
    opened = bundled(call((K, "ik ga verhuizen"), (M, "Dank u wel. Op meelke datum krijgt u de sleutel.")), "1.2a", "+")
    assert [s.cue for s in opened] == ["op welke"]
    # a filler heard like a starter ("maar" for "waar"/"wat") needs a question's body after it
    assert bundled(call((M, "Goedemiddag."), (K, "het werkt niet"), (M, "Maar staat er precies in de app?")), "1.2a", "+")
    assert bundled(call((M, "Goedemiddag."), (K, "het werkt niet"), (M, "Maar staat er precies in de app.")), "1.2a", "+")
    # typed text is what was meant: no sound matching there
    assert not bundled([Segment(0, 1, K, "ik ga verhuizen"), Segment(1, 2, M, "Milt u dan energie?")], "1.2b", "+")


@pytest.mark.parametrize(
    "text",
    [
        "Maar, met de technische dienst op nemen.",  # an interjection: comma after it
        "Maar ik eerst u klant hem er.",  # "maar ik …" is no "waar ik …"
        "maar aan de overkant heb ik het niet",  # a preposition after it
        "maar",  # no question body
        "Met welvord, mobiel.",  # short words ("met") are too often themselves
    ],
)
def test_words_heard_like_a_question_starter_that_are_no_question(text):
    conv = call((K, "ik bel over mijn rekening"), (M, text))
    assert not bundled(conv, "1.2a", "+") and not bundled(conv, "1.2b", "+")


def test_misheard_greeting_and_imperative_are_no_questions():
    """ "Goedemiddag" comes back as "Hoe de middag", "Goedemorgen" as "Mogen morgen": the greeting
    (the first sentence of the medewerker's first turn) is no question; "Belt u maar" is a request."""
    assert not bundled(call((K, "hallo"), (M, "Ja, hallo."), (M, "Hoe de middag met Lotte van Kabelnet.")), "1.2a", "+")
    assert not bundled(call((M, "Mogen morgen u spreekt met Noor van Waterlicht energie.")), "1.2b", "+")
    assert bundled(call((M, "Goedemorgen."), (K, "hallo"), (M, "Mogen wij u morgen bellen.")), "1.2b", "+")
    assert bundled(call((M, "Goedemorgen met Noor, mogen wij u morgen bellen?")), "1.2b", "+")
    assert not bundled(call((K, "wie moet ik bellen"), (M, "Belt u maar met de afdeling incasso.")), "1.2b", "+")


def test_an_answer_that_sounds_like_a_check_question_is_none():
    """ "Klopt het." at a sentence end counts as a check question without "?", but "dat klopt" is
    an answer (a customer turn given to the medewerker by the mono speaker step)."""
    assert not bundled(call((K, "is het zo"), (M, "Ja, dat klopt.")), "1.2c", "+")
    assert bundled(call((K, "ja"), (M, "De monteur komt morgen, klopt het.")), "1.2c", "+")


def test_understanding_heard_like_a_summary_question_is_no_summary():
    """ "Dat bereip ik" (dat begrijp ik) sounds like the summary cue "begrijp ik het goed"."""
    conv = call((K, "ik ben er echt boos over"), (M, "Ik merk dat u daarboos over bent, dat bereip ik."))
    assert not bundled(conv, "1.1b", "+")
    assert bundled(call((K, "ja"), (M, "Begrijp ik het goed dat u wilt opzeggen?")), "1.1b", "+")


def test_a_misheard_inventory_question_at_the_close_is_no_friendly_closing():
    """In the last turns a closing may match loosely; "nog vragen" heard as "nog ragen" then
    came close to "graag gedaan", but an inventory question is no closing."""
    conv = call((K, "dank u"), (M, "Heeft u verder nog vragen?"), (K, "nee"), (M, "Heet u me er nog ragen."))
    assert not bundled(conv, "2", "+")
    assert bundled(call((K, "dank u"), (M, "Graag gedaan, fijne dag.")), "2", "+")


def test_asking_first_for_the_customer_number_is_verification():
    conv = call((K, "ik wil verhuizen"), (M, "Dat kan zeker. Mag ik eerst uw klant hem er."))
    assert [s.segment_index for s in bundled(conv, "3.1", "+")] == [1]


def test_a_cue_set_may_ask_for_a_close_match_of_its_own():
    """An exclusion heard only roughly would exclude too much: "dat begrijp ik" is 0.86 like
    "begrijp ik (het)" of the summary question; the set's own min_similarity keeps it close."""
    summary = phrase(["begrijp ik het goed"], extent="sentence") | {"item": "1.1b"}
    loose = rules(summary | {"params": summary["params"] | {"match": {"cues": ["begrijp ik het goed"], "exclude": ["dat begrijp ik"]}}})
    close = rules(
        summary | {"params": summary["params"] | {"match": {"cues": ["begrijp ik het goed"], "exclude": "@begrip"}}},
        cue_sets={"begrip": {"cues": ["dat begrijp ik"], "min_similarity": 0.9}},
    )
    question = call((M, "Begrijp ik het goed dat u wilt opzeggen?"))
    assert suggest(question, loose) == [] and len(suggest(question, close)) == 1
    assert suggest(call((M, "Ik merk dat u boos bent, dat bereip ik.")), close) == []
    from ksf_review.domain.suggestions import SuggestionRuleError

    with pytest.raises(SuggestionRuleError, match="min_similarity"):
        rules(phrase(["x"]), cue_sets={"begrip": {"cues": ["dat begrijp ik"], "min_similarity": 1.5}})


def test_an_absence_in_the_whole_call_reaches_the_end_of_the_recording():
    """The recogniser loses a call's last short word ("Dag."), which "geen samenvatting" is about:
    the absence is shown at the close, from the medewerker's last turn to the end of the recording."""
    conv = call(
        (M, "Met Belfort Mobiel."),
        (K, "ik bel over mijn rekening"),
        (M, "Welke nummers heeft u gebeld?"),
        (K, "alleen mijn zus"),
        (M, "Dat weet ik ook niet."),
        (K, "nou fijn is dat"),
    )
    absent = bundled(conv, "1.1b", "-")
    assert len(absent) == 1 and absent[0].start == conv[4].start
    assert absent[0].end == conv[5].end  # up to the last words heard
    assert bundled_until(conv, conv[5].end + 2.0, "1.1b", "-")[0].end == conv[5].end + 2.0  # up to the recording's end


def bundled_until(conv, until, item, polarity):
    return [s for s in suggest(conv, until=until) if s.item == item and s.polarity == polarity]


def test_a_closing_wish_heard_with_m_for_w_is_a_friendly_closing():
    """ "Dan wens ik u een prettige dag" comes back as "Dan mens ik u een pretelje daar"."""
    conv = call((K, "nee dank u"), (M, "Dan mens ik u een pretelje daar."))
    assert [s.segment_index for s in bundled(conv, "2", "+")] == [1]
    # only in the closing, where the position says much: elsewhere the loose match is no closing
    middle = call((M, "Dan mens ik u een pretelje daar."), (K, "ja"), (M, "Ik kijk het na."), (K, "goed"), (M, "Een moment."))
    assert not bundled(middle, "2", "+")


def test_an_agreement_with_a_misheard_verb_is_still_an_agreement():
    """ "Dan spreken we af dat …" comes back as "Dan dragen we af dat …"."""
    conv = call((K, "prima"), (M, "Dan dragen we af dat ik uw pakket per een mei om net."))
    assert bundled(conv, "1.1f", "+") and bundled(conv, "1.1b", "+")


def test_understanding_without_a_named_emotion_and_exclamations_are_no_questions():
    """ "Ah, maar vervelend." (Ach, wat vervelend) shows understanding; "Wat vervelend." is no open question."""
    conv = call((M, "Goedenavond."), (K, "het water lekt door het plafond"), (M, "Ah, maar vervelend."))
    assert [s.segment_index for s in bundled(conv, "1.3b", "+")] == [2]
    assert not bundled(call((M, "Goedenavond."), (K, "het lekt"), (M, "Wat vervelend?")), "1.2a", "+")


def test_a_listening_signal_heard_loosely_is_no_moving_along():
    """ "Ik bereipt het" (ik begrijp het) is a listening signal, not "ik begrijp dat het …" (1.1e +)."""
    assert not bundled(call((K, "de buren zijn weg"), (M, "Ik bereipt het.")), "1.1e", "+")
    assert bundled(call((K, "dat is duur"), (M, "Ik begrijp dat het duur is.")), "1.1e", "+")


def test_assuming_the_customers_mistake_is_suggestive_without_a_question_mark():
    """The recogniser drops the "?" of "U heeft zeker …?" and "U heeft toch …?"."""
    conv = call((K, "ik heb het niet gedaan"), (M, "U heeft neker het verkeerde rekening nummer gebruikt."))
    assert [s.segment_index for s in bundled(conv, "1.2d", "-")] == [1]
    assert bundled(call((K, "dat wist ik niet"), (M, "U heeft toch ook meel grezen dat het eigen risico omhoog is.")), "1.2d", "-")
    assert not bundled(call((K, "dat is te duur"), (M, "Daar heeft u zeker gelijk in.")), "1.2d", "-")


def test_data_given_to_or_changed_for_a_third_party_after_the_objection():
    """ "Ik bel namens mijn vrouw": naming her date of birth or changing the account is a 3.1 breach."""
    conv = call(
        (K, "ik bel namens mijn vrouw over haar rekening"),
        (M, "Ja, Beukenlaan 14, en haar geboortedatum is twaalf april."),
        (K, "kunt u het van mijn rekening afschrijven"),
        (M, "Dat kan, dan zet ik het rekeningnummer om naar uw rekening."),
    )
    assert [s.segment_index for s in bundled(conv, "3.1", "-")] == [1, 3]
    own = call((K, "ik wil mijn rekening wijzigen"), (M, "Dat kan, dan zet ik het rekeningnummer om naar uw nieuwe rekening."))
    assert not bundled(own, "3.1", "-")  # the customer's own account: no third party


def test_a_recognised_statement_with_a_verb_first_is_no_closed_question():
    """Without "?" a verb-first sentence needs a body ("Is genoteerd." is no question), and an
    instruction after "dan" ("Dan moet u zich opnieuw inschrijven.") is none either."""
    first = (M, "Goedemiddag.")
    assert not bundled(call(first, (K, "ok"), (M, "is genoteerd.")), "1.2b", "+")
    assert not bundled(call(first, (K, "wat moet ik doen"), (M, "Dan moet u zich opnieuw inschrijven.")), "1.2b", "+")
    assert bundled(call(first, (K, "wat moet ik doen"), (M, "Dan moet u zich opnieuw inschrijven?")), "1.2b", "+")
    assert bundled(call(first, (K, "ik ga verhuizen"), (M, "Heeft u de sleutel al.")), "1.2b", "+")
    assert not bundled(call(first, (K, "nee"), (M, "Maar deze aanneeding is echt voordelig.")), "1.2a", "+")


def test_the_lip_sounds_m_and_w_sound_alike():
    """The recogniser hears w as m ("melke" for "welke", "Dan mens ik u" for "Dan wens ik u"):
    a cue word of five or six letters must have the same sound form, which now holds."""
    assert find_fuzzy([["welke"]], words("op melke datum krijgt u de sleutel"), 3) is not None
    assert find_fuzzy([["schade"]], words("dat is een schande"), 3) is None  # one sound off is still another word
    conv = call((M, "Goedenavond."), (K, "het lekt"), (M, "Maar zit de vlek precies, boven de douche?"))
    assert bundled(conv, "1.1c", "+")  # "waar * precies", the w heard as m


def test_proposing_an_agreement_or_giving_up_is_no_summary_or_open_question():
    """ "Zullen we dat afspreken?" (heard "afstrekken") proposes; "Dan spreken we af dat …" agrees.
    "Daar kan ik niks aan doen" heard as "Maar kan ik niks aan doen" is no open question."""
    first = (M, "Goedemorgen.")
    assert not bundled(call(first, (K, "ja"), (M, "Zullen we dat afstrekken?")), "1.1b", "+")
    assert bundled(call(first, (K, "ja"), (M, "Dan spreken we af dat u zes maanden betaalt.")), "1.1b", "+")
    assert not bundled(call(first, (K, "het is belachelijk"), (M, "Maar kan ik niks aan doen.")), "1.2a", "+")
    assert not bundled(call(first, (K, "kan dat"), (M, "Ik kan het bedrag vervelen over mes manden.")), "1.3b", "+")


def test_an_opening_the_opening_rule_finds_is_no_missing_opening():
    """Both are judged as loosely: "u trakt met Ewa" (u spreekt met) in the first turn."""
    conv = call((M, "Moedemorgen, melk om mee te klanten van Nordkustbank, u trakt met Ewa."), (K, "goedemorgen"))
    assert bundled(conv, "1.1f", "+") and not bundled(conv, "1.1f", "-")
    assert bundled(call((M, "Met Belfort Mobiel."), (K, "goedemorgen")), "1.1f", "-")


def test_matching_by_sound_compares_the_words_as_heard_before_aliases():
    """ "je" reads as "u" for typed chat, but "En ogen lig je" (een ogenblikje) must be compared as heard."""
    conv = call((M, "Goedenavond."), (K, "ja"), (M, "En ogen lig je, ik zet dat in uw gegevens."))
    assert [s.segment_index for s in bundled(conv, "1.1f", "+")][-1] == 2
    chat = [Segment(0, 1, K, "hoi"), Segment(1, 2, M, "Kan ik je verder nog ergens mee helpen?")]
    assert bundled(chat, "1.1d", "+")  # typed: the alias still reads "je" as "u"


def test_the_opening_and_closing_are_turns_not_segments():
    """The recogniser cuts "Goedemiddag, met Witgoed Direct, u spreekt met Rob." in two: the
    opening is the medewerker's first turn, every segment of it."""
    split = call((M, "Rude middach."), (M, "Met, met, hoe direct, u trekt met ro."), (K, "goedemiddag"))
    assert bundled(split, "1.1f", "+") and not bundled(split, "1.1f", "-")
    mono = [heard(0, "spreker", "Rude middach."), heard(2, "spreker", "Met, met, hoe direct, u trekt met ro.")]
    assert not bundled(mono, "1.1f", "+")  # one unattributed voice: each segment is a turn of its own


def test_a_chat_instruction_in_a_call_needs_a_close_match():
    assert not bundled(call((K, "hij kwam niet"), (M, "Die heeft de afstrak niet in de plant.")), "3.1", "+")
    assert bundled([Segment(0, 1, K, "mijn iban is"), Segment(1, 2, M, "Zet uw IBAN niet in de chat.")], "3.1", "+")


def test_a_listening_signal_of_several_words_is_heard_by_sound():
    """ "Ik bereipt het." is "Ik begrijp het." as a whole turn; one short word ("ja") only as written."""
    conv = call((K, "de buren zijn op vakantie"), (M, "Ik bereipt het."), (K, "en de huismeester neemt niet op"))
    assert [s.segment_index for s in bundled(conv, "1.1a", "+")] == [1]
    assert not bundled(call((K, "de buren zijn weg"), (M, "Ik bereipt het niet."), (K, "nee")), "1.1a", "+")
    assert not bundled(call((K, "de buren zijn weg"), (M, "Jo."), (K, "ja")), "1.1a", "+")


def test_a_seven_letter_cue_may_lose_one_sound():
    """ "Dan dragen we of dat …" is "Dan spreken we af dat …": one sound off in seven letters (0.857)."""
    assert find_fuzzy([words("we af dat")], words("dan dragen we of dat u een nummer aanmeldt"), 3) is not None
    assert find_fuzzy([words("u heeft nu")], words("u heeft dus een nieuwe"), 3) is None  # two off: another word
    conv = call((K, "ja dat doe ik"), (M, "Dan dragen we of dat u morgen aanbelt."))
    assert bundled(conv, "1.1b", "+") and bundled(conv, "1.1f", "+")


# --------------------------------------------------------------------------- round 4: toetsterm 2, 1.2d and 3.1 on recognised speech
# Cases from the round-4 tuning calls' own transcripts (tv-storing-drie-keer-slecht, jaarafrekening-energie-goed,
# abonnement-dochter-goed, internet-storing-drie-keer-goed, belrekening-slecht), as the recogniser wrote them.


def test_zeker_or_toch_wel_inside_a_question_heard_without_question_mark_is_steering():
    """ "U heeft de kabel zeker niet goed aangesloten?" comes back as "U heeft het KW neker niet goed
    aan gesloten U" (the next turn's first word attached, no "?"); "U heeft het kastje toch wel
    opnieuw opgestart?" loses its "U" to the segment before."""
    first = (M, "Hoe de morgen, KW net, met Sandra")
    conv = call(first, (K, "ik heb het al drie keer gemeld"), (M, "U heeft het KW neker niet goed aan gesloten U"))
    assert [s.segment_index for s in bundled(conv, "1.2d", "-")] == [2]
    conv = call(first, (K, "dat heeft de monteur gedaan"), (M, "heeft het kastje toch melk opnieuw op gestart Dan"))
    assert [s.segment_index for s in bundled(conv, "1.2d", "-")] == [2]


def test_a_suggestive_question_that_confirms_what_is_known_is_functional():
    """ "…, neem ik aan?" (heard without "?") and "…, dus …, toch?" only confirm a known fact: 1.2d +,
    not the − of a steering question; with blame in it ("zeker", "verkeerd") it stays −."""
    first = (M, "Goedemiddag, met Stroomwijzer Energie, u spreekt met Daan.")
    conv = call(first, (K, "ik moet vierhonderd euro bijbetalen"), (M, "U meldt over de jaraf rekening van deze reek, neem ik aan."))
    assert [s.segment_index for s in bundled(conv, "1.2d", "+")] == [2]
    assert not bundled(conv, "1.2d", "-")
    conv = call(first, (K, "ik bel namens mijn dochter"), (M, "Udoctor, ik melft er klant, mee ons, neem ik aan."))
    assert bundled(conv, "1.2d", "+") and not bundled(conv, "1.2d", "-")
    conv = call(first, (K, "sinds januari"), (M, "De warmtepomp draait dus ook al sinds januari, toch?"))
    assert bundled(conv, "1.2d", "+") and not bundled(conv, "1.2d", "-")
    blame = call(first, (K, "het werkt niet"), (M, "U heeft dus zeker de verkeerde kabel gebruikt, toch?"))
    assert bundled(blame, "1.2d", "-") and not bundled(blame, "1.2d", "+")


@pytest.mark.parametrize(
    "text",
    [
        "Nee, dat moet u zelf doen.",  # leaves the customer to it
        "Dat moet u zelf weer te aanragen.",  # "Dat moet u zelf via de app aanvragen."
        "Zo merkt het nu in Maal bij ons.",  # "Zo werkt het nu eenmaal bij ons", by sound
        "Nou, dan niet.",
    ],
)
def test_leaving_the_customer_to_it_harms_the_goal_of_customer_service(text):
    conv = call((M, "Goedemorgen, met Sandra."), (K, "dit is echt belachelijk"), (M, text))
    assert [s.segment_index for s in bundled(conv, "2", "-")] == [2]


def test_a_limit_followed_by_an_offer_is_no_harm_to_the_image():
    """ "Daar kan ik vanaf hier helaas niets aan doen, maar ik zorg ervoor dat er morgen een monteur komt.\""""
    heard_as = "Daar kan ik van afgeken, helaas niets aan doen, maar ik hoor ervoor dat er morgen ook en monteur mee u langs komt."
    conv = call((M, "Goedemorgen, met Eva."), (K, "mijn internet ligt er weer uit"), (M, heard_as))
    assert not bundled(conv, "2", "-")


def test_a_birth_year_read_out_before_any_verification_is_a_disclosure():
    """ "Uw adres is …, uw geboortedatum is 3 maart 1977" heard as "Uw tares is …, uw geborgenat hem is 3 maart 1977":
    the address and the date are garbled, the year is not."""
    read_out = (M, "Uw tares is blind land, art in småre en uw geborgenat hem is 3 maart 1977.")
    conv = call((M, "Met Welvaart Mobiel."), (K, "ik bel over mijn rekening"), read_out)
    assert [s.segment_index for s in bundled(conv, "3.1", "-")] == [2]
    verified = call(
        (M, "Met Welvaart Mobiel."), (K, "ik bel over mijn rekening"), (M, "Wat is uw klantnummer?"), (K, "vijf vijf twee"), read_out
    )
    assert not bundled(verified, "3.1", "-")
