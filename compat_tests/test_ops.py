"""Every op-table case, differential against torch: values, dtypes, shapes, errors, grads, 2nd order."""
import pytest
from hypothesis import given, strategies as st

from harness import check
from op_table import all_cases

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@given(data=st.data())
def test_op(case, data):
    dtype = data.draw(st.sampled_from(case.dtypes), label="dtype")
    inputs = case.draw_inputs(data.draw, dtype)
    check(case.fn, inputs, grad=case.grad, second_order=case.second_order and dtype == "float64",
          rtol=case.rtol, atol=case.atol)
