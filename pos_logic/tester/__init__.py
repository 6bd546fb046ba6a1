"""Pinned expectations: `expect` blocks compared (expect, runner), rule coverage (coverage), the
impact of a policy edit (impact) and the pytest plugin that collects case files."""
