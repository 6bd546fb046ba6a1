"""Solving: cases (grouped into portfolios, portfolio) against a compiled policy under time and
memory limits (limits), giving each case's answer, indexed once as its trace (trace); facts go
into clingo and records come out through its C binding (symbols)."""
