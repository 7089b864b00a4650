"""Tensor creation, dtype inference, metadata, conversion to Python/NumPy, and their errors."""
import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs, check, check_error



DATA = [
    1.5, 3, True, [1, 2, 3], [1.0, 2], [True, False], [True, 2], [[1, 2], [3, 4]], [[1.5], [2.5]], [],
    [[]], np.array([1, 2], dtype=np.int32), np.array([1.5], dtype=np.float64), np.array(True),
    np.array([[1, 2]], dtype=np.uint8), np.array([1], dtype=np.int16), np.float32(2.5), [np.int64(3)],
    [np.float64(1)], [1.0, np.float64(2)], [np.int32(1), np.int32(2)], [1, np.int32(2)], np.int32(3),
    [True, np.int8(3)],
]


@pytest.mark.parametrize("data", DATA, ids=[repr(d) for d in DATA])
def test_tensor_infers_dtype(data):
    # the data passes through a closure: the harness would turn a bare ndarray input into a tensor
    check(lambda T: (T.tensor(data), T.as_tensor(data)), [], grad=False)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8",
                                   "bool"])
def test_factories(dtype):
    check(lambda T: (T.tensor([1, 0, 2], dtype=getattr(T, dtype)), T.zeros(2, 3, dtype=getattr(T, dtype)),
                     T.ones((2,), dtype=getattr(T, dtype)), T.full((2, 2), 1, dtype=getattr(T, dtype)),
                     T.empty(0, dtype=getattr(T, dtype)), T.eye(3, 2, dtype=getattr(T, dtype)),
                     T.zeros_like(T.ones(2), dtype=getattr(T, dtype)), T.arange(3, dtype=getattr(T, dtype))),
          [], grad=False)


def test_factories_default_dtypes():
    check(lambda T: (T.zeros(2), T.ones([2, 1]), T.zeros(T.Size([1, 2])), T.full((2,), 7), T.full((2,), 1.5),
                     T.full((1,), False), T.arange(5), T.arange(1, 4), T.arange(0, 1, 0.1), T.arange(1.0, 4),
                     T.arange(10, 0, -3), T.arange(0, 5, 2.5), T.linspace(0, 1, 7), T.linspace(-3, 5, 11),
                     T.linspace(2, 2, 1), T.linspace(0, 10, 0), T.eye(2), T.ones_like(T.tensor([1, 2])),
                     T.full_like(T.ones(2), 3.5), T.empty_like(T.ones(2, dtype=T.int32)).shape,
                     T.tensor([1.0, 2.0], requires_grad=True), T.zeros(2, requires_grad=True)), [], grad=False)


def test_linspace_matches_bitwise():
    for start, end, steps in ((-3, 5, 11), (0, 1, 7), (0.1, 0.7, 13), (-1e3, 1e-3, 101), (5, -5, 4)):
        t = torch.linspace(start, end, steps).numpy()
        m = minitorch.linspace(start, end, steps).numpy()
        assert t.tobytes() == m.tobytes(), (start, end, steps, t, m)


@pytest.mark.parametrize("fn", [
    lambda T: T.tensor([1, 2], requires_grad=True),
    lambda T: T.tensor([[1, 2], [3]]),
    lambda T: T.tensor("a"),
    lambda T: T.arange(0, 10, 0),
    lambda T: T.arange(0, 10, -1),
    lambda T: T.zeros(-1),
    lambda T: T.ones(2, -3),
    lambda T: T.linspace(0, 1, -1),
    lambda T: T.tensor([1]).requires_grad_(),
    lambda T: T.zeros(2, 3).requires_grad_().numpy(),
    lambda T: T.ones(2).item(),
    lambda T: bool(T.ones(2)),
    lambda T: bool(T.ones(0)),
    lambda T: len(T.tensor(1.0)),
    lambda T: T.ones(2, device="cuda"),
    lambda T: T.ones(2).to("cuda"),
    lambda T: T.ones(2, 3).size(2),
    lambda T: float(T.ones(3)),
    lambda T: T.ones(2).__index__(),
    lambda T: T.tensor(1.5).__index__(),
    lambda T: T.ones(2).cuda(),
    lambda T: len(T.ones(())),
    lambda T: iter(T.tensor(2.0)),
])
def test_errors(fn):
    check_error(fn)


def test_metadata():
    def meta(T, x):
        return (x.shape, x.size(), x.size(1), x.size(-1), x.dim(), x.ndim, x.numel(), x.nelement(), str(x.dtype),
                str(x.device), x.is_leaf, x.requires_grad, x.is_floating_point(), x.element_size(),
                x.is_contiguous(), x.t().is_contiguous(), x.stride(), x.t().stride(), x[:, 1:].stride(),
                str(x.T.shape), x.mT.shape, repr(x.shape), str(T.Size([2, 3])), x.shape[1:], T.Size([2, 3]).numel(),
                x.type(), x.long().type(), len(x), x.is_cuda, x.grad, x.grad_fn, x.tolist(), x[0, 1].item(),
                int(x[0, 0]), float(x[1, 1]), x.numpy().dtype.name, T.is_tensor(x), T.numel(x), repr(T.device("cpu")),
                T.device("cpu") == T.device("cpu"), T.cuda.is_available(), T.get_default_dtype(), x.ndimension(),
                x.is_complex(), x.itemsize, x.nbytes, x.storage_offset(), x[1:].storage_offset(), x.is_cpu,
                x.is_meta, x.is_quantized, x.is_sparse, str(x.layout), x.get_device(), x.output_nr,
                x.data_ptr() == x.data_ptr(), x.new_zeros(2), x.new_ones(1, 2, dtype=T.int64), x.byte(), x.char(),
                x.short(), x.type_as(T.ones(1, dtype=T.float64)), x.data, x.is_floating_point(),
                T.is_floating_point(x), x.__index__() if False else 0, list(x[0]), bool(x[0, 1]),
                T.can_cast(T.float32, T.int64), T.can_cast(T.int64, T.float32))
    check(meta, [np.arange(6, dtype=np.float32).reshape(2, 3)], grad=False)


def test_numpy_shares_memory():
    for T in (torch, minitorch):
        a = np.zeros(3, dtype=np.float32)
        t = T.from_numpy(a)
        t[0] = 5
        assert a[0] == 5, T
        t.numpy()[1] = 7
        assert t[1].item() == 7
        assert T.as_tensor(a).numpy() is not None
        a[2] = 9
        assert t[2].item() == 9
        c = T.tensor(a)  # tensor() copies
        a[0] = -1
        assert c[0].item() == 5


def test_default_dtype_switch():
    for T in (torch, minitorch):
        T.set_default_dtype(T.float64)
    try:
        check(lambda T: (T.tensor([1.5]), T.zeros(2), T.arange(0.0, 1.0, 0.5), T.tensor(3), T.get_default_dtype()),
              [], grad=False)
    finally:
        for T in (torch, minitorch):
            T.set_default_dtype(T.float32)
    check_error(lambda T: T.set_default_dtype(T.int64))


def test_legacy_constructors():
    check(lambda T: (T.Tensor(2, 3).shape, T.Tensor([1, 2]), T.FloatTensor([1]), T.LongTensor([1, 2]),
                     T.tensor([1.5]).type(T.float64)), [], grad=False)


def test_torch_tensor_of_tensor_warns():
    for T in (torch, minitorch):
        with pytest.warns(UserWarning, match="To copy construct from a tensor"):
            T.tensor(T.ones(2))


def test_to_returns_self_when_nothing_changes():
    for T in (torch, minitorch):
        x = T.ones(2)
        assert x.to(T.float32) is x and x.to("cpu") is x and x.cpu() is x and x.float() is x
        assert x.to(T.float32, copy=True) is not x


def test_item_and_tolist_types():
    ref = [torch.tensor(v).item() for v in (1, 1.5, True)] + [torch.tensor([[1, 2]]).tolist()]
    got = [minitorch.tensor(v).item() for v in (1, 1.5, True)] + [minitorch.tensor([[1, 2]]).tolist()]
    assert [type(v) for v in ref] == [type(v) for v in got] and ref == got
    assert_same_outputs(torch.tensor(2.5), minitorch.tensor(2.5))


def test_index_and_int_conversions():
    check(lambda T: ([10, 20, 30][T.tensor(1)], int(T.tensor(7)), T.tensor(3).__index__(), float(T.tensor([2.5])),
                     [v.item() for v in T.tensor([1, 2])]), [], grad=False)


def test_views_that_are_leaves_get_their_own_grad():
    """A view with no history is a leaf: backward accumulates into the view, never into nothing."""
    def fn(T):
        a = T.linspace(0, 1, 6).reshape(2, 3).requires_grad_()
        (a * 2).sum().backward()
        x = T.ones(3, requires_grad=True)
        with T.no_grad():
            v = x[:2]
        (v * 3).sum().backward()
        no_grad_view = (v.requires_grad, v.is_leaf, v.grad, x.grad)
        v.requires_grad_()
        (v * 4).sum().backward()
        return a.grad, no_grad_view, v.grad, x.grad
    check(fn, [], grad=False)


def test_linspace_dtypes():
    check(lambda T: (T.linspace(0, 1, 3, dtype=T.float64), T.linspace(0, 10, 5, dtype=T.int64),
                     T.linspace(-1, 1, 4, dtype=T.float16)), [], grad=False)


def test_view_made_before_its_base_joined_the_graph():
    """A view taken before an in-place write put its base in the graph requires grad from then on."""
    def fn(T):
        w = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        c = T.zeros(3)
        v, rows = c[:2], T.zeros(2, 3)
        row = rows[1]
        c.add_(w)
        rows[1].copy_(w)
        loss = (v * 2).sum() + (w * 1).sum() + (row * 3).sum()
        loss.backward()
        return v.requires_grad, row.requires_grad, loss, w.grad
    check(fn, [], grad=False)


def test_non_tuple_sequence_index_warns_as_torch():
    import warnings
    messages = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.ones(2, 3)[[0, slice(None)]]
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1]
