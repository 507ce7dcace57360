"""Answer sets for every standard: BEST meets every requirement, WORST meets none.

The scoring tests check every requirement against them; the flow tests use BEST to complete all
twelve assessments through the pages.
"""

BEST = {
    "broadband": {
        "technology": "full_fibre",
        "download": "gigabit",
        "upload": "gigabit",
        "backup": "automatic",
        "filtering": "all",
    },
    "wireless": {
        "coverage": "everywhere",
        "equipment": "all_supported",
        "managed": "yes",
        "guests": "yes",
        "sign_in": "yes",
    },
    "switching": {"speed": "all", "support": "all_supported", "managed": "yes", "power": "both"},
    "cabling": {"copper": "cat6a", "buildings": "fibre", "warranty": "yes"},
    "cyber_security": {
        "risk": "termly",
        "training": "all",
        "acceptable_use": "yes",
        "firewall": "termly",
        "mfa": "all",
        "account_review": "yes",
        "patching": "yes",
        "backup_service": "yes",
        "backup_copies": "yes",
        "restore_test": "yes",
        "reporting": "both",
    },
    "filtering_monitoring": {
        "roles": "both",
        "review": "recorded",
        "provider": "yes",
        "coverage": "all",
        "alerts": "both",
    },
    "digital_leadership": {"lead": "yes", "registers": "all", "continuity": "tested", "strategy": "reviewed"},
    "servers_storage": {"has_servers": "some", "supported": "yes", "power": "yes", "room": "yes"},
    "cloud": {"location": "uk_eu", "dpia": "all", "sign_in": "all", "backup": "yes"},
    "devices": {"updates": "all_meet", "buying": "yes", "remote_wipe": "all", "disposal": "yes"},
    "accessibility": {"policy": "yes", "features": "yes", "training": "yes"},
    "it_support": {"agreement": "yes", "helpdesk": "yes", "review": "yes", "plan": "yes", "training": "yes"},
}

WORST = {
    "broadband": {
        "technology": "copper",
        "download": "under_100",
        "upload": "under_30",
        "backup": "none",
        "filtering": "none",
    },
    "wireless": {"coverage": "poor", "equipment": "some_unsupported", "managed": "no", "guests": "no", "sign_in": "no"},
    "switching": {"speed": "none", "support": "some_unsupported", "managed": "no", "power": "neither"},
    "cabling": {"copper": "older", "buildings": "copper_or_wireless", "warranty": "no"},
    "cyber_security": {
        "risk": "no",
        "training": "no",
        "acceptable_use": "no",
        "firewall": "never",
        "mfa": "none",
        "account_review": "no",
        "patching": "no",
        "backup_service": "no",
        "reporting": "neither",
    },
    "filtering_monitoring": {
        "roles": "neither",
        "review": "older",
        "provider": "no",
        "coverage": "none",
        "alerts": "neither",
    },
    "digital_leadership": {"lead": "no", "registers": "none", "continuity": "no", "strategy": "no"},
    "servers_storage": {"has_servers": "some", "supported": "no", "power": "no", "room": "no"},
    "cloud": {"location": "some_outside", "dpia": "none", "sign_in": "none", "backup": "no"},
    "devices": {"updates": "some_below", "buying": "no", "remote_wipe": "none", "disposal": "no"},
    "accessibility": {"policy": "no", "features": "no", "training": "no"},
    "it_support": {"agreement": "no", "helpdesk": "no", "review": "no", "plan": "no", "training": "no"},
}
