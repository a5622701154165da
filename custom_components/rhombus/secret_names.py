"""Which field names hold a secret: one rule for diagnostics and the bus.

Generous on purpose: a field hidden by mistake costs a debugging detail, a
secret shown by mistake cannot be taken back. Names are compared lowercased
without ``-`` and ``_`` (``onvif_password``, ``oauthClientSecret``,
``federatedSessionToken``, a location's alarm ``pins``).
"""

from __future__ import annotations

from typing import Final

_SECRET_WORDS: Final = (
    "apikey",
    "accesskey",
    "privatekey",
    "token",
    "secret",
    "password",
    "passwd",
    "passcode",
    "signature",
    "auth",
    "cookie",
    "credential",
    "doorcode",
)
_SECRET_NAMES: Final = frozenset({"key", "sig", "pass", "pwd", "pin", "pins"})


def is_secret_name(key: str) -> bool:
    """Whether a field named ``key`` may hold a credential, a PIN or a code."""
    name = key.lower().replace("-", "").replace("_", "")
    return name in _SECRET_NAMES or any(word in name for word in _SECRET_WORDS)
