"""The HTTP API: checks of case text and JSON, located input errors, size and time limits,
the schema, rules and examples routes, and nothing that reaches the file system."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pos_logic.language.casejson import json_schema
from pos_logic.policy.resources import bundled_policies
from pos_logic.web.app import STATIC, Limits, create_app

CASE = ('case "Web"\njurisdiction arkansas\ncontract "A" {\n term 2025-07-01 to 2026-06-30\n'
        ' compensation $25,000.01\n contractor { entity corporation }\n}\n')


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def _findings(body: dict) -> set[tuple[str, str]]:
    return {(f["kind"], f["finding"]) for f in body["case"]["findings"]}


def test_check_case_text(client):
    r = client.post("/v1/check", json={"case": CASE})
    assert r.status_code == 200
    body = r.json()
    assert ("document", "PCS-D") in _findings(body)
    assert body["case"]["source"] == CASE
    pcs_d = next(f for f in body["case"]["findings"] if f["finding"] == "PCS-D")
    assert pcs_d["cite"] and pcs_d["derivations"][0]["premises"], "the page unfolds derivations"
    assert body["case"]["complete"] is False and body["case"]["unstated"], "no on_file: not an all-clear"


def test_the_other_side_of_the_threshold(client):
    body = client.post("/v1/check", json={"case": CASE.replace("$25,000.01", "$25,000.00")}).json()
    assert ("document", "PCS-D") not in _findings(body)


def test_check_case_json_gives_the_same_findings(client):
    doc = {"case": "Web", "jurisdiction": "arkansas", "agreements": [{
        "type": "contract", "name": "A", "term": "2025-07-01 to 2026-06-30", "compensation": "$25,000.01",
        "contractor": {"entity": "corporation"}}]}
    as_json = client.post("/v1/check", json={"case": doc}).json()
    as_text = client.post("/v1/check", json={"case": CASE}).json()
    assert _findings(as_json) == _findings(as_text)


def test_input_errors_are_422_with_line_and_column(client):
    r = client.post("/v1/check", json={"case": CASE.replace("compensation", "compensaton")})
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert (error["line"], error["column"], error["hint"]) == (5, 2, "compensation")


def test_json_case_errors_carry_the_pointer(client):
    doc = {"jurisdiction": "arkansas", "agreements": [{"type": "contract", "name": "A", "compensation": "$1.0",
                                                      "term": "2025-07-01 to 2026-06-30", "contractor": {}}]}
    r = client.post("/v1/check", json={"case": doc})
    assert r.status_code == 422
    assert any(e["message"].startswith("/agreements/0/compensation:") for e in r.json()["errors"])


def test_unknown_setting_is_an_input_error(client):
    r = client.post("/v1/check", json={"case": CASE, "settings": {"no_such_reading": "x"}})
    assert r.status_code == 422 and "unknown setting" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize("filename", ["../../etc/passwd", "/etc/passwd", "a\nb"])
def test_a_filename_is_only_a_label(client, filename):
    assert client.post("/v1/check", json={"case": CASE, "filename": filename}).status_code == 422


def test_size_limit_is_413_declared_or_not():
    with TestClient(create_app(limits=Limits(max_bytes=2048))) as c:
        big = {"case": CASE + "#" * 4096}
        assert c.post("/v1/check", json=big).status_code == 413
        streamed = c.post("/v1/check", content=iter([json.dumps(big).encode()]),
                          headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert "larger than 2,048 bytes" in streamed.json()["detail"]
        assert c.post("/v1/check", json={"case": CASE}).status_code == 200


def test_time_limit_is_408_and_the_server_recovers():
    # 150 agreements: seconds of work, well past the limit however fast one small case is
    many = 'case "Many"\njurisdiction arkansas\n' + "".join(
        f'contract "A{i}" {{\n term 2025-07-01 to 2026-06-30\n compensation $25,000.01\n'
        f' contractor {{ entity corporation }}\n}}\n' for i in range(150))
    with TestClient(create_app(limits=Limits(seconds=0.05))) as c:
        r = c.post("/v1/check", json={"case": many})
        assert r.status_code == 408 and "stopped" in r.json()["detail"]


def test_schema_route_is_the_published_schema(client):
    assert client.get("/v1/schema/arkansas").json() == json_schema("arkansas", bundled_policies())
    assert client.get("/v1/schema/nowhere").status_code == 404
    assert client.get("/v1/schema/..%2F..%2Fetc").status_code == 404


def test_rules_examples_meta_and_openapi(client):
    rules = client.get("/v1/rules").json()
    assert any(r["id"] == "AR-DISC-01" for r in rules["arkansas"])
    examples = client.get("/v1/examples").json()
    assert "acme-counseling.pos" in [e["name"] for e in examples]
    meta = client.get("/v1/meta").json()
    assert meta["jurisdictions"] == sorted(meta["jurisdictions"]) and meta["kinds"][0][0] == "violation"
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/check", "/v1/schema/{jurisdiction}", "/v1/rules"} <= set(paths)


def test_the_page_needs_no_network(client):
    page = client.get("/")
    assert page.status_code == 200 and "<textarea" in page.text
    for asset in [page.text, *(p.read_text(encoding="utf-8") for p in STATIC.iterdir())]:
        assert "http://" not in asset and "https://" not in asset and "//cdn" not in asset
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/docs").status_code == 404, "Swagger UI loads its scripts from a CDN"


def test_why_not_says_which_condition_failed(client):
    r = client.post("/v1/why-not", json={"case": CASE.replace("$25,000.01", "$25,000.00"), "finding": "document PCS-D"})
    assert r.status_code == 200
    assert "document PCS-D is not derived" in r.json()["text"] and "AR-DISC-01" in r.json()["text"]
    derived = client.post("/v1/why-not", json={"case": CASE, "finding": "document PCS-D"}).json()
    assert "IS derived" in derived["text"]
    assert client.post("/v1/why-not", json={"case": CASE, "finding": "approvl dfa"}).status_code == 422


def test_pos_serve_outlives_the_commands_time_limit():
    """`pos --time-limit S` bounds a command's checks; a server runs until it is stopped (each
    request has its own --timeout), so it must not end S seconds after it started (it did, with
    "stopped at the time limit", 600 s after `pos serve` by default)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from pos_logic.policy.policy import load_policy

    load_policy("arkansas", bundled_policies())  # compiled before the clock starts
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "pos_logic", "--policies", str(bundled_policies()),
                               "--time-limit", "2", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(4)
        assert server.poll() is None, server.communicate()[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200
    finally:
        server.terminate()
        server.communicate(timeout=30)
