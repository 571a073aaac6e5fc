import pytest

from exports.kana import gojuon_key, is_kana_reading, person_sort_key, to_hiragana


def gojuon_sorted(readings: list[str]) -> list[str]:
    return sorted(readings, key=gojuon_key)


@pytest.mark.parametrize(
    "text",
    [
        "おおたに",
        "オオタニ",
        "おお たに",
        "おお\u3000たに",
        "  おおたに  ",
        "ヴァン・ゴッホ",
        "こーひー",
        "ぁぃぅぇぉっゃゅょゎ",
        "か\u3099とう",
    ],
)
def test_is_kana_reading_accepts(text: str) -> None:
    assert is_kana_reading(text)


@pytest.mark.parametrize(
    "text",
    [
        "大谷",
        "Otani",
        "",
        "   ",
        "\u3000",
        "ｵｵﾀﾆ",
        "おおたに1",
        "おおたに（こ）",
        "おお\tたに",
        "ゝ",
    ],
)
def test_is_kana_reading_rejects(text: str) -> None:
    assert not is_kana_reading(text)


def test_to_hiragana() -> None:
    assert to_hiragana("ハセガワ") == "はせがわ"
    assert to_hiragana("ァヴヵヶ") == "ぁゔゕゖ"
    assert to_hiragana("コーヒー・大谷 abc") == "こーひー・大谷 abc"
    # ヷ-ヺ (U+30F7–U+30FA) have no hiragana counterpart.
    assert to_hiragana("ヷ") == "ヷ"
    assert to_hiragana("ｵｵﾀﾆ") == "ｵｵﾀﾆ"


def test_voiced_kana_do_not_jump_past_plain_ones() -> None:
    # Code-point order puts ごとう after こんどう.
    assert gojuon_sorted(["こんどう", "こばやし", "ごとう"]) == ["ごとう", "こばやし", "こんどう"]


def test_handakuten_is_ignored_at_primary_level() -> None:
    # ぱく → はく, はせがわ → はせかわ, and はく < はせかわ < はら.
    assert gojuon_sorted(["はら", "はせがわ", "ぱく"]) == ["ぱく", "はせがわ", "はら"]


def test_katakana_sorts_with_hiragana() -> None:
    assert gojuon_key("ハセガワ")[:3] == gojuon_key("はせがわ")[:3]
    assert gojuon_sorted(["ハセガワ", "はら", "はく"]) == ["はく", "ハセガワ", "はら"]
    # Equal up to the script: the original string decides, hiragana first.
    assert gojuon_sorted(["ハセガワ", "はせがわ"]) == ["はせがわ", "ハセガワ"]


def test_examples_in_order() -> None:
    expected = ["さかきばら", "たかぎ", "たかとり", "たかはし"]
    assert gojuon_sorted(list(reversed(expected))) == expected
    expected = ["あだち", "たけやま", "もりもと"]
    assert gojuon_sorted(["もりもと", "あだち", "たけやま"]) == expected


def test_long_vowel_mark() -> None:
    assert gojuon_key("こーひー")[0] == "こおひい"
    assert gojuon_key("コーヒー")[0] == "こおひい"
    assert gojuon_key("きょーこ")[0] == "きよおこ"
    assert gojuon_key("らーめん")[0] == "らあめん"
    assert gojuon_key("がーでん")[0] == "かあてん"
    assert gojuon_key("ぱーく")[0] == "はあく"
    assert gojuon_key("ふぁー")[0] == "ふああ"
    assert gojuon_key("にゃーー")[0] == "にやああ"
    assert gojuon_key("うんー")[0] == "うんん"
    # ろーま reads ろおま, so it sorts after ろおた (code points put ー after every kana).
    assert gojuon_sorted(["ろーま", "ろおた"]) == ["ろおた", "ろーま"]
    assert gojuon_sorted(["コーヒー", "こうちゃ"]) == ["こうちゃ", "コーヒー"]


def test_small_kana_tie_break() -> None:
    assert gojuon_key("きょう")[0] == gojuon_key("きよう")[0] == "きよう"
    assert gojuon_sorted(["きよう", "きょう"]) == ["きょう", "きよう"]
    assert gojuon_sorted(["はつた", "はった"]) == ["はった", "はつた"]
    # The primary level still decides first.
    assert gojuon_sorted(["きよか", "きょうこ"]) == ["きょうこ", "きよか"]


def test_voicing_tie_break() -> None:
    assert gojuon_sorted(["ぱし", "はじ", "ばし", "はし"]) == ["はし", "はじ", "ばし", "ぱし"]
    # Voicing matters only between readings with the same primary key.
    assert gojuon_sorted(["はしら", "はじ"]) == ["はじ", "はしら"]
    assert gojuon_sorted(["はかせ", "ばか"]) == ["ばか", "はかせ"]


def test_small_tie_break_comes_before_voicing() -> None:
    # Same primary (しやう); the small ゃ decides before the voicing of じ.
    assert gojuon_sorted(["しやう", "じゃう"]) == ["じゃう", "しやう"]


def test_vu_and_small_ka() -> None:
    assert gojuon_key("ヴぃ")[0] == gojuon_key("ゔぃ")[0] == "うい"
    assert gojuon_key("ヴぃ")[2] == (1, 0)
    assert gojuon_key("ゕ")[0] == "か"
    assert gojuon_key("ヷ")[0] == "わ"


def test_spaces_and_middle_dot_ignored() -> None:
    assert gojuon_key("おお たに")[:3] == gojuon_key("おおたに")[:3]
    assert gojuon_key("おお\u3000たに")[:3] == gojuon_key("おおたに")[:3]
    assert gojuon_key("まいける・じょーだん")[0] == "まいけるしよおたん"


def test_nfkc_half_width_and_decomposed_input() -> None:
    assert gojuon_key("ｵｵﾀﾆ")[:3] == gojuon_key("おおたに")[:3]
    assert gojuon_key("ﾊﾟｸ")[:3] == gojuon_key("ぱく")[:3]
    assert gojuon_key("か\u3099とう")[:3] == gojuon_key("がとう")[:3]


def test_original_string_is_last_tie_breaker() -> None:
    key = gojuon_key("ハセガワ")
    assert key[-1] == "ハセガワ"
    assert gojuon_key("おお たに") != gojuon_key("おおたに")


def test_key_is_deterministic_and_total() -> None:
    readings = ["はし", "ハシ", "はじ", "ばし", "ぱし", "はっし", "はつし", "はーし", "は し"]
    once = gojuon_sorted(readings)
    assert gojuon_sorted(list(reversed(readings))) == once
    assert len({gojuon_key(r) for r in readings}) == len(readings)


def test_person_sort_key() -> None:
    people = [
        ("たかはし", "いちろう"),
        ("たかはし", "あきこ"),
        ("ごとう", "けん"),
        ("こばやし", "あい"),
        ("タカギ", "じろう"),
    ]
    assert sorted(people, key=lambda p: person_sort_key(*p)) == [
        ("ごとう", "けん"),
        ("こばやし", "あい"),
        ("タカギ", "じろう"),
        ("たかはし", "あきこ"),
        ("たかはし", "いちろう"),
    ]
    assert person_sort_key("ごとう", "けん") == (gojuon_key("ごとう"), gojuon_key("けん"))


def test_family_name_before_given_name() -> None:
    # A shorter family name sorts first whatever the given name.
    assert person_sort_key("たか", "わたる") < person_sort_key("たかぎ", "あい")
