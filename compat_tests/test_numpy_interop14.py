"""NumPy and tensors together, as torch's tensors behave (found by running ModuleInfo's samples, whose harness turned
tensors requiring grad into arrays):

- **NumPy scalars as numbers** (``t * np.float32(2)``, ``np.int64(1) + t``, ``torch.add(t, np.uint8(3))``...): torch's
  parser reads a NumPy integer as an int64 and any other NumPy scalar through ``float()`` (a ``np.bool_`` is 1.0; a
  complex64 loses its imaginary part with NumPy's ComplexWarning; a complex128, a Python complex, stays complex);
  an unsigned integer past int64 is refused. minitorch refused them all where a Tensor or a number was expected.
- **``np.asarray(t)`` is ``t.numpy()``**: a tensor that requires grad is refused (minitorch gave its array), and
  torch's ``__array__`` takes no ``copy``, so NumPy 2 warns and ``np.array(t, copy=False)`` refuses.
- **NumPy functions on a tensor return a tensor** (``np.exp(t)``, ``np.isnan(t)`` as uint8, ``np.argmax(t)``): torch's
  ``__array_wrap__``, with NumPy 2's DeprecationWarning about its signature.
- **Indexing with NumPy scalars**: a ``np.bool_`` or NumPy float is refused, named ``numpy.<type>``.
- **An unexpected keyword** is named by the parameters' own names, not their NumPy aliases (``np.sum(t)`` passes
  ``axis``, which torch names).
- **Arrays inside nested data are sequences** (``torch.tensor([[1., 2.], np.ones(2)])``, a tensor where a row belongs
  too): minitorch refused them as rows, took a 0-d array for a number where torch's ``len`` fails, and did not warn
  (once) how slow it is.
- **An array taken whole** (``tensor``, ``as_tensor``, ``from_numpy``): negative strides and a non-native byte order
  are refused with torch's ValueErrors (minitorch copied the first and refused the second as a dtype), and a
  read-only array shared with a tensor warns once.
- **A tensor requiring grad read as a number** warns (once a process) only with grad mode on: ``float(loss)`` under
  no_grad (as LBFGS's step does, found by test_optiminfo) said it and used up the once; ``complex(t)`` warns too.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from script_runs import run_python
from transcript import check_scenario

NUMBERS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "float32_right": lambda T, t, i: t + np.float32(1.5),
    "float32_left": lambda T, t, i: np.float32(2) * t,
    "int64_on_int": lambda T, t, i: i + np.int64(1),
    "int64_left": lambda T, t, i: np.int64(1) + i,
    "float32_on_int": lambda T, t, i: i * np.float32(1.5),
    "float16_on_int": lambda T, t, i: np.float16(1.5) * i,
    "complex64": lambda T, t, i: t + np.complex64(1j),
    "complex128": lambda T, t, i: t + np.complex128(1j),
    "bool_": lambda T, t, i: np.bool_(True) * i,
    "uint8_sub": lambda T, t, i: np.uint8(3) - i,
    "int32_div": lambda T, t, i: np.int32(2) / t,
    "function": lambda T, t, i: T.mul(t, np.int64(3)),
    "alpha": lambda T, t, i: i.add(i, alpha=np.int64(2)),
    "inplace": lambda T, t, i: t.clone().__iadd__(np.float32(1)),
    "uint8_tensor_wraps": lambda T, t, i: T.tensor([3], dtype=T.uint8) + np.int64(-1),
    "past_int64": lambda T, t, i: T.mul(i, np.uint64(2 ** 63)),
    "fill_complex128": lambda T, t, i: t.clone().fill_(np.complex128(2 + 1j)),
    "full_bool_": lambda T, t, i: T.full((2,), np.bool_(True)),
    "full_complex64": lambda T, t, i: T.full((2,), np.complex64(1 + 1j)),
}


@pytest.mark.parametrize("name", NUMBERS)
def test_numpy_scalars_as_numbers(name: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        t, i = T.tensor([1.0, 2.0]), T.tensor([1, 2])
        log.attempt(lambda: NUMBERS[name](T, t, i))
    check_scenario(scenario)


ARRAYS: dict[str, Callable[[Any, Any], Any]] = {
    "asarray": lambda T, x: np.asarray(x),
    "array_dtype": lambda T, x: np.array(x, dtype=np.float64),
    "array_no_copy": lambda T, x: np.array(x, copy=False),
    "ufunc": lambda T, x: np.exp(x),
    "ufunc_bool": lambda T, x: np.isnan(x),
    "argmax": lambda T, x: np.argmax(x),
    "sum": lambda T, x: np.sum(x),
    "array_plus_tensor": lambda T, x: x + np.ones(2),
    "bfloat16": lambda T, x: np.asarray(x.to(T.bfloat16)),
}


def _comparable(result: Any) -> Any:
    """An ndarray as its dtype and values (the transcript compares tensors and Python values)."""
    return (str(result.dtype), result.tolist()) if isinstance(result, np.ndarray) else result


@pytest.mark.parametrize("requires_grad", [False, True])
@pytest.mark.parametrize("name", ARRAYS)
def test_numpy_functions_on_tensors(name: str, requires_grad: bool) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor([1.0, 2.0], requires_grad=requires_grad)
        result = log.attempt(lambda: _comparable(ARRAYS[name](T, x)))
        log(type(result).__name__)  # an array, or a tensor brought back by __array_wrap__
    check_scenario(scenario)


@pytest.mark.parametrize("key", [np.bool_(True), np.float32(1), np.float64(1), np.complex128(1), np.int64(-1),
                                 np.uint8(1)], ids=repr)
def test_numpy_scalar_indices(key: Any) -> None:
    check_scenario(lambda T, log: log.attempt(lambda: T.tensor([1.0, 2.0])[key]))


_SCALAR_READS = """
import warnings
import {lib} as T
warnings.simplefilter("always")
t = T.tensor(2.0, requires_grad=True) * 2
for step, read in [("no_grad", lambda: float(t)), ("inference", lambda: float(t)), ("sequence", lambda: T.tensor([t])),
                   ("complex", lambda: complex(t)), ("float", lambda: float(t))]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        context = T.no_grad() if step == "no_grad" else T.inference_mode() if step == "inference" else T.enable_grad()
        with context:
            read()
    print(step, [str(w.message)[:40] for w in caught])
"""


@pytest.mark.parametrize("first", ["complex", "sequence"])
def test_requires_grad_scalar_warning_needs_grad_mode(first: str) -> None:
    script = _SCALAR_READS.replace('("complex", lambda: complex(t)), ', "" if first == "sequence" else "")
    outputs = [run_python(["-c", script.format(lib=lib)]) for lib in ("torch", "minitorch")]
    assert outputs[1].returncode == 0, outputs[1].stderr
    assert outputs[0].stdout == outputs[1].stdout


NESTED: dict[str, Callable[[Any], Any]] = {
    "list_then_array": lambda T: [[1.0, 2.0], np.ones(2)],
    "array_then_list": lambda T: [np.ones(2), [1.0, 2.0]],
    "list_then_tensor": lambda T: [[1.0, 2.0], T.ones(2)],
    "tensor_then_list": lambda T: [T.ones(2), [1.0, 2.0]],
    "arrays_2d": lambda T: [np.ones((2, 2))],
    "array_too_long": lambda T: [[1.0, 2.0], np.ones(3)],
    "float32_rows": lambda T: [np.ones(2, np.float32)],
    "zero_d_arrays": lambda T: [np.array(1.5), np.array(2)],
    "scalar_then_array": lambda T: [np.float64(1), np.ones(2)],
    "array_then_scalar": lambda T: [np.ones(2), 1.0],
    "array_too_short": lambda T: [[[1.0, 2.0]], np.ones(2)],
    "array_too_deep": lambda T: [[1.0], np.ones((1, 1))],
    "tensor_2d_row": lambda T: [[[1.0, 2.0]], T.ones(1, 2)],
    "zero_d_tensor_row": lambda T: [[1.0], T.tensor(1.0)],
    "int_array_in_floats": lambda T: [[1.5, 2.5], np.array([1, 2])],
    "object_array": lambda T: [[1.0, 2.0], np.array([1.0, 2.0], dtype=object)],
    "negative_stride": lambda T: np.arange(3.0)[::-1],
    "negative_stride_in_list": lambda T: [np.arange(3.0)[::-1]],
    "big_endian": lambda T: np.ones(2, ">f4"),
    "big_endian_in_list": lambda T: [np.ones(2, ">f4")],
    "object_negative_stride": lambda T: np.array([1, "a", 2], dtype=object)[::-1],
}


@pytest.mark.parametrize("make", ["tensor", "as_tensor", "from_numpy"])
@pytest.mark.parametrize("name", NESTED)
def test_arrays_in_data(name: str, make: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        warnings.simplefilter("ignore")  # (the once-a-process warnings are test_numpy_warnings_once's)
        log.attempt(lambda: getattr(T, make)(NESTED[name](T)))
    check_scenario(scenario)


_ONCE = """
import warnings
import numpy as np
import {lib} as T
warnings.simplefilter("always")
read_only = np.arange(3.0)
read_only.flags.writeable = False
for step, make in [("copy", lambda: T.tensor(read_only)), ("shared", lambda: T.as_tensor(read_only)),
                   ("again", lambda: T.from_numpy(read_only)), ("list", lambda: T.tensor([np.ones(2)])),
                   ("list_again", lambda: T.tensor((np.ones(2), np.ones(2)))),
                   ("zero_d", lambda: T.tensor([np.array(1.0)])),
                   ("zero_d_later", lambda: T.tensor([1.0, np.array(2)]))]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            make()
        except TypeError as e:
            print(e)
    print(step, [str(w.message)[:50] for w in caught])
"""


@pytest.mark.parametrize("first", ["read_only", "zero_d_later"])
def test_numpy_warnings_once(first: str) -> None:
    script = _ONCE if first == "read_only" else _ONCE.replace('("list", lambda: T.tensor([np.ones(2)])), ', "")
    outputs = [run_python(["-c", script.format(lib=lib)]) for lib in ("torch", "minitorch")]
    assert outputs[1].returncode == 0, outputs[1].stderr
    assert outputs[0].stdout == outputs[1].stdout
