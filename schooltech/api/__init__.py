"""The JSON API's shared plumbing, written once for every app's api.py.

    operations.py   `operation(...)`: the permission policy on a django-ninja route
    auth.py         who is calling: an API key (`Authorization: Bearer ...`) or the browser session
    errors.py       the one error schema and the exception handlers that produce it
    site.py         the one NinjaAPI at /api/v1/, with a router from each app's api.py

This module imports nothing, so an app's api.py can use the pieces while site.py imports the apps.
"""
