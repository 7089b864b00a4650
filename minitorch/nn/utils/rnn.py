"""torch.nn.utils.rnn: variable-length batches for the recurrent layers.

A PackedSequence stores a batch of sequences sorted by decreasing length, time-major: the rows of
step t are the sequences still running at t, and ``batch_sizes[t]`` counts them. Packing and padding
copy slices of the input as ATen's kernels do, so gradients flow through the same nodes
(``CatBackward0`` when packing, ``CopySlices`` when padding).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from ... import _creation
from ... import _dtype as D
from ..._ops.nn_ops import rnn as _rnn
from ..._tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def _bind(optional: Any, fn: Any) -> Any:
    return None if optional is None else fn(optional)


class PackedSequence(PackedSequence_):
    """``(data, batch_sizes, sorted_indices, unsorted_indices)``; made by ``pack_padded_sequence`` and
    ``pack_sequence``. ``sorted_indices`` maps the packed order to the caller's batch order."""

    def __new__(cls, data: Tensor, batch_sizes: Tensor | None = None, sorted_indices: Tensor | None = None,
                unsorted_indices: Tensor | None = None) -> "PackedSequence":
        return super().__new__(cls, *_init_args(data, batch_sizes, sorted_indices, unsorted_indices))

    def pin_memory(self) -> "PackedSequence":
        return type(self)(self.data.pin_memory(), self.batch_sizes, _bind(self.sorted_indices, Tensor.pin_memory),
                          _bind(self.unsorted_indices, Tensor.pin_memory))

    def to(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        """Moves or casts ``data`` (the index tensors follow its device; batch_sizes stays)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices = _bind(self.sorted_indices, lambda t: t.to(data.device))
        unsorted_indices = _bind(self.unsorted_indices, lambda t: t.to(data.device))
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cuda(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        kwargs.setdefault("device", "cuda")
        return self.to(*args, **kwargs)

    def cpu(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        return self.to(*args, **kwargs) if args or kwargs else self.to("cpu")

    def double(self) -> "PackedSequence":
        return self.to(dtype=D.float64)

    def float(self) -> "PackedSequence":
        return self.to(dtype=D.float32)

    def half(self) -> "PackedSequence":
        return self.to(dtype=D.float16)

    def long(self) -> "PackedSequence":
        return self.to(dtype=D.int64)

    def int(self) -> "PackedSequence":
        return self.to(dtype=D.int32)

    def short(self) -> "PackedSequence":
        return self.to(dtype=D.int16)

    def char(self) -> "PackedSequence":
        return self.to(dtype=D.int8)

    def byte(self) -> "PackedSequence":
        return self.to(dtype=D.uint8)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        return self.data.is_pinned()


def _init_args(data: Any, batch_sizes: Tensor | None, sorted_indices: Tensor | None,
               unsorted_indices: Tensor | None) -> tuple:
    if unsorted_indices is None:
        unsorted_indices = invert_permutation(sorted_indices)
    if batch_sizes is not None:
        if batch_sizes.device.type != "cpu":
            raise ValueError(
                "batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. "
                "They should be instantiated by functions like pack_sequence and pack_padded_sequences in "
                "nn.utils.rnn. "
                "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence")
        return data, batch_sizes, sorted_indices, unsorted_indices
    if not (isinstance(data, (list, tuple)) and len(data) == 2):
        raise AssertionError("Expected data to be a list or tuple of length 2")
    return data[0], data[1], sorted_indices, unsorted_indices


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    if permutation is None:
        return None
    output = _creation.empty_like(permutation)
    output.scatter_(0, permutation, _creation.arange(0, permutation.numel()))
    return output


def pack_padded_sequence(input: Tensor, lengths: Tensor | list[int], batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Packs a padded batch (time, batch, *) or (batch, time, *) of sequences of the given lengths."""
    lengths = (lengths.to(dtype=D.int64) if isinstance(lengths, Tensor)
               else _creation.as_tensor(lengths, dtype=D.int64, device="cpu"))
    if enforce_sorted:
        sorted_indices = None
    else:
        lengths, sorted_indices = lengths.sort(descending=True)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if lengths.dim() != 1:
        raise RuntimeError("'lengths' argument should be a 1D CPU int64 tensor, but got %dD %s %s tensor"
                           % (lengths.dim(), lengths.device, lengths.type().split(".")[-1].replace("Tensor", "")))
    data, batch_sizes = _rnn.pack_padded(input, lengths.tolist(), batch_first)
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Inverse of ``pack_padded_sequence``: the padded batch and each sequence's length."""
    batch_sizes = sequence.batch_sizes.tolist()
    max_seq_length = len(batch_sizes)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but "
                             "got total_length=%s and max sequence length being %s" % (total_length, max_seq_length))
        max_seq_length = total_length
    output, lengths = _rnn.pad_packed(sequence.data, batch_sizes, batch_first, padding_value, max_seq_length)
    lengths_t = _creation.tensor(lengths, dtype=D.int64)
    if sequence.unsorted_indices is not None:
        return (output.index_select(0 if batch_first else 1, sequence.unsorted_indices),
                lengths_t[sequence.unsorted_indices])
    return output, lengths_t


def pad_sequence(sequences: Tensor | list[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stacks sequences of shape (length_i, *) into (max_length, batch, *) (or batch first), padded."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError("pad_sequence: Expected iterable for input sequences, but got arg of type: %s"
                           % type(sequences))
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError("Expected padding_side to be one of left or right, but got %s." % padding_side)
    max_len = max(s.size(0) for s in sequences)
    trailing = tuple(sequences[0].shape[1:])
    shape = ((len(sequences), max_len) if batch_first else (max_len, len(sequences))) + trailing
    out = _creation.full(shape, padding_value, dtype=sequences[0].dtype)
    for i, seq in enumerate(sequences):
        length = seq.size(0)
        start = max_len - length if padding_side == "left" else 0
        target = out.select(0, i).narrow(0, start, length) if batch_first else out.narrow(0, start, length).select(1, i)
        target.copy_(seq)
    return out


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """The sequences of a padded batch, each cut to its length.

    torch transposes a time-first ``padded_sequences`` in place (the caller's tensor is batch-first afterwards, a
    TransposeBackward1 in its graph): a torch bug, copied because it is observable."""
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    idx = _creation.arange(padded_sequences.shape[1])
    if len(padded_sequences) != len(lengths):
        raise ValueError("zip() argument 2 is %s than argument 1"
                         % ("shorter" if len(lengths) < len(padded_sequences) else "longer"))
    return [seq[idx < length] for seq, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences: list[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Packs a list of sequences of shape (length_i, *)."""
    lengths = _creation.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences a PackedSequence holds, in the caller's order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
