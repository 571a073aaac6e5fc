"""score_slots and suggested_slot: the date poll's recommendation, without a database."""

from __future__ import annotations

from datetime import date, time

from secretariat.meetings.models import CandidateSlot, score_slots, suggested_slot

# Invitation ids: the chair (must attend) and three others.
CHAIR, A, B, C = 1, 2, 3, 4
EVERYONE = [CHAIR, A, B, C]


def _slot(pk: int, day: date, start: time = time(10), end: time = time(12)) -> CandidateSlot:
    return CandidateSlot(pk=pk, date=day, start_time=start, end_time=end)


MON = _slot(11, date(2026, 11, 30))
TUE = _slot(12, date(2026, 12, 1))
WED = _slot(13, date(2026, 12, 2))


def _answers(table: dict[int, dict[CandidateSlot, str]]) -> dict[tuple[int, int], str]:
    return {
        (invitation, slot.pk): answer
        for invitation, row in table.items()
        for slot, answer in row.items()
    }


def _best(slots, table, must_attend=frozenset({CHAIR}), invited=EVERYONE):
    best = suggested_slot(score_slots(slots, _answers(table), set(must_attend), invited))
    return best.slot if best else None


def test_counts_every_answer_and_who_has_not_answered():
    answers = _answers(
        {
            CHAIR: {MON: "yes", TUE: "maybe"},
            A: {MON: "yes", TUE: "no"},
            B: {MON: "maybe", TUE: "no"},
        }
    )
    mon, tue = score_slots([MON, TUE], answers, {CHAIR}, EVERYONE)
    assert (mon.slot, mon.must_yes, mon.must_maybe) == (MON, 1, 0)
    assert (mon.yes, mon.maybe, mon.no, mon.unanswered) == (2, 1, 0, 1)
    assert (tue.slot, tue.must_yes, tue.must_maybe) == (TUE, 0, 1)
    assert (tue.yes, tue.maybe, tue.no, tue.unanswered) == (0, 1, 2, 1)


def test_answers_of_people_no_longer_invited_do_not_count():
    answers = _answers({A: {MON: "yes"}, 99: {MON: "yes"}})
    [mon] = score_slots([MON], answers, set(), [A, B])
    assert (mon.yes, mon.unanswered) == (1, 1)


def test_the_slot_most_can_attend_is_suggested():
    table = {
        CHAIR: {MON: "yes", TUE: "yes", WED: "yes"},
        A: {MON: "no", TUE: "yes", WED: "yes"},
        B: {MON: "no", TUE: "no", WED: "yes"},
        C: {MON: "yes", TUE: "no", WED: "no"},
    }
    assert _best([MON, TUE, WED], table) == WED


def test_maybe_counts_after_yes():
    table = {
        CHAIR: {MON: "yes", TUE: "yes"},
        A: {MON: "maybe", TUE: "yes"},
        B: {MON: "maybe", TUE: "no"},
    }
    # Tuesday: 2 ○; Monday: 1 ○ and 2 △. ○ comes first.
    assert _best([MON, TUE], table) == TUE


def test_a_slot_without_a_must_attend_member_never_beats_one_with_them():
    table = {
        CHAIR: {MON: "no", TUE: "yes"},
        A: {MON: "yes", TUE: "no"},
        B: {MON: "yes", TUE: "no"},
        C: {MON: "yes", TUE: "no"},
    }
    assert _best([MON, TUE], table) == TUE


def test_a_must_attend_members_maybe_still_beats_their_no():
    table = {
        CHAIR: {MON: "no", TUE: "maybe"},
        A: {MON: "yes", TUE: "no"},
        B: {MON: "yes", TUE: "no"},
    }
    assert _best([MON, TUE], table) == TUE


def test_more_must_attend_members_win_over_a_larger_head_count():
    minister = 5
    table = {
        CHAIR: {MON: "yes", TUE: "yes"},
        minister: {MON: "no", TUE: "maybe"},
        A: {MON: "yes", TUE: "no"},
        B: {MON: "yes", TUE: "no"},
        C: {MON: "yes", TUE: "no"},
    }
    invited = [*EVERYONE, minister]
    assert _best([MON, TUE], table, {CHAIR, minister}, invited) == TUE


def test_a_must_attend_members_yes_beats_their_maybe():
    table = {CHAIR: {MON: "maybe", TUE: "yes"}, A: {MON: "yes", TUE: "no"}}
    assert _best([MON, TUE], table) == TUE


def test_ties_go_to_the_earlier_day():
    table = {CHAIR: {MON: "yes", TUE: "yes", WED: "yes"}, A: {MON: "no", TUE: "yes", WED: "yes"}}
    # Given in any order, Tuesday (earlier than Wednesday) wins the tie.
    assert _best([WED, TUE, MON], table) == TUE
    assert _best([TUE, WED, MON], table) == TUE


def test_ties_on_one_day_go_to_the_earlier_time():
    morning = _slot(21, date(2026, 12, 1), time(10), time(12))
    afternoon = _slot(22, date(2026, 12, 1), time(14), time(16))
    table = {CHAIR: {morning: "yes", afternoon: "yes"}}
    assert _best([afternoon, morning], table) == morning


def test_no_slots_no_suggestion():
    assert suggested_slot([]) is None
    assert _best([], {}) is None


def test_without_answers_the_earliest_slot_is_suggested():
    assert _best([WED, MON, TUE], {}) == MON
