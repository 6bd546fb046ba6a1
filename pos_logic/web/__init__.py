"""`pos serve`: the checker as a local web page and an HTTP API (FastAPI on uvicorn).

    request ──size limit──▶ app (routes, validation) ──▶ worker process (time limit):
                            load_case_text / load_case_json → check_cases → payload JSON
    GET /          the page (static/: a case editor and the checklist, no network needed)
    POST /v1/check a case as text or JSON → findings JSON; GET /v1/schema/{j}, /v1/rules,
                   /v1/examples, /openapi.json

The page and `pos check --format html` (`report`) render the same payload with the same
script, so a saved report shows exactly what the page showed.
"""
