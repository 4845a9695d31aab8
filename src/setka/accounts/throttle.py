"""Password-reset requests are limited per e-mail address and per client address (in the
cache), so that nobody can flood an inbox or probe many addresses. The counters run whether
or not an account has the address: the answer tells nothing about accounts."""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

PREFIX = "setka:password-reset"


def _address_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"{PREFIX}:address:{digest}"


def _ip_key(ip: str) -> str:
    return f"{PREFIX}:ip:{ip}"


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one request; whether it is within ``limit`` per ``window`` seconds."""
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit


def reset_allowed(request, email: str) -> bool:
    """Count a reset request for ``email`` from the request's client; False past a limit."""
    window = settings.PASSWORD_RESET_LIMIT_WINDOW
    ip = get_client_ip_address(request) or "unknown"
    if not _hit(_ip_key(ip), settings.PASSWORD_RESET_LIMIT_PER_IP, window):
        return False
    return _hit(_address_key(email), settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, window)
