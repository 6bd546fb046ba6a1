"""Output: the checklist as text, rich terminal text or JSON."""
