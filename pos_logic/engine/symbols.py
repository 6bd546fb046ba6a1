"""Symbols into and out of clingo through its own C binding, a few C calls a symbol.

clingo's `Symbol.arguments` allocates two C buffers, checks for an error and wraps every
argument at each call, and `Symbol.number` and `Symbol.type` cost one call each again: reading
a record (rule, case, head, values) through them took ~17 µs on this machine, against ~8 µs
here, and a one-agreement checklist reads ~45 records and as many finding heads a case. Adding
a fact through `Function`, `Backend.add_atom` and `Backend.add_rule` allocates three buffers
and wraps the symbol, for ~40 facts a one-agreement case and ~430 a heavy one. These call the
same C functions through the cffi handle the clingo package itself uses (`clingo._internal`,
the same in every release `pyproject.toml` allows), with clingo's own error handling, so they
do what the public API does (tests/test_symbols.py). Each call allocates its own buffers: safe
in threads. Measured: bench/README.md, 2026-12-07.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from clingo import Symbol
from clingo._internal import _ffi, _handle_error, _lib


def _reps(sym: Symbol) -> list:
    args, size = _ffi.new("clingo_symbol_t**"), _ffi.new("size_t*")
    if not _lib.clingo_symbol_arguments(sym._rep, args, size):
        raise TypeError(f"{sym} is not a function")
    return _ffi.unpack(args[0], size[0]) if size[0] else []  # a constant's arguments: NULL


def arguments(sym: Symbol) -> list[Symbol]:
    """`sym.arguments`: a function's arguments."""
    return [Symbol(rep) for rep in _reps(sym)]


def number(sym: Symbol) -> int | None:
    """`sym.number` if `sym` is a number, else None."""
    return _number(sym._rep, _ffi.new("int*"))


def _number(rep, out) -> int | None:
    if _lib.clingo_symbol_type(rep) != _lib.clingo_symbol_type_number:
        return None
    _lib.clingo_symbol_number(rep, out)
    return out[0]


def split(sym: Symbol, leading: int) -> tuple[list[int], list[Symbol]]:
    """A function's first `leading` arguments, which must be numbers (a record's rule and case
    numbers), as ints, and the rest as symbols."""
    reps, out = _reps(sym), _ffi.new("int*")
    numbers = [_number(rep, out) for rep in reps[:leading]]
    if None in numbers or len(reps) < leading:
        raise TypeError(f"{sym} does not start with {leading} numbers")
    return numbers, [Symbol(rep) for rep in reps[leading:]]  # type: ignore[return-value]


def function(name: str, args: Sequence[Symbol]) -> Symbol:
    """`Function(name, args)`: one buffer, no wrapper for the arguments."""
    out = _ffi.new("clingo_symbol_t*")
    _create(name, args, out)
    return Symbol(out[0])


def add_facts(backend, facts: Iterable[tuple[str, tuple[Symbol, ...]]]) -> None:
    """`backend.add_rule([backend.add_atom(Function(name, args))])` for each (name, args)."""
    rep, sym, atom = backend._rep, _ffi.new("clingo_symbol_t*"), _ffi.new("clingo_atom_t*")
    for name, args in facts:
        _create(name, args, sym)
        _handle_error(_lib.clingo_backend_add_atom(rep, sym, atom))
        _handle_error(_lib.clingo_backend_rule(rep, False, atom, 1, _ffi.NULL, 0))


def _create(name: str, args: Sequence[Symbol], out) -> None:
    _handle_error(_lib.clingo_symbol_create_function(
        _encoded(name), _ffi.new("clingo_symbol_t[]", [a._rep for a in args]), len(args), True, out))


@lru_cache(maxsize=1 << 10)  # a policy's predicate names
def _encoded(name: str) -> bytes:
    return name.encode()
