"""Checking a person's correction of the extracted fields."""
from __future__ import annotations

import pytest

from workflows.errors import Invalid
from workflows.fields import clean, clean_targets, empty


def test_a_full_correction_is_normalised_to_nfc_and_single_spaces():
    raw = empty() | {"issuer": "TRƯỜNG THCS  PHƯỢNG TIẾN", "issue_date": "2026-10-25", "period_year": "2026",
                     "self_rating": "Khá", "antt_standard": True,
                     "metrics": {"propaganda_participants": "1.250"},
                     "nominees": [{"name": "Hoàng Minh Hải", "kind": "individual", "position": "Giáo viên"}]}
    out = clean(raw)
    assert out["issuer"] == "TRƯỜNG THCS PHƯỢNG TIẾN"
    assert out["period_year"] == 2026 and out["metrics"]["propaganda_participants"] == 1250
    assert out["metrics"]["incidents"] is None
    assert out["nominees"] == [{"name": "Hoàng Minh Hải", "kind": "individual", "position": "Giáo viên",
                                "award": None}]


@pytest.mark.parametrize("raw,field", [
    ({"colour": "red"}, "colour"),
    ({"issue_date": "25/10/2026"}, "issue_date"),
    ({"self_rating": "Tốt"}, "self_rating"),
    ({"metrics": {"incidents": -1}}, "metrics.incidents"),
    ({"antt_standard": "có"}, "antt_standard"),
    ({"nominees": [{"name": "", "kind": "individual"}]}, "nominees[0].name"),
    ({"nominees": [{"name": "A", "kind": "team"}]}, "nominees[0].kind"),
])
def test_invalid_values_name_the_field(raw, field):
    with pytest.raises(Invalid) as exc:
        clean(raw)
    assert exc.value.field == field


def test_targets_accept_only_metric_keys_and_non_negative_integers():
    assert clean_targets({"models_count": 2}) == {"models_count": 2}
    for bad in ({"cups": 1}, {"models_count": -1}, {"models_count": True}, {"models_count": "2"}):
        with pytest.raises(Invalid):
            clean_targets(bad)


def test_the_extractor_reads_exactly_the_metrics_the_workflow_keeps_in_order():
    """extractors/ imports nothing of the rest, so it keeps its own list: it must stay the workflow's."""
    from extractors.model import METRIC_KEYS
    from workflows.fields import METRICS

    assert METRIC_KEYS == METRICS
