"""A finding several rules derive cites each provision once, naming a document or chapter only
where it changes."""

import pytest

from pos_logic.explain.citations import combine


@pytest.mark.parametrize("cites, combined", [
    (["Contract Manual ch. 10 §II.A.1.b", "Contract Manual ch. 10 §II.A.1.b; §V.E"],
     "Contract Manual ch. 10 §II.A.1.b; §V.E"),
    (["Contract Manual ch. 4 §I, §II.G.1.b, d", "Contract Manual ch. 4 §II.G.2.b"],
     "Contract Manual ch. 4 §I, §II.G.1.b, d; §II.G.2.b"),
    (["Contract Manual ch. 3 §I.A.1; ch. 10 §III.C.3", "Contract Manual ch. 7 §II.F.1.a"],
     "Contract Manual ch. 3 §I.A.1; ch. 10 §III.C.3; ch. 7 §II.F.1.a"),
    (["Contract Manual ch. 2 §II.A.4.a; A.C.A. § 19-5-103", "A.C.A. § 19-11-203(14)"],
     "Contract Manual ch. 2 §II.A.4.a; A.C.A. § 19-5-103; § 19-11-203(14)"),
    (["Contract Manual ch. 1 (bullets 1-2)", "Act 1814 of 2003", "Contract Manual ch. 1 (bullets 1-2)"],
     "Contract Manual ch. 1 (bullets 1-2); Act 1814 of 2003"),
    (["C.G.S. § 4-70b(c)", "Contract Manual ch. 4 §II.B"], "C.G.S. § 4-70b(c); Contract Manual ch. 4 §II.B"),
    ([], ""),
])
def test_citations_combine_without_repeating(cites, combined):
    assert combine(cites) == combined


def test_a_part_that_continues_another_document_keeps_its_own_document():
    """A bare "§V.E" belongs to the document before it in its own citation, even when that
    part is dropped as a repeat."""
    assert combine(["Financial Guidelines §3", "Contract Manual ch. 10 §II; §V.E",
                    "Financial Guidelines §4"]) == \
        "Financial Guidelines §3; Contract Manual ch. 10 §II; §V.E; Financial Guidelines §4"
