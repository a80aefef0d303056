from ksf_review.domain.segmentation import MAX_SEGMENT, collapse_repetitions, split_utterances
from ksf_review.domain.transcript import Segment, Word


def seg(words, speaker="klant"):
    ws = tuple(Word(a, b, w, 0.9) for a, b, w in words)
    return Segment(ws[0].start, ws[-1].end, speaker, "".join(w for _, _, w in words).strip(), 1, ws)


def test_loop_is_collapsed_to_first_occurrence():
    words = [(0.0, 0.3, " Ik"), (0.3, 0.6, " ben"), (0.6, 0.9, " nu")] + [(1.0 + i * 0.2, 1.15 + i * 0.2, " m'n") for i in range(20)]
    out = collapse_repetitions(seg(words))
    assert out.text == "Ik ben nu m'n"
    assert len(out.words) == 4 and out.end == 1.15


def test_phrase_loops_and_normal_repeats():
    loop = [(i * 0.5, i * 0.5 + 0.2, w) for i, w in enumerate([" dank", " u", " dank", " u", " dank", " u", " dank", " u."])]
    assert collapse_repetitions(seg(loop)).text == "dank u"
    normal = [(0, 0.2, " ja"), (0.3, 0.5, " ja,"), (0.6, 0.8, " klopt")]  # "ja ja" is real speech: kept
    assert collapse_repetitions(seg(normal)).text == "ja ja, klopt"


def test_text_only_segment():
    s = Segment(0, 5, "klant", "hallo hallo hallo hallo daar", 1)
    assert collapse_repetitions(s).text == "hallo daar"


def test_split_at_pauses_sentences_and_length():
    words = [
        (0.0, 0.4, " Goedemiddag."),
        (0.7, 1.0, " Wat"),
        (1.0, 1.3, " kan"),
        (1.3, 1.6, " ik"),
        (1.6, 2.0, " doen?"),
        (3.5, 3.8, " Hallo"),
    ]
    parts = split_utterances(seg(words, "medewerker"))
    assert [p.text for p in parts] == ["Goedemiddag.", "Wat kan ik doen?", "Hallo"]
    long = [(i * 0.5, i * 0.5 + 0.4, " woord") for i in range(80)]  # 40 s without a pause
    assert all(p.end - p.start <= MAX_SEGMENT for p in split_utterances(seg(long)))


def test_loop_inside_one_token():
    s = seg([(0.0, 0.3, " Fijn."), (0.5, 9.0, " nilfnilfnilfnilfnilfnilf")])
    assert collapse_repetitions(s).text == "Fijn. nilf"
    assert collapse_repetitions(seg([(0, 1, " hahaha")])).text == "hahaha"  # 3 repeats: real laughter stays


def test_a_whole_sentence_in_a_loop_is_cut():
    """A decoder stuck at the end of a call repeated "Ik heb dat niet gemeld." twenty times (five words)."""
    sentence = [" Ik", " heb", " dat", " niet", " gemeld."]
    loop = [(i * 0.2, i * 0.2 + 0.1, w) for i, w in enumerate(sentence * 20)]
    assert collapse_repetitions(seg(loop)).text == "Ik heb dat niet gemeld."
    twice = [(i * 0.2, i * 0.2 + 0.1, w) for i, w in enumerate(sentence * 2)]  # said twice: real speech, kept
    assert collapse_repetitions(seg(twice)).text == "Ik heb dat niet gemeld. Ik heb dat niet gemeld."
