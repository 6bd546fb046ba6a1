"""Ground rule instances: substitute a firing's values into a rule's AST, evaluate ground
terms exactly as clingo does, match partly ground atoms, and word comparisons and sentences for
people. Shared by explanations, why-not and coverage.

    >>> from clingo import Number
    >>> from clingo.ast import parse_string
    >>> rules = []
    >>> parse_string("p(X + 1) :- q(X).", rules.append)
    >>> str(term_symbol(substitute(rules[1].head.atom.symbol, {"X": Number(2)})))
    'p(3)'
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

import clingo
from clingo import Symbol, SymbolType, ast
from clingo.ast import ASTType

from ..language.values import format_symbol, value_from_symbol

#: comparison → (symbol, words for amounts, words for dates)
OPS = {
    ast.ComparisonOperator.GreaterThan: (">", "exceeds", "is after"),
    ast.ComparisonOperator.GreaterEqual: (">=", "is at least", "is on or after"),
    ast.ComparisonOperator.LessThan: ("<", "is less than", "is before"),
    ast.ComparisonOperator.LessEqual: ("<=", "does not exceed", "is on or before"),
    ast.ComparisonOperator.Equal: ("=", "equals", "is"),
    ast.ComparisonOperator.NotEqual: ("!=", "differs from", "is not"),
}
#: how a comparison that does NOT hold reads: "does not exceed" for a failed `>`
NEGATED = {
    ast.ComparisonOperator.GreaterThan: ("does not exceed", "is on or before"),
    ast.ComparisonOperator.GreaterEqual: ("is less than", "is before"),
    ast.ComparisonOperator.LessThan: ("is not less than", "is on or after"),
    ast.ComparisonOperator.LessEqual: ("exceeds", "is after"),
    ast.ComparisonOperator.Equal: ("differs from", "is not"),
    ast.ComparisonOperator.NotEqual: ("equals", "is"),
}
HOLDS = {
    ast.ComparisonOperator.GreaterThan: lambda a, b: a > b,
    ast.ComparisonOperator.GreaterEqual: lambda a, b: a >= b,
    ast.ComparisonOperator.LessThan: lambda a, b: a < b,
    ast.ComparisonOperator.LessEqual: lambda a, b: a <= b,
    ast.ComparisonOperator.Equal: lambda a, b: a == b,
    ast.ComparisonOperator.NotEqual: lambda a, b: a != b,
}


class Comparison:
    """A comparison literal of a rule as its explanation reads it, taken from clingo's AST once
    per rule: each operand's variable (whose label names it), text and template (a firing's
    values fill it), each comparison's operator, and whether the literal is negated."""

    def __init__(self, literal):
        terms = [literal.atom.term] + [g.term for g in literal.atom.guards]
        self.names = [t.name if t.ast_type is ASTType.Variable else None for t in terms]
        self.texts = [one_line(str(t)) for t in terms]
        self.operands = [Template(str(t)) for t in terms]
        self.operators = [g.comparison for g in literal.atom.guards]
        self.negated = literal.sign != ast.Sign.NoSign


def compare(original, lit, labels: dict[str, str]) -> tuple[bool | None, list[Symbol | None], str]:
    """The one reading of a comparison literal, for explanations, why-not and coverage: a
    rule's literal (`original`, whose variables name the operands) at a ground instance
    (`lit`). Returns whether it holds (None if an operand is not a value), the operands' values,
    and the sentence: "total $25,000.00 does not exceed disclosure threshold $25,000.00"."""
    values = [term_symbol(t) for t in [lit.atom.term] + [g.term for g in lit.atom.guards]]
    return compare_values(Comparison(original), values, labels, lambda: one_line(str(lit)))


def compare_values(comparison: Comparison, values: list[Symbol | None], labels: dict[str, str],
                   unevaluated) -> tuple[bool | None, list[Symbol | None], str]:
    """compare, given the operands' values; `unevaluated()` words it when one is not a value."""
    known = [v for v in values if v is not None]
    if len(known) != len(values):
        return None, values, unevaluated()
    holds, parts = True, []
    names, texts = comparison.names, comparison.texts
    for i, operator in enumerate(comparison.operators):
        left, right = known[i], known[i + 1]
        ok = HOLDS[operator](left, right)
        is_date = left.type is SymbolType.Function and left.name == "d"
        verb = OPS[operator][2 if is_date else 1] if ok else NEGATED[operator][1 if is_date else 0]
        parts.append(f"{_described(names[i], texts[i], left, labels)} {verb} "
                     f"{_described(names[i + 1], texts[i + 1], right, labels)}")
        holds = holds and ok
    if comparison.negated:
        holds = not holds
    return holds, values, "; ".join(parts)


_SLOT = re.compile(r'"(?:[^"\\]|\\.)*"|\b[A-Z_][A-Za-z0-9_\']*')


class Template:
    """A piece of rule text with its variables as slots. Filling it with a firing's values is
    a string join, and clingo.parse_term evaluates the result in C: far cheaper than
    substituting into clingo's AST, which is what explaining a batch spends most time on."""

    def __init__(self, text: str):
        self.parts: list[str] = []  # text, variable, text, variable, …, text
        at = 0
        for m in _SLOT.finditer(text):
            if m.group(0).startswith('"'):
                continue
            self.parts += [text[at:m.start()], m.group(0)]
            at = m.end()
        self.parts.append(text[at:])

    @property
    def variable(self) -> bool:
        """Is the whole text one variable?"""
        return len(self.parts) == 3 and not self.parts[0] and not self.parts[2]

    def shown(self, words: dict[str, str]) -> str:
        """The text with the bound variables replaced by their values' text (`words`: a
        firing's values, each written once by str), the others left as they are."""
        out = [self.parts[0]]
        for i in range(1, len(self.parts), 2):
            out += [words.get(self.parts[i], self.parts[i]), self.parts[i + 1]]
        return "".join(out)

    def value(self, binding: dict[str, Symbol], words: dict[str, str]) -> Symbol | None:
        """symbol(words), but a term that is one variable is its value as the firing bound it
        (None if unbound): no round trip through text and clingo's parser, which a checklist's
        conditions and premises paid for most of their operands."""
        return binding.get(self.parts[1]) if self.variable else self.symbol(words)

    def symbol(self, words: dict[str, str]) -> Symbol | None:
        """The ground term, evaluated as clingo would; None if it is not ground or undefined."""
        if len(self.parts) == 1:
            return self._constant
        out = [self.parts[0]]
        for i in range(1, len(self.parts), 2):
            value = words.get(self.parts[i])
            if value is None:
                return None
            out += ["(", value, ")", self.parts[i + 1]]
        return _evaluated("".join(out))

    @cached_property
    def _constant(self) -> Symbol | None:
        """A term without variables, evaluated once (a constant operand, `pct(1000)`)."""
        return _evaluated(self.parts[0])


def _evaluated(text: str) -> Symbol | None:
    try:
        return clingo.parse_term(text)
    except RuntimeError:
        return None


class RulePlan:
    """A rule's body as templates, made once per rule: each literal's text, its atom (for an
    atom) or its comparison (operands and operators)."""

    def __init__(self, node):
        self.head = Template(one_line(str(node.head)))
        self.body = [Template(one_line(str(lit))) for lit in node.body]
        self.atoms: list[Template | None] = []
        self.comparisons: list[Comparison | None] = []
        #: each literal's premise kind: atom, not, compare or aggregate (anything else)
        self.kinds: list[str] = []
        #: an atom's predicate and its arguments (a constant atom: its name, no arguments; not an atom: "")
        self.predicates: list[str] = []
        self.arguments: list[list[Template]] = []
        for lit in node.body:
            is_literal = lit.ast_type is ASTType.Literal
            atom = lit.atom if is_literal else None
            symbolic = atom is not None and atom.ast_type is ASTType.SymbolicAtom
            comparison = atom is not None and atom.ast_type is ASTType.Comparison
            function = symbolic and atom.symbol.ast_type is ASTType.Function
            self.predicates.append(atom.symbol.name if function else str(atom.symbol) if symbolic else "")
            self.arguments.append([Template(one_line(str(a))) for a in atom.symbol.arguments] if function else [])
            self.atoms.append(Template(one_line(str(atom.symbol))) if symbolic else None)
            self.comparisons.append(Comparison(lit) if comparison else None)
            self.kinds.append(("not" if lit.sign != ast.Sign.NoSign else "atom") if symbolic
                              else "compare" if comparison else "aggregate")
        #: the comparisons and negative conditions, which a checklist's reason quotes
        self.conditions = [i for i, kind in enumerate(self.kinds) if kind in ("compare", "not")]


class Substitute(ast.Transformer):
    def __init__(self, binding: dict[str, Symbol]):
        self.binding = binding

    def visit_Variable(self, var):
        if var.name in self.binding:
            return ast.SymbolicTerm(var.location, self.binding[var.name])
        return var


def substitute(node, binding):
    return Substitute(binding)(node)


def term_symbol(term) -> Symbol | None:
    """A ground AST term as a Symbol, evaluating integer arithmetic; None if not ground."""
    t = term.ast_type
    if t is ASTType.SymbolicTerm:
        return term.symbol
    if t is ASTType.Function:
        found = [term_symbol(a) for a in term.arguments]
        args = [a for a in found if a is not None]
        if len(args) != len(found):
            return None
        return clingo.Tuple_(args) if not term.name else clingo.Function(term.name, args)
    if t is ASTType.UnaryOperation and term.operator_type == ast.UnaryOperator.Minus:
        inner = term_symbol(term.argument)
        return clingo.Number(-inner.number) if inner is not None and inner.type is SymbolType.Number else None
    if t is ASTType.BinaryOperation:
        a, b = term_symbol(term.left), term_symbol(term.right)
        if a is None or b is None or a.type is not SymbolType.Number or b.type is not SymbolType.Number:
            return None
        x, y, op = a.number, b.number, term.operator_type
        B = ast.BinaryOperator
        if op in (B.Division, B.Modulo):
            if y == 0:
                return None  # clingo leaves an undefined operation out; so do we
            quotient = abs(x) // abs(y) * (1 if (x >= 0) == (y >= 0) else -1)  # C: towards zero
            return clingo.Number(quotient if op == B.Division else x - quotient * y)
        value = {B.Plus: x + y, B.Minus: x - y, B.Multiplication: x * y}.get(op)
        return clingo.Number(value) if value is not None else None
    return None


def unifies(pattern, sym: Symbol) -> bool:
    """Does a partly ground term match a symbol? Unbound variables match anything."""
    t = pattern.ast_type
    if t is ASTType.Variable:
        return True
    if t is ASTType.Function:
        return (sym.type is SymbolType.Function and sym.name == pattern.name
                and len(sym.arguments) == len(pattern.arguments)
                and all(unifies(p, a) for p, a in zip(pattern.arguments, sym.arguments)))
    return term_symbol(pattern) == sym


def describe(term, sym: Symbol | None, labels: dict[str, str]) -> str:
    """A comparison operand: its label (from the original variable) and its actual value."""
    return _described(term.name if term.ast_type is ASTType.Variable else None, one_line(str(term)), sym, labels)


def _described(variable: str | None, text: str, sym: Symbol | None, labels: dict[str, str]) -> str:
    value = format_symbol(sym) if sym is not None else text
    name = labels.get(variable) if variable is not None else None
    return f"{name} {value}" if name else value


#: a symbol's text, written once (a call into C and a copy of the text each time otherwise)
symbol_text = lru_cache(maxsize=1 << 16)(Symbol.__str__)


@lru_cache(maxsize=1 << 16)
def atom_text(sym: Symbol) -> str:
    """An atom as an explanation writes it: amounts, dates and percentages as people write them."""
    arguments = sym.arguments
    return f"{sym.name}({', '.join(map(_argument_text, arguments))})" if arguments else sym.name


@lru_cache(maxsize=1 << 16)
def _argument_text(sym: Symbol) -> str:
    return format_symbol(sym) if value_from_symbol(sym) is not None else str(sym)


def fill(template: str, binding: dict[str, Symbol], unbound: str | None = None) -> str:
    """A `says` sentence with {Var} replaced by values; unbound ones by `unbound` if given."""
    parts = _braced(template)
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        name = parts[i]
        out += [format_symbol(binding[name]) if name in binding else "{" + name + "}" if unbound is None
                else unbound, parts[i + 1]]
    return "".join(out)


@lru_cache(maxsize=1 << 12)
def _braced(template: str) -> list[str]:
    """A sentence split at its {Var} slots, once: text, name, text, …, text."""
    return re.split(r"\{([A-Z_][A-Za-z0-9_]*)\}", template)


def one_line(text: str) -> str:
    return " ".join(text.split())
