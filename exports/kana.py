"""Kana readings (ふりがな): validation and 五十音順 sort keys.

Spec: shared/notes/japanese-conventions.md §6. Sorting approximates JIS X 4061, because
code-point order puts katakana after all hiragana and ご after こん.
"""

import unicodedata

__all__ = ["GojuonKey", "gojuon_key", "is_kana_reading", "person_sort_key", "to_hiragana"]

# (primary, small-vs-plain per kana, voicing per kana, original text)
GojuonKey = tuple[str, tuple[int, ...], tuple[int, ...], str]

_SPACES = " \u3000"
_MIDDLE_DOT = "・"
_LONG_MARK = "ー"
_DAKUTEN = "\u3099"  # combining voiced sound mark
_HANDAKUTEN = "\u309a"  # combining semi-voiced sound mark

# Small kana → full size (hiragana only: katakana is converted first).
_FULL_SIZE = dict(zip("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ", strict=True))

# Vowel of each full-size, unvoiced hiragana, for replacing ー.
_VOWELS = {
    kana: vowel
    for vowel, column in (
        ("あ", "あかさたなはまやらわ"),
        ("い", "いきしちにひみりゐ"),
        ("う", "うくすつぬふむゆる"),
        ("え", "えけせてねへめれゑ"),
        ("お", "おこそとのほもよろを"),
    )
    for kana in column
}

# Tie-break ranks: small kana sort before plain ones, and plain < 濁音 < 半濁音.
_SMALL, _PLAIN = 0, 1
_UNVOICED, _VOICED, _SEMI_VOICED = 0, 1, 2


def _is_kana(ch: str) -> bool:
    # ぁ..ゖ and ァ..ヺ (incl. ヴ, ヷ-ヺ); excludes iteration marks and half-width katakana.
    return "\u3041" <= ch <= "\u3096" or "\u30a1" <= ch <= "\u30fa"


def is_kana_reading(text: str) -> bool:
    """True if ``text`` is a non-empty reading in full-width kana.

    Allowed: hiragana, katakana, ー, ・ and ASCII/full-width spaces. NFC is applied so that
    decomposed input (e.g. pasted from macOS) is accepted; half-width katakana is rejected
    because staff should enter full-width.
    """
    stripped = unicodedata.normalize("NFC", text).strip()
    return bool(stripped) and all(
        _is_kana(ch) or ch in _SPACES or ch in (_LONG_MARK, _MIDDLE_DOT) for ch in stripped
    )


def to_hiragana(text: str) -> str:
    """Convert katakana U+30A1–U+30F6 to hiragana; leave every other character unchanged."""
    return "".join(chr(ord(ch) - 0x60) if "\u30a1" <= ch <= "\u30f6" else ch for ch in text)


def gojuon_key(reading: str) -> GojuonKey:
    """Return a 五十音順 sort key approximating JIS X 4061.

    Primary: katakana as hiragana, 濁点/半濁点 removed, small kana full-size, ー as the
    preceding kana's vowel, spaces and ・ ignored. Ties: small before plain, then
    plain < 濁音 < 半濁音, then the original string.
    """
    bases: list[str] = []
    sizes: list[int] = []
    voicing: list[int] = []
    # NFKD = NFKC then NFD: half-width kana become full-width, and every 濁点 becomes a
    # combining mark after its base kana (ヷ-ヺ become ワ-ヲ, so convert to hiragana after).
    for ch in to_hiragana(unicodedata.normalize("NFKD", reading)):
        if ch in _SPACES or ch == _MIDDLE_DOT:
            continue
        if ch in (_DAKUTEN, _HANDAKUTEN):
            if voicing:
                voicing[-1] = _VOICED if ch == _DAKUTEN else _SEMI_VOICED
            continue
        if ch == _LONG_MARK and bases:
            # ー lengthens the preceding kana's vowel; after ん it lengthens ん itself.
            ch = "ん" if bases[-1] == "ん" else _VOWELS.get(bases[-1], ch)
        sizes.append(_SMALL if ch in _FULL_SIZE else _PLAIN)
        bases.append(_FULL_SIZE.get(ch, ch))
        voicing.append(_UNVOICED)
    return "".join(bases), tuple(sizes), tuple(voicing), reading


def person_sort_key(family_kana: str, given_kana: str) -> tuple[GojuonKey, GojuonKey]:
    """Sort key for people: family-name reading, then given-name reading."""
    return gojuon_key(family_kana), gojuon_key(given_kana)
