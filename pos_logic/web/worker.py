"""The check of one request, run in a worker process so a time limit can stop it for good
(clingo's grounding cannot be interrupted from another thread; pebble kills the process).

Workers are recycled after a number of requests: clingo keeps every symbol it has seen for the
life of a process, so a long-lived worker would grow with every case it checked."""

from __future__ import annotations

import json
from pathlib import Path

from ..check import check_cases
from ..errors import InputError, PosError
from ..language.load import load_case_text
from .payload import API_VERSION, errors_payload, result_payload


def check_request(policies: Path, case: str | dict, filename: str, settings: dict[str, str],
                  why_not: str | None = None) -> dict:
    """One case (text, or the JSON form as an object) → the findings payload under the
    policies in `policies`, or its errors; with `why_not`, the explanation of why that finding
    is not derived. The folder comes with every request: a worker holds no policy state."""
    from ..language.casejson import load_case_json
    from ..explain.query import QueryError, why_not_text

    try:
        if isinstance(case, dict):
            loaded = load_case_json(json.dumps(case, indent=2, ensure_ascii=False), filename, policies)
        else:
            loaded = load_case_text(case, filename, policies)
        [result] = check_cases([loaded], settings=settings, policies=policies)
        if why_not is not None:
            return {"version": API_VERSION, "text": why_not_text(loaded, result, why_not, settings,
                                                                 policies=policies)}
    except InputError as err:
        return errors_payload(err.diagnostics)
    except QueryError as err:
        return {"version": API_VERSION, "query_error": str(err)}
    except PosError as err:  # the rules themselves are broken: not the request's fault
        return {"version": API_VERSION, "policy_error": str(err)}
    return {"version": API_VERSION, "case": result_payload(result)}
