"""The demonstration people: one definition read by `manage.py load_demo_accounts` (memberships in
the service), the other demo generators, and the local OpenID provider in devtools/oidc_provider
(their DfE Sign-in-shaped claims). Plain data, no Django imports, so the provider can read it too.

The demo trust is a real multi-academy trust, Partnership Learning (GIAS group UID 5485), with its
real schools from the shipped Ofsted data (`manage.py load_shipped_data`); the people are fictional.
It replaced the fictional "Demo Learning Trust" (uid DEMO1) once the shipped data had real trusts.
"""

DEMO_PASSWORD = "demo-sign-in-2026"  # local provider only; never used by the service itself
DEMO_TRUST_UID = "5485"
DEMO_TRUST_NAME = "Partnership Learning"
DEMO_TRUST_DIRECTOR_EMAIL = "grace.lee@partnership-learning.example"
DEMO_TRUST_SIZE = 18  # its open schools in the shipped Ofsted data (September 2025)
DEMO_HELPER_URN = "145106"  # George Mitchell School, a Partnership Learning school that offers peer support
FICTIONAL_TRUST_UID = "DEMO1"  # the old demo trust, removed by load_demo_accounts

# organisation: (kind, key, role); claim: DfE Sign-in's `organisation` claim for that organisation.
DEMO_PEOPLE = [
    {
        "sub": "7d4f2a10-1c3b-4e5f-9a01-000000000001",
        "email": "priya.shah@aldgate-school.example",
        "given_name": "Priya",
        "family_name": "Shah",
        "description": "School business manager, The Aldgate School (primary, City of London)",
        "organisation": ("establishment", "100000", "approver"),
        "claim": {
            "id": "1b0c9f0e-5f5e-4a53-8f7e-100000000000",
            "name": "The Aldgate School",
            "category": {"id": "001", "name": "Establishment"},
            "type": {"id": "02", "name": "Voluntary aided school"},
            "urn": "100000",
            "uid": None,
            "ukprn": None,
            "establishmentNumber": "3614",
            "status": {"id": 1, "name": "Open"},
        },
    },
    {
        "sub": "7d4f2a10-1c3b-4e5f-9a01-000000000002",
        "email": "tom.okafor@haverstock.example",
        "given_name": "Tom",
        "family_name": "Okafor",
        "description": "IT lead, Haverstock School (secondary, Camden)",
        "organisation": ("establishment", "100049", "editor"),
        "claim": {
            "id": "1b0c9f0e-5f5e-4a53-8f7e-100049000000",
            "name": "Haverstock School",
            "category": {"id": "001", "name": "Establishment"},
            "type": {"id": "01", "name": "Community school"},
            "urn": "100049",
            "uid": None,
            "ukprn": None,
            "status": {"id": 1, "name": "Open"},
        },
    },
    {
        "sub": "7d4f2a10-1c3b-4e5f-9a01-000000000003",
        "email": DEMO_TRUST_DIRECTOR_EMAIL,
        "given_name": "Grace",
        "family_name": "Lee",
        "description": "IT director, Partnership Learning (a real multi-academy trust of 18 schools)",
        "organisation": ("trust", DEMO_TRUST_UID, "approver"),
        "claim": {
            "id": "1b0c9f0e-5f5e-4a53-8f7e-000000005485",
            "name": DEMO_TRUST_NAME,
            "category": {"id": "010", "name": "Multi-Academy Trust"},
            "urn": None,
            "uid": DEMO_TRUST_UID,
            "ukprn": None,
            "status": {"id": 1, "name": "Open"},
        },
    },
    {
        "sub": "7d4f2a10-1c3b-4e5f-9a01-000000000004",
        "email": "daniel.evans@camden.example",
        "given_name": "Daniel",
        "family_name": "Evans",
        "description": "Schools ICT officer, London Borough of Camden (local authority 202)",
        "organisation": ("local_authority", "202", "viewer"),
        "claim": {
            "id": "1b0c9f0e-5f5e-4a53-8f7e-000000000202",
            "name": "Camden",
            "category": {"id": "002", "name": "Local Authority"},
            "establishmentNumber": "202",
            "urn": None,
            "uid": None,
            "status": {"id": 1, "name": "Open"},
        },
    },
    {
        "sub": "7d4f2a10-1c3b-4e5f-9a01-000000000005",
        "email": "aisha.khan@education.example",
        "given_name": "Aisha",
        "family_name": "Khan",
        "description": "Analyst and legacy risk reviewer, Department for Education (national figures, legacy register)",
        "organisation": ("department", "", "risk_reviewer"),
        "claim": {
            "id": "1b0c9f0e-5f5e-4a53-8f7e-0000000000df",
            "name": "Department for Education",
            "category": {"id": "011", "name": "Government"},
            "status": {"id": 1, "name": "Open"},
        },
    },
    {
        "sub": "7d4f2a10-1c3b-4e5f-9a01-000000000007",
        "email": "sara.ahmed@george-mitchell.example",
        "given_name": "Sara",
        "family_name": "Ahmed",
        "description": "Network manager, George Mitchell School (Partnership Learning): offers peer support",
        "organisation": ("establishment", DEMO_HELPER_URN, "approver"),
        "claim": {
            "id": "1b0c9f0e-5f5e-4a53-8f7e-145106000000",
            "name": "George Mitchell School",
            "category": {"id": "001", "name": "Establishment"},
            "type": {"id": "28", "name": "Academy sponsor led"},
            "urn": DEMO_HELPER_URN,
            "uid": None,
            "ukprn": None,
            "status": {"id": 1, "name": "Open"},
        },
    },
    {
        "sub": "7d4f2a10-1c3b-4e5f-9a01-000000000006",
        "email": "sam.support@education.example",
        "given_name": "Sam",
        "family_name": "Support",
        "description": "Support administrator (Django admin, every audit record)",
        "organisation": None,
        "is_staff": True,
        "claim": None,
    },
]


def demo_school_urns() -> list[str]:
    """The URNs of the demo people's own schools (not the demo trust's)."""
    return [
        person["organisation"][1]
        for person in DEMO_PEOPLE
        if (person.get("organisation") or ("",))[0] == "establishment"
    ]
