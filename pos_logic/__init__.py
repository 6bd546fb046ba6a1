"""pos-logic: a declarative policy-as-code checker for purchase-of-service contracts.

The flow of one case, one module per stage:

    case.pos ──parse──▶ syntax.Statement ──schema.check──▶ model.Case
                                                            │ facts.from_case
                                                            ▼
    policies/*.lp ──policy.load_policy (clingo.ast:    clingo Symbols
                    annotations, case threading,        │
                    instrumentation)───────────────▶ engine.run_cases (one Control per chunk)
                                                            ▼
                                                  explain.findings_of: findings + derivations
                                                            ▼
                                   expect.compare · render.text / render.as_json / render.tree

`load` reads a case file end to end; `check` runs files through the whole flow; `cli` is the
`pos` command. `ground` evaluates ground rule instances for `explain`, `whynot` (why a finding
was not derived) and `coverage` (rules fired, both sides of every threshold). The policy
editors' tools: `runner` (`pos test`), `lint`, `catalog` (`pos rules`), `impact` (`pos diff`),
`format` (`pos fmt`).
"""

__version__ = "0.1.0"
