"""Reading a trace: each finding with the rule, citation and case lines that gave it (explain),
why a finding did not follow (whynot, query)."""
