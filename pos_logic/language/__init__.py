"""The case language: text and JSON case files parsed, schema-checked into the typed case
model, and turned into the facts the rules read. Nothing here knows the rules."""
