"""The workflow table, checked for every state × action × role."""
from __future__ import annotations

import itertools

import pytest

from workflows import machine
from workflows.machine import (
    ACTIONS,
    NEW,
    ROLES,
    STATES,
    TRANSITIONS,
    CommentRequired,
    Forbidden,
    UnknownAction,
    WrongState,
    fire,
)

EXPECTED = {
    # (state, action): (next state, roles that may fire it, reason required)
    (NEW, "register"): ("registered", {"unit_staff", "police"}, False),
    ("registered", "submit_report"): ("report_submitted", {"unit_staff"}, False),
    ("report_submitted", "submit_report"): ("report_submitted", {"unit_staff"}, False),
    ("returned", "submit_report"): ("report_submitted", {"unit_staff"}, False),
    ("report_submitted", "correct_fields"): ("report_submitted", {"unit_staff", "police"}, False),
    ("returned", "correct_fields"): ("returned", {"unit_staff"}, False),
    ("returned", "resubmit"): ("report_submitted", {"unit_staff"}, False),
    ("report_submitted", "forward"): ("under_appraisal", {"police"}, False),
    ("report_submitted", "return"): ("returned", {"police"}, True),
    ("under_appraisal", "return"): ("returned", {"vhxh"}, True),
    ("under_appraisal", "appraise"): ("appraised", {"vhxh"}, False),
    ("appraised", "approve"): ("approved", {"chairman"}, False),
    ("appraised", "reject"): ("rejected", {"chairman"}, True),
}


@pytest.mark.parametrize("state,action,role", list(itertools.product((NEW,) + STATES, ACTIONS, ROLES)))
def test_every_state_action_and_role_gives_the_expected_outcome(state, action, role):
    expected = EXPECTED.get((state, action))
    may_ever = any(role in roles for (_, a), (_, roles, _) in EXPECTED.items() if a == action)
    if not may_ever:
        with pytest.raises(Forbidden):
            fire(state, action, role, comment="lý do")
    elif expected is None:
        with pytest.raises(WrongState):
            fire(state, action, role, comment="lý do")
    elif role not in expected[1]:
        with pytest.raises(Forbidden):
            fire(state, action, role, comment="lý do")
    else:
        assert fire(state, action, role, comment="lý do") == expected[0]


def test_the_table_is_exactly_the_documented_process():
    assert {k: (v.to, set(v.roles), v.needs_comment) for k, v in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize("state,action,role", [
    ("report_submitted", "return", "police"), ("under_appraisal", "return", "vhxh"),
    ("appraised", "reject", "chairman")])
@pytest.mark.parametrize("comment", [None, "", "   "])
def test_returning_and_rejecting_need_a_reason(state, action, role, comment):
    with pytest.raises(CommentRequired):
        fire(state, action, role, comment)


def test_an_unknown_action_is_refused():
    with pytest.raises(UnknownAction):
        fire("registered", "delete", "admin")


def test_the_admin_fires_no_workflow_action():
    assert all(machine.allowed_actions(s, "admin") == [] for s in (NEW,) + STATES)


def test_approved_and_rejected_are_final():
    for state in ("approved", "rejected"):
        assert all(machine.allowed_actions(state, r) == [] for r in ROLES)


def test_allowed_actions_lists_what_fire_accepts():
    for state, role in itertools.product((NEW,) + STATES, ROLES):
        for action in machine.allowed_actions(state, role):
            assert fire(state, action, role, comment="x")


def test_state_messages_are_vietnamese_and_name_the_state():
    with pytest.raises(WrongState) as exc:
        fire("registered", "appraise", "vhxh")
    assert "Đã đăng ký" in exc.value.message
