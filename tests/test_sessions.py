"""Every request's session is closed once it is answered, its connection back in the pool:
after a read, a write, a refusal and an error page, on both databases."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.facilities.factories import make_facility, make_resource, make_user, slot
from triplehelix.accounts.service import create_token
from triplehelix.db import transaction


def test_no_request_keeps_a_connection(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with transaction(engine) as session:
        make_facility(session)
        resource_id = make_resource(session).id
        token = create_token(session, make_user(session, "pool@example.org"))
    start, end = slot(48, 60)
    body = {"resource_id": resource_id, "start": start.isoformat(), "end": end.isoformat()}
    headers = {"Authorization": f"Bearer {token}"}
    answers = [
        client.get("/api/facilities").status_code,
        client.post("/api/bookings", json=body, headers=headers).status_code,
        client.post("/api/bookings", json=body, headers=headers).status_code,  # taken: 409
        client.get("/api/resources/999999").status_code,
        client.post("/api/bookings", json=body).status_code,  # no token: 401
    ]
    assert answers == [200, 201, 409, 404, 401]
    assert engine.pool.checkedout() == 0
