"""Demo data for `make run`: a few bookable resources on the open facilities of the bundled
dataset, a demo manager, a demo member and a demo region admin, all marked as demo. Off in a real
deployment."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from triplehelix.accounts import service as accounts
from triplehelix.accounts.models import User
from triplehelix.config import Settings
from triplehelix.db import transaction
from triplehelix.directory.models import Facility
from triplehelix.facilities.service import ResourceRules, add_resource

MANAGER = "demo-manager@example.org"
MEMBER = "demo-member@example.org"
ADMIN = "demo-admin@example.org"
WORKDAY = {"opens": "08:00", "closes": "18:00", "open_days": "12345"}
# Per facility kind: (resource name, rules). Resources needing approval show the full flow.
RESOURCES: dict[str, list[tuple[str, dict[str, object]]]] = {
    "cleanroom": [("ISO 7 cleanroom bay", {**WORKDAY, "approval_required": True}),
                  ("Gowning room slot", {**WORKDAY, "max_minutes": 60})],
    "gmp_suite": [("Grade B suite", {**WORKDAY, "approval_required": True, "min_minutes": 240,
                                     "max_minutes": 600, "notice_minutes": 2880})],
    "cryo_em": [("Titan Krios session", {"approval_required": True, "max_minutes": 1440,
                                         "access": "qualification",
                                         "qualification": "cryo-em-training"})],
    "mass_spectrometry": [("Orbitrap instrument time", {**WORKDAY, "max_minutes": 240})],
    "microscopy_core": [("Confocal microscope", {**WORKDAY, "max_minutes": 240})],
    "office_lab_space": [("Meeting room", {**WORKDAY, "max_minutes": 240}),
                         ("Flex lab bench", {**WORKDAY, "approval_required": True})],
    "drone_test_field": [("Test flight slot", {**WORKDAY, "approval_required": True})],
    "space_test_facility": [("Thermal vacuum chamber", {"approval_required": True,
                                                        "max_minutes": 2880})],
    "clinical_research_unit": [("Screening room", {**WORKDAY, "max_minutes": 120})],
}  # fmt: skip
DEFAULT = [("Shared equipment slot", {**WORKDAY, "max_minutes": 240})]


def add_demo(engine: Engine, settings: Settings) -> None:
    if not settings.demo:
        return
    with transaction(engine) as session:
        if session.scalar(select(User.id).where(User.is_demo.is_(True))) is None:
            seed_demo(session)


def seed_demo(session: Session) -> None:
    manager = accounts.create_user(session, MANAGER, accounts.DEMO_PASSWORD,
                                   "Demo facility manager (demo data)", is_demo=True)  # fmt: skip
    member = accounts.create_user(session, MEMBER, accounts.DEMO_PASSWORD,
                                  "Demo member (demo data)", is_demo=True)  # fmt: skip
    accounts.grant_qualification(session, None, member, "cryo-em-training")
    admin = accounts.create_user(session, ADMIN, accounts.DEMO_PASSWORD,
                                 "Demo region admin (demo data)", is_demo=True)  # fmt: skip
    accounts.grant_role(session, None, admin, "admin")
    query = select(Facility).where(Facility.shared.is_(True)).order_by(Facility.id)
    for facility in session.scalars(query):
        accounts.grant_role(session, None, manager, "manager", facility.id)
        for name, rules in RESOURCES.get(facility.kind, DEFAULT):
            described = ResourceRules(description="Demo resource: not a real booking offer.",
                                      **rules)  # type: ignore[arg-type]  # fmt: skip
            add_resource(session, None, facility.id, name, described, is_demo=True)
