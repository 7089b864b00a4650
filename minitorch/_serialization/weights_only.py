"""``torch.load(weights_only=True)``: an unpickler that can only build what an allow-list names.

It interprets the pickle opcode by opcode (not through ``pickle.Unpickler``), accepting the
opcodes torch's weights-only unpickler accepts with the same restrictions and messages: GLOBAL
resolves through the allow-list only (never an import), REDUCE and NEWOBJ call only allowed
callables, BUILD only sets state on Tensors, Parameters, OrderedDicts and allowed types,
APPEND(S)/SETITEM(S) only fill lists and dicts, and a persistent id must name a storage. Nothing
else can run, and a refused file raises before anything is returned.
"""
from __future__ import annotations

import warnings
from collections import Counter, OrderedDict
from pickle import UnpicklingError, decode_long
from struct import unpack
from sys import maxsize
from typing import IO, Any, Callable

from .._tensor import Tensor
from ..nn.parameter import Parameter
from .rebuild import set_, tensor_setstate
from .torch_names import allowed_globals, torch_type_name, torch_type_repr

# modules never allowed, whatever the user allow-lists
BLOCKED_MODULES = ("sys", "os", "posix", "nt")

_user_safe_globals: set = set()


# ---- the user's allow-list (torch.serialization.add_safe_globals and friends) -------------------
def add_safe_globals(safe_globals: list) -> None:
    global _user_safe_globals
    _user_safe_globals = _user_safe_globals.union(set(safe_globals))


def get_safe_globals() -> list:
    return list(_user_safe_globals)


def clear_safe_globals() -> None:
    global _user_safe_globals
    _user_safe_globals = set()


def remove_safe_globals(globals_to_remove: list) -> None:
    global _user_safe_globals
    _user_safe_globals = _user_safe_globals - set(globals_to_remove)


class safe_globals:
    """Allows ``safe_globals`` for the ``with`` block only."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = safe_globals

    def __enter__(self) -> None:
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc: Any) -> None:
        remove_safe_globals(self.safe_globals)


def user_allowed_globals() -> dict[str, Any]:
    """``'module.qualname' -> object`` for each user-allowed global (or ``(object, name)`` pair)."""
    out: dict[str, Any] = {}
    for entry in _user_safe_globals:
        if isinstance(entry, tuple):
            if len(entry) != 2:
                raise ValueError("Expected tuple of length 2 (global, str of callable full path), but got tuple of "
                                 "length: %d" % len(entry))
            if type(entry[1]) is not str:
                raise TypeError("Expected second item in tuple to be str of callable full path, but got: %s"
                                % type(entry[1]))
            out[entry[1]] = entry[0]
        else:
            out["%s.%s" % (entry.__module__, entry.__qualname__)] = entry
    return out


# Python 2's names torch maps to Python 3's when reading a GLOBAL (a subset of _compat_pickle's)
IMPORT_MAPPING = {
    "__builtin__": "builtins", "copy_reg": "copyreg", "Queue": "queue", "repr": "reprlib",
    "_abcoll": "collections.abc", "UserDict": "collections", "UserList": "collections",
    "UserString": "collections", "whichdb": "dbm", "StringIO": "io", "cStringIO": "io",
}
NAME_MAPPING = {
    ("__builtin__", "xrange"): ("builtins", "range"), ("__builtin__", "reduce"): ("functools", "reduce"),
    ("__builtin__", "intern"): ("sys", "intern"), ("__builtin__", "unichr"): ("builtins", "chr"),
    ("__builtin__", "unicode"): ("builtins", "str"), ("__builtin__", "long"): ("builtins", "int"),
    ("itertools", "izip"): ("builtins", "zip"), ("itertools", "imap"): ("builtins", "map"),
    ("itertools", "ifilter"): ("builtins", "filter"), ("itertools", "ifilterfalse"): ("itertools", "filterfalse"),
    ("itertools", "izip_longest"): ("itertools", "zip_longest"),
    ("UserDict", "IterableUserDict"): ("collections", "UserDict"),
    ("UserList", "UserList"): ("collections", "UserList"),
    ("UserString", "UserString"): ("collections", "UserString"), ("__builtin__", "basestring"): ("builtins", "str"),
    ("exceptions", "StandardError"): ("builtins", "Exception"), ("UserDict", "UserDict"): ("collections", "UserDict"),
}


def _read_global(readline: Callable[[], bytes]) -> tuple[str, str]:
    """A GLOBAL's module and name, with Python 2's names mapped to Python 3's."""
    module = readline()[:-1].decode("utf-8")
    name = readline()[:-1].decode("utf-8")
    if (module, name) in NAME_MAPPING:
        return NAME_MAPPING[(module, name)]
    return IMPORT_MAPPING.get(module, module), name


def _shown(x: Any) -> str:
    return torch_type_repr(x) if isinstance(x, type) else str(x)


# opcode bytes
_MARK, _STOP, _BININT, _BININT1, _BININT2, _NONE, _BINPERSID, _REDUCE = b"(.JKMNQR"
_BINUNICODE, _APPEND, _BUILD, _GLOBAL, _EMPTY_DICT, _APPENDS = b"Xabc}e"
_BINGET, _LONG_BINGET, _EMPTY_LIST, _BINPUT, _LONG_BINPUT, _SETITEM = b"hj]qrs"
_TUPLE, _EMPTY_TUPLE, _SETITEMS, _BINFLOAT, _SHORT_BINSTRING = b"t)uGU"
_PROTO, _NEWOBJ, _TUPLE1, _TUPLE2, _TUPLE3, _NEWTRUE, _NEWFALSE, _LONG1 = b"\x80\x81\x85\x86\x87\x88\x89\x8a"
_EMPTY_SET = b"\x8f"[0]

# operand bytes after each opcode a static scan steps over (variable-length ones handled apart)
_FIXED_OPERANDS = {
    _NEWOBJ: 0, _REDUCE: 0, _BUILD: 0, _APPEND: 0, _APPENDS: 0, _SETITEM: 0, _SETITEMS: 0, _MARK: 0, _TUPLE: 0,
    _TUPLE1: 0, _TUPLE2: 0, _TUPLE3: 0, _NONE: 0, _NEWFALSE: 0, _NEWTRUE: 0, _EMPTY_TUPLE: 0, _EMPTY_LIST: 0,
    _EMPTY_DICT: 0, _EMPTY_SET: 0, _BINPERSID: 0, _BININT: 4, _BININT1: 1, _BININT2: 2, _BINFLOAT: 8, _BINGET: 1,
    _LONG_BINGET: 4, _BINPUT: 1, _LONG_BINPUT: 4,
}


def globals_in_pickle(file: IO[bytes]) -> set[str]:
    """Every GLOBAL a pickle names, found without running it (torch's ``get_globals_in_pkl``)."""
    found: set[str] = set()
    read, readline = file.read, file.readline
    while True:
        key = read(1)
        if not key:
            raise EOFError
        op = key[0]
        if op == _GLOBAL:
            found.add("%s.%s" % _read_global(readline))
        elif op in _FIXED_OPERANDS:
            read(_FIXED_OPERANDS[op])
        elif op == _BINUNICODE:
            length = unpack("<I", read(4))[0]
            if length > maxsize:
                raise UnpicklingError("String is too long")
            read(length)
        elif op in (_SHORT_BINSTRING, _LONG1):
            read(read(1)[0])
        elif op == _PROTO:
            read(1)
        elif op == _STOP:
            return found
        else:
            raise UnpicklingError("Unsupported operand %d" % op)


class Unpickler:
    """Loads a pickle as torch's weights-only unpickler does; ``persistent_load`` is set by the caller."""

    def __init__(self, file: IO[bytes], *, encoding: str = "bytes") -> None:
        self.encoding = encoding
        self.readline = file.readline
        self.read = file.read
        self.memo: dict[int, Any] = {}
        self.proto = -1

    def persistent_load(self, pid: Any) -> Any:
        raise UnpicklingError("unsupported persistent id encountered")

    def load(self) -> Any:
        self.metastack: list[list] = []
        self.stack: list[Any] = []
        self._allowed = allowed_globals()
        self._user_allowed = user_allowed_globals()
        self._allowed_ids = {id(v) for v in self._allowed.values()} | {id(v) for v in self._user_allowed.values()}
        dispatch = self._dispatch
        read = self.read
        while True:
            key = read(1)
            if not key:
                raise EOFError
            if not isinstance(key, (bytes, bytearray)):
                raise AssertionError("Expected bytes, got %s" % type(key).__name__)
            if key[0] == _STOP:
                return self.stack.pop()
            handler = dispatch.get(key[0])
            if handler is None:
                raise UnpicklingError("Unsupported operand %d" % key[0])
            handler(self)

    def _pop_mark(self) -> list:
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    def _is_allowed(self, obj: Any) -> bool:
        return id(obj) in self._allowed_ids

    # ---- the opcodes that name or call code ------------------------------------------------------
    def _global(self) -> None:
        module, name = _read_global(self.readline)
        full_path = "%s.%s" % (module, name)
        if module in BLOCKED_MODULES:
            raise UnpicklingError("Trying to load unsupported GLOBAL %s whose module %s is blocked."
                                  % (full_path, module))
        if full_path in self._allowed:
            self.stack.append(self._allowed[full_path])
        elif full_path in self._user_allowed:
            self.stack.append(self._user_allowed[full_path])
        elif full_path in ("torch.nested._internal.nested_tensor.NestedTensor",
                           "torch.nested._internal.nested_tensor._rebuild_njt", "torch._dynamo.decorators._DimRange"):
            raise UnpicklingError("``torch.nested`` and ``torch._dynamo`` must be imported to load nested jagged "
                                  "tensors (NJTs)")
        elif full_path.startswith("torch.distributed.") and full_path in _DTENSOR_GLOBALS:
            raise UnpicklingError("``torch.distributed.tensor`` must be imported to load DTensors")
        else:
            if full_path.startswith("builtins"):
                rest = full_path[len("builtins"):]
                full_path = rest[1:] if rest.startswith(".") else "builtins" + rest
            raise UnpicklingError(
                "Unsupported global: GLOBAL %s was not an allowed global by default. Please use "
                "`torch.serialization.add_safe_globals([%s])` or the `torch.serialization.safe_globals([%s])` "
                "context manager to allowlist this global if you trust this class/function."
                % (full_path, full_path, full_path))

    def _newobj(self) -> None:
        args = self.stack.pop()
        cls = self.stack.pop()
        if cls is Parameter:
            self.stack.append(Parameter(*args))
        elif self._is_allowed(cls):
            self.stack.append(cls.__new__(cls, *args))
        else:
            raise UnpicklingError("Can only create new object for nn.Parameter or classes allowlisted via "
                                  "`add_safe_globals` but got %s" % _shown(cls))

    def _reduce(self) -> None:
        args = self.stack.pop()
        func = self.stack[-1]
        if not self._is_allowed(func):
            message = "Trying to call reduce for unrecognized function %s" % _shown(func)
            if hasattr(func, "__self__"):
                message += " which belongs to %s" % (func.__self__,)
            raise UnpicklingError(message)
        if not callable(func):
            raise TypeError("'%s' object is not callable" % torch_type_name(type(func)))
        self.stack[-1] = func(*args)

    def _build(self) -> None:
        state = self.stack.pop()
        inst = self.stack[-1]
        kind = type(inst)
        if kind is Tensor:
            set_(inst, *state)
        elif kind is Parameter:
            tensor_setstate(inst, state)
        elif kind is OrderedDict:
            inst.__dict__.update(state)
        elif self._is_allowed(kind):
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
            else:  # as pickle's own BUILD: a dict state, or (dict state, slot state)
                slotstate = None
                if isinstance(state, tuple) and len(state) == 2:
                    state, slotstate = state
                if state:
                    inst.__dict__.update(state)
                for k, v in (slotstate or {}).items():
                    setattr(inst, k, v)
        else:
            raise UnpicklingError("Can only build Tensor, Parameter, OrderedDict or types allowlisted via "
                                  "`add_safe_globals`, but got %s" % torch_type_repr(kind, inst))

    def _binpersid(self) -> None:
        pid = self.stack.pop()
        if type(pid) is not tuple and type(pid) is not int:
            raise UnpicklingError("persistent_load id must be tuple or int, but got %s" % type(pid))
        if type(pid) is tuple and len(pid) > 0 and decode_ascii(pid[0]) != "storage":
            raise UnpicklingError("Only persistent_load of storage is allowed, but got %s" % type(pid[0]))
        self.stack.append(self.persistent_load(pid))

    # ---- containers ------------------------------------------------------------------------------
    def _append(self) -> None:
        item = self.stack.pop()
        target = self.stack[-1]
        if type(target) is not list:
            raise UnpicklingError("Can only append to lists, but got %s" % torch_type_repr(type(target)))
        target.append(item)

    def _appends(self) -> None:
        items = self._pop_mark()
        target = self.stack[-1]
        if type(target) is not list:
            raise UnpicklingError("Can only extend lists, but got %s" % torch_type_repr(type(target)))
        target.extend(items)

    def _check_mapping(self, opcode: str) -> None:
        if type(self.stack[-1]) not in (dict, OrderedDict, Counter):
            raise UnpicklingError("Can only %s for dict, collections.OrderedDict, collections.Counter, but got %s"
                                  % (opcode, torch_type_repr(type(self.stack[-1]))))

    def _setitem(self) -> None:
        value, key = self.stack.pop(), self.stack.pop()
        self._check_mapping("SETITEM")
        self.stack[-1][key] = value

    def _setitems(self) -> None:
        items = self._pop_mark()
        self._check_mapping("SETITEMS")
        target = self.stack[-1]
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]

    def _mark(self) -> None:
        self.metastack.append(self.stack)
        self.stack = []

    def _tuple(self) -> None:
        items = self._pop_mark()
        self.stack.append(tuple(items))

    def _tuple1(self) -> None:
        self.stack[-1] = (self.stack[-1],)

    def _tuple2(self) -> None:
        self.stack[-2:] = [(self.stack[-2], self.stack[-1])]

    def _tuple3(self) -> None:
        self.stack[-3:] = [(self.stack[-3], self.stack[-2], self.stack[-1])]

    # ---- values ----------------------------------------------------------------------------------
    def _push(value: Any) -> Callable[["Unpickler"], None]:  # type: ignore[misc]
        return lambda self: self.stack.append(value)

    def _push_new(factory: type) -> Callable[["Unpickler"], None]:  # type: ignore[misc]
        return lambda self: self.stack.append(factory())

    def _binint(self) -> None:
        self.stack.append(unpack("<i", self.read(4))[0])

    def _binint1(self) -> None:
        self.stack.append(self.read(1)[0])

    def _binint2(self) -> None:
        self.stack.append(unpack("<H", self.read(2))[0])

    def _long1(self) -> None:
        n = self.read(1)[0]
        self.stack.append(decode_long(self.read(n)))

    def _binfloat(self) -> None:
        self.stack.append(unpack(">d", self.read(8))[0])

    def _binunicode(self) -> None:
        length = unpack("<I", self.read(4))[0]
        if length > maxsize:
            raise UnpicklingError("String is too long")
        self.stack.append(str(self.read(length), "utf-8", "surrogatepass"))

    def _short_binstring(self) -> None:
        data = self.read(self.read(1)[0])
        self.stack.append(data if self.encoding == "bytes" else data.decode(self.encoding, "strict"))

    def _get(self) -> None:
        self.stack.append(self.memo[self.read(1)[0]])

    def _long_get(self) -> None:
        self.stack.append(self.memo[unpack("<I", self.read(4))[0]])

    def _put(self) -> None:
        self.memo[self.read(1)[0]] = self.stack[-1]

    def _long_put(self) -> None:
        self.memo[unpack("<I", self.read(4))[0]] = self.stack[-1]

    def _proto(self) -> None:
        self.proto = self.read(1)[0]
        if self.proto != 2:
            warnings.warn("Detected pickle protocol %d in the checkpoint, which was not the default pickle protocol "
                          "used by `torch.load` (2). The weights_only Unpickler might not support all instructions "
                          "implemented by this protocol, please file an issue for adding support if you encounter "
                          "this." % self.proto, stacklevel=4)

    _dispatch = {
        _GLOBAL: _global, _NEWOBJ: _newobj, _REDUCE: _reduce, _BUILD: _build, _BINPERSID: _binpersid,
        _APPEND: _append, _APPENDS: _appends, _SETITEM: _setitem, _SETITEMS: _setitems, _MARK: _mark,
        _TUPLE: _tuple, _TUPLE1: _tuple1, _TUPLE2: _tuple2, _TUPLE3: _tuple3,
        _NONE: _push(None), _NEWFALSE: _push(False), _NEWTRUE: _push(True), _EMPTY_TUPLE: _push(()),
        _EMPTY_LIST: _push_new(list), _EMPTY_DICT: _push_new(dict), _EMPTY_SET: _push_new(set),
        _BININT: _binint, _BININT1: _binint1, _BININT2: _binint2, _LONG1: _long1, _BINFLOAT: _binfloat,
        _BINUNICODE: _binunicode, _SHORT_BINSTRING: _short_binstring, _BINGET: _get, _LONG_BINGET: _long_get,
        _BINPUT: _put, _LONG_BINPUT: _long_put, _PROTO: _proto,
    }
    del _push, _push_new


def load(file: IO[bytes], *, encoding: str = "ASCII") -> Any:
    """One pickle from ``file``, weights-only (this module stands in for ``pickle`` in legacy loads)."""
    return Unpickler(file, encoding=encoding).load()


def decode_ascii(value: Any) -> Any:
    """A persistent id's text field: Python 2 pickles may hold it as bytes."""
    return value.decode("ascii") if isinstance(value, bytes) else value


_DTENSOR_GLOBALS = frozenset({
    "torch.distributed.device_mesh.DeviceMesh", "torch.distributed.tensor._dtensor_spec.DTensorSpec",
    "torch.distributed.tensor._dtensor_spec.TensorMeta", "torch.distributed.tensor.DTensor",
    "torch.distributed.tensor.placement_types.Partial", "torch.distributed.tensor.placement_types.Replicate",
    "torch.distributed.tensor.placement_types.Shard",
})
