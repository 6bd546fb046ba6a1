"""Policy-author tools: lint (and its JSON/SARIF reports), the canonical formatter, the provisions
catalog, and the documentation examples re-run from the docs."""
