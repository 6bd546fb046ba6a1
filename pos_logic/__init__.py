"""pos-logic: a declarative policy-as-code checker for purchase-of-service contracts.

The flow of one case, one sub-package per stage, data flowing one way:

    case.pos ──language.parse──▶ Statement ──language.schema.check──▶ language.model.Case
                                                            │ language.facts.from_case
                                                            ▼
    policies/*.lp ──policy.policy.load_policy (guarded,   clingo Symbols
                    annotated, case-threaded,           │
                    instrumented, cached)─────────▶ engine.engine.run_cases ─▶ engine.trace
                                                            ▼
                                         explain.explain.findings_of: findings + derivations
                                                            ▼
                               tester.expect.compare · render.render (text, rich, JSON)

`check` is the facade that runs files through the whole flow, against a policies folder it is
given (`policies=`; `policy.resources.choose_policies` picks it once, at the edge); `cli` is the
`pos` command over it and `web` the HTTP API over it. `explain.whynot` and `tester.coverage` read the same trace;
`tester` holds `pos test` (runner), `pos diff` (impact) and the pytest plugin; `tools` the policy
editors' lint, `pos fmt`, the rule catalog (`pos rules`) and the docs' examples.
"""

__version__ = "0.1.0"
