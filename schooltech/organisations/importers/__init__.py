"""Loaders that turn files into records for organisations.services (the shipped open data)."""
