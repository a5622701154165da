"""Custom integrations (a regular package so tests import them)."""
