"""Schemathesis hooks for Tests/Peers/schemathesis_run.sh (loaded through SCHEMATHESIS_HOOKS).

The daemon under test trusts 127.0.0.1 as a reverse proxy (server.trustedProxies), and
each request gets a client address of its own in X-Forwarded-For. Schemathesis sends
refused tokens on purpose (the ignored_auth check, with and without a token), and ten
refusals a minute from one address would otherwise answer everything after them with
429 too-many-attempts, so that the rest of the run would test nothing. The probes
ignored_auth derives from a request copy its headers, so they share its address.
"""
import itertools
import os
import threading

import schemathesis

_counter = itertools.count(1)
_lock = threading.Lock()


def _next_address() -> str:
    with _lock:
        n = next(_counter)
    # 127.1.0.0/16 onwards: loopback addresses, only ever written in a header.
    return f"127.{1 + n // 65536 % 254}.{n // 256 % 256}.{n % 256}"


# Deliveries and webhooks are the admin's: where the run's token (a handlaggare's) was
# put in for bearerAuth, their operations get the admin token instead.
_TOKEN = os.environ.get("BEVAKA_TOKEN", "")
_ADMIN_TOKEN = os.environ.get("BEVAKA_ADMIN_TOKEN", "")


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = dict(case.headers or {})
    headers["X-Forwarded-For"] = _next_address()
    if (_ADMIN_TOKEN and case.operation.path.startswith(("/deliveries", "/webhooks"))
            and headers.get("Authorization") == f"Bearer {_TOKEN}"):
        headers["Authorization"] = f"Bearer {_ADMIN_TOKEN}"
    case.headers = headers


@schemathesis.hook
def before_load_schema(context, raw_schema):
    """The daemon runs in auth.mode tokens: only bearerAuth applies there, so schemathesis
    is not to send the development mode's Bevaka-Actor header (refused with a token)."""
    for item in raw_schema.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = [requirement for requirement in operation["security"]
                                         if "developmentHeaders" not in requirement]
    raw_schema.get("components", {}).get("securitySchemes", {}).pop("developmentHeaders", None)


# ignored_auth probes every operation with one fixed wrong bearer token. The daemon
# limits refused attempts per token as well as per address, so the same wrong token
# on more than ten operations within a minute is answered 429, which that check does
# not take for a refusal. Each probe gets a wrong token of its own instead
# (bvk_<id>_<secret>: its id names the account the daemon counts by).
from schemathesis.specs.openapi import _auth_retry  # noqa: E402  (pinned schemathesis 4.32.5)

_original_invalid_value_for = _auth_retry._invalid_value_for


def _unique_invalid_value_for(parameter):
    value = _original_invalid_value_for(parameter)
    if value.startswith("Bearer "):
        with _lock:
            n = next(_counter)
        return f"Bearer bvk_probe{n}_SCHEMATHESIS-INVALID-VALUE"
    return value


_auth_retry._invalid_value_for = _unique_invalid_value_for
