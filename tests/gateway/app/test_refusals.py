"""Refusals across routes: strict JSON bodies, no slash redirects, ID numbers read as the
adapters read them, tokens of the wrong kind named, locations that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gateway._node import OPERATOR, client_for, node_settings

pytestmark = pytest.mark.anyio
JSON = {**OPERATOR, "Content-Type": "application/json"}
PARTNER = {"Authorization": "Bearer zz-token"}


@pytest.mark.parametrize(("body", "said"), [
    (b'{"note": "first", "note": "second"}', "duplicate key 'note'"),
    (b'{"note": "\\ud800"}', "surrogate"),
    (b'{"note": "a"} {"note": "b"}', "extra data"),
])
async def test_a_resolution_body_is_read_as_strictly_as_notices(database_url: str,
                                                                tmp_path: Path, body: bytes,
                                                                said: str) -> None:
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        response = await client.post("/api/v1/pending/1/resolve", content=body, headers=JSON)
        assert response.status_code == 400 and response.json()["error"] == "bad-request"
        assert said in response.json()["message"]


async def test_a_resolution_body_with_a_bom_is_read_and_a_wrong_shape_is_located(
        database_url: str, tmp_path: Path) -> None:
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        read = await client.post("/api/v1/pending/1/resolve",
                                 content='\ufeff{"note": "已核实"}'.encode(), headers=JSON)
        assert read.status_code == 404  # read, and no item 1 here
        shaped = await client.post("/api/v1/pending/1/resolve", content=b"[]", headers=JSON)
        assert shaped.status_code == 400 and shaped.json()["message"].startswith("body: ")


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/v1/pending/"),
                                              ("POST", "/api/v1/notices/"),
                                              ("GET", "/healthz/")])
async def test_a_trailing_slash_is_not_found_and_not_redirected(tmp_path: Path, method: str,
                                                                path: str) -> None:
    settings = node_settings(f"sqlite:///{tmp_path}/g.db", tmp_path)
    async with client_for(settings) as (client, _):
        response = await client.request(method, path, headers={**JSON, "Host": "evil.example"})
        assert response.status_code == 404 and "location" not in response.headers
        assert response.json()["error"] == "not-found"


@pytest.mark.parametrize(("given", "masked"), [
    ("41162319900712108x", "4116************8X"),
    ("411623900712108", "4116************8X"),  # upgraded: 19900712 and its check character
])
async def test_a_record_is_asked_for_as_the_adapters_read_numbers(tmp_path: Path, given: str,
                                                                 masked: str) -> None:
    settings = node_settings(f"sqlite:///{tmp_path}/g.db", tmp_path)
    async with client_for(settings) as (client, _):
        response = await client.get(f"/api/v1/records/{given}", headers=OPERATOR)
        assert response.status_code == 404
        assert response.json()["message"] == f"no record for {masked}"
        bad = await client.get("/api/v1/records/4116231990071210", headers=OPERATOR)
        assert bad.status_code == 400 and "not a citizen ID number" in bad.json()["message"]
        stranger = await client.get("/api/v1/records/4116231990071210")
        assert stranger.status_code == 401  # the token is asked for before the number


async def test_a_token_of_the_wrong_kind_is_named(tmp_path: Path) -> None:
    settings = node_settings(f"sqlite:///{tmp_path}/g.db", tmp_path,
                             pull_partners=["410100-RKJS"])
    async with client_for(settings) as (client, _):
        partner_on_operator = await client.get("/api/v1/pending", headers=PARTNER)
        assert partner_on_operator.status_code == 401
        assert "takes the operator token, not a partner's" in \
            partner_on_operator.json()["message"]
        operator_on_partner = await client.get("/api/v1/inbox", headers=OPERATOR)
        assert operator_on_partner.status_code == 401
        assert "takes a partner node's token, not the operator's" in \
            operator_on_partner.json()["message"]
        stranger = await client.get("/api/v1/pending",
                                    headers={"Authorization": "Bearer nobody"})
        assert stranger.json()["message"] == "the operator token is not valid"
