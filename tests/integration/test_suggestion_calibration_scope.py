"""A suggestion decision belongs to where it was made: the exam, or one calibration assessment.

Decisions were kept per examiner and gesprek only, so an examiner who had rejected or accepted
suggestions in an exam saw them gone in a blind calibration of the same gesprek (and one made in
a calibration hid the suggestion in the exam and in the next session): calibration must stay
out of operational results, and each blind assessment starts from the same proposals."""

from ksf_review.services import calibration as cal
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services import suggestions as sugg
from ksf_review.services.users import get_or_create_user
from tests.integration.test_suggestion_bulk import CHAT


def _keys(props) -> set[str]:
    return {p.key for p in props}


def test_decisions_in_the_exam_and_in_each_calibration_stay_apart(any_ctx):  # migrated SQLite and PostgreSQL
    ctx = any_ctx
    coby = get_or_create_user(ctx, "coby", "coordinator", "Coby")
    bert = get_or_create_user(ctx, "bert", "examinator", "Bert")
    exam = exams.create_exam(ctx, coby, "Kandidaat")
    c = convs.add_text_conversation(ctx, coby, exam.id, CHAT, channel="chat")
    everything = _keys(sugg.proposals(ctx, coby, c.id))
    first, second = sorted(everything)[:2]

    by_key = {p.key: p for p in sugg.proposals(ctx, coby, c.id)}
    sugg.reject(ctx, coby, c.id, by_key[first])  # in the exam
    assert first not in _keys(sugg.proposals(ctx, coby, c.id))

    one = cal.create_session(ctx, coby, "Sessie 1", [coby.id, bert.id], exam_id=exam.id)
    aid = cal.my_assessment(ctx, coby, one.id)
    assert _keys(sugg.proposals(ctx, coby, c.id, assessment_id=aid)) == everything  # blind: a fresh start
    assert sugg.rejected(ctx, coby, c.id, assessment_id=aid) == []
    sugg.reject(ctx, coby, c.id, by_key[second], assessment_id=aid)
    assert [p.key for p in sugg.rejected(ctx, coby, c.id, assessment_id=aid)] == [second]

    assert second in _keys(sugg.proposals(ctx, coby, c.id))  # the exam does not see the calibration's
    assert [p.key for p in sugg.rejected(ctx, coby, c.id)] == [first]
    two = cal.create_session(ctx, coby, "Sessie 2", [coby.id, bert.id], exam_id=exam.id)
    assert _keys(sugg.proposals(ctx, coby, c.id, assessment_id=cal.my_assessment(ctx, coby, two.id))) == everything
