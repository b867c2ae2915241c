#!/usr/bin/env python3
"""A real OpenID Provider (IdentityPython's idpyoidc) for Bevaka's tests.

    oidc_provider.py [--port 0] [--config FILE.json]
                     [--client-id ID --client-secret S --redirect-uri URI ...]
                     [--post-logout-redirect-uri URI ...] [--backchannel-logout-uri URI]
                     [--system-client-id ID --system-client-secret S]
                     [--audience AUD] [--system-scope SCOPE ...]
                     [--user ID:NAME:GROUP,GROUP ...]

PORT 0 picks a free port. Prints "LISTENING <issuer>" (issuer = http://127.0.0.1:<port>)
once it serves. Everything protocol-related -- discovery, authorization and token
endpoints, PKCE (S256 only, required), client authentication, client_credentials,
ID token and JWT access token minting and signing, userinfo, introspection,
RP-initiated logout -- is idpyoidc's own code. This file is glue: configuration,
an http.server front end, a username-only login form (test users have no password)
and the test controls below. See README-oidc.md.

Test controls (127.0.0.1 only, like everything here):
  POST /_test/rotate-keys            new signing key(s) become current; the old ones stay
                                     in the JWKS (retired) until dropped.
                                     ?keep_old=false drops them at once.
  POST /_test/drop-retired-keys      removes retired keys from the JWKS and the key jar.
  GET  /_test/keys                   {"current": [kid], "retired": [kid...],
                                      "published": [kid...], "signing_alg": "RS256"}

Workarounds for three bugs of idpyoidc 5.0.0 and one of cryptojwt 1.11.0 are
below (ClientCredentialsEachTime, Authorization, BrowserLogout, and the key
rotation in Provider); each says what it works around.
"""

import argparse
import html
import http.cookies
import http.server
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from urllib.parse import parse_qsl

from cryptojwt.key_bundle import build_key_bundle
from idpyoidc.message.oauth2 import ResponseMessage
from idpyoidc.message.oidc import AccessTokenRequest, AuthorizationRequest
from idpyoidc.server import Server
from idpyoidc.server.configure import OPConfiguration
from idpyoidc.server.exception import ClientAuthenticationError, FailedAuthentication
from idpyoidc.server.oauth2.add_on.pkce import CC_METHOD
from idpyoidc.server.oauth2.token_helper.client_credentials import ClientCredentials
from idpyoidc.server.oidc.authorization import Authorization as OidcAuthorization
from idpyoidc.server.oidc.session import Session
from idpyoidc.server.oidc.token import Token
from idpyoidc.server.token.jwt_token import JWTToken
from idpyoidc.server.user_authn.user import UserPassJinja2

# The test runner may start us with SIGTERM blocked; be stoppable either way.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

DEFAULTS = {
    "users": [
        {"id": "anna", "name": "Anna Andersson", "groups": ["handlaggare"]},
        {"id": "bo", "name": "Bo Berg", "groups": ["beslutsfattare"]},
        {"id": "admin", "name": "Ada Admin", "groups": ["bevaka-admin"]},
    ],
    "web_client": {
        "client_id": "bevaka-web",
        "client_secret": "bevaka-web-secret",
        "redirect_uris": ["http://127.0.0.1:8080/auth/callback"],
        "post_logout_redirect_uris": ["http://127.0.0.1:8080/"],
        "backchannel_logout_uri": None,
        "scopes": ["openid", "profile", "email", "groups", "offline_access"],
    },
    "system_client": {
        "client_id": "bevaka-system",
        "client_secret": "bevaka-system-secret",
        "scopes": ["bevaka.read", "bevaka.write"],
    },
    # The "aud" of every access token (both clients): the API that accepts them.
    "audience": "bevaka-api",
    "signing_alg": "RS256",
    "access_token_lifetime": 3600,
    "id_token_lifetime": 3600,
    "code_lifetime": 600,
}

SIGNING_KEY_DEFS = [{"type": "RSA", "use": ["sig"]}]

TEMPLATES = {
    "login.html": """<!doctype html>
<html><head><meta charset="utf-8"><title>{{ page_header }}</title></head>
<body><h1>{{ page_header }}</h1>
<p>Test provider: any known user signs in without a password.</p>
<form method="post" action="{{ action }}">
<input type="hidden" name="token" value="{{ token }}">
<label>{{ user_label }} <input type="text" name="username" autofocus></label>
<button type="submit">{{ submit_btn }}</button>
</form></body></html>
""",
}

LOGOUT_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Log out</title></head>
<body><h1>Log out from {op}?</h1>
<form method="post" action="/logout/confirm">
<input type="hidden" name="sjwt" value="{sjwt}">
<label><input type="checkbox" name="logout" value="all"> from every client</label>
<button type="submit">Log out</button>
</form></body></html>
"""


class UsernameOnly(UserPassJinja2):
    """idpyoidc's form login (its signed hidden token carries the authorization
    request across the form), with the password check left out: a test user
    signs in by name alone."""

    url_endpoint = "/login"

    def verify(self, *args, **kwargs):
        username = kwargs.get("username", "")
        if username in self.user_db:
            return username
        raise FailedAuthentication("unknown user")


class AudienceJWTToken(JWTToken):
    """idpyoidc's JWT access token (RFC 9068 profile) with the configured API
    audience as "aud" and the client's id as "client_id" (also for
    client_credentials, where there is no authorization request to take it from)."""

    def load_custom_claims(self, payload=None):
        payload = dict(payload or {})
        context = self.upstream_get("context")
        try:
            _, client_id, _ = context.session_manager.decrypt_branch_id(payload["sid"])
        except Exception:
            client_id = payload.get("client_id")
        if client_id:
            payload.setdefault("client_id", client_id)
            if payload.get("sub") in (None, "") or payload.get("sub") == "client_credentials":
                payload["sub"] = client_id
        if self.def_aud:
            payload["aud"] = list(self.def_aud)
        return payload


class ClientCredentialsEachTime(ClientCredentials):
    """idpyoidc's client_credentials helper, unchanged, but for one bug in 5.0.0: it
    looks for the client's previous client_credentials session with
    SessionManager.get(["client_credentials", client_id]), which returns the client
    node rather than a session-info dict, so a client's second request fails
    (TypeError: 'ClientSessionInfo' object is not subscriptable). Here that lookup
    misses, so the helper takes its own "no previous session" branch (a new grant)
    every time; the minting is still the helper's."""

    def process_request(self, req, **kwargs):
        manager = self.endpoint.upstream_get("context").session_manager
        lookup = manager.get
        misses = [["client_credentials", req.get("client_id")]]

        def get(path, *args, **kw):
            if misses and list(path) == misses[0]:  # the helper's lookup only
                misses.clear()
                raise KeyError(path)
            return lookup(path, *args, **kw)

        manager.get = get  # requests are served one at a time (Provider.lock)
        try:
            return super().process_request(req, **kwargs)
        finally:
            del manager.get


class Authorization(OidcAuthorization):
    """idpyoidc's OpenID Connect authorization endpoint, unchanged, but for one bug
    in 5.0.0: on a request with an OP session cookie (SSO, prompt=none) it tries to
    base64- and JSON-decode the user id and catches only UnicodeDecodeError, so a
    user id that happens to be valid base64 of UTF-8 text (e.g. "bo") makes it fail
    with JSONDecodeError. Such an id is taken as it is, which is what the method
    does for every other undecodable id."""

    def _unwrap_identity(self, identity):
        try:
            return super()._unwrap_identity(identity)
        except ValueError:
            return identity


class BrowserLogout(Session):
    """idpyoidc's end_session endpoint, unchanged, but for one bug in 5.0.0: its
    parse_request expects any client authentication result to carry a bearer
    token, while the catch-all "none" method returns one without (KeyError 'token'),
    and with an explicit method list an unauthenticated request is refused. An
    RP-initiated logout comes from the user's browser and has no client
    authentication (OpenID Connect RP-Initiated Logout 1.0), so none is done; the
    id_token_hint, the session cookie and post_logout_redirect_uri are still
    checked by the library."""

    def client_authentication(self, request, http_info=None, **kwargs):
        return {}


def subject_is_user_id(uid, *args, **kwargs):
    """sub = the user's id (stable and readable in tests)."""
    return uid


def load_settings(args):
    settings = json.loads(json.dumps(DEFAULTS))
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            given = json.load(f)
        for key, value in given.items():
            if isinstance(value, dict) and isinstance(settings.get(key), dict):
                settings[key].update(value)
            else:
                settings[key] = value
    web, system = settings["web_client"], settings["system_client"]
    for attr, key in [("client_id", "client_id"), ("client_secret", "client_secret")]:
        if getattr(args, attr):
            web[key] = getattr(args, attr)
        if getattr(args, "system_" + attr):
            system[key] = getattr(args, "system_" + attr)
    if args.redirect_uri:
        web["redirect_uris"] = args.redirect_uri
    if args.post_logout_redirect_uri:
        web["post_logout_redirect_uris"] = args.post_logout_redirect_uri
    if args.backchannel_logout_uri:
        web["backchannel_logout_uri"] = args.backchannel_logout_uri
    if args.system_scope:
        system["scopes"] = args.system_scope
    if args.audience:
        settings["audience"] = args.audience
    if args.user:
        users = []
        for spec in args.user:
            uid, _, rest = spec.partition(":")
            name, _, groups = rest.partition(":")
            users.append({"id": uid, "name": name or uid,
                          "groups": [g for g in groups.split(",") if g]})
        settings["users"] = users
    return settings


def user_claims(user):
    claims = {
        "sub": user["id"],
        "preferred_username": user["id"],
        "name": user.get("name", user["id"]),
        "email": user.get("email", f"{user['id']}@bevaka.test"),
        "email_verified": True,
        "groups": list(user.get("groups", [])),
    }
    claims.update(user.get("claims", {}))
    return claims


def op_configuration(settings, issuer, workdir):
    alg = settings["signing_alg"]
    audience = settings["audience"]
    audiences = [audience] if isinstance(audience, str) else list(audience)
    extra_claims = ["preferred_username", "name", "email", "email_verified", "groups"]
    users = {u["id"]: user_claims(u) for u in settings["users"]}
    scopes_to_claims = {
        "openid": ["sub"],
        "profile": ["name", "preferred_username"],
        "email": ["email", "email_verified"],
        "groups": ["groups"],
    }
    return {
        "issuer": issuer,
        "httpc_params": {"verify": False, "timeout": 4},
        "keys": {"key_defs": SIGNING_KEY_DEFS, "uri_path": "jwks"},
        "template_dir": os.path.join(workdir, "templates"),
        "preference": {
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [alg],
            "userinfo_signing_alg_values_supported": [alg],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic",
                                                              "client_secret_post"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
            "frontchannel_logout_supported": False,
            "frontchannel_logout_session_required": False,
            "encrypt_userinfo_supported": False,
            "encrypt_id_token_supported": False,
            "encrypt_request_object_supported": False,
            "scopes_supported": sorted(set(settings["web_client"]["scopes"])
                                       | set(settings["system_client"]["scopes"])),
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
                                 "acr", "sid"] + extra_claims,
        },
        "scopes_to_claims": scopes_to_claims,
        "add_on": {
            "pkce": {
                "function": "idpyoidc.server.oauth2.add_on.pkce.add_support",
                "kwargs": {"essential": True,
                           "code_challenge_methods": {"S256": CC_METHOD["S256"]}},
            },
        },
        "authz": {
            "class": "idpyoidc.server.authz.AuthzHandling",
            "kwargs": {"grant_config": {
                "usage_rules": {
                    "authorization_code": {
                        "supports_minting": ["access_token", "refresh_token", "id_token"],
                        "max_usage": 1,
                        "expires_in": settings["code_lifetime"],
                    },
                    "access_token": {"expires_in": settings["access_token_lifetime"]},
                    "refresh_token": {
                        "supports_minting": ["access_token", "refresh_token", "id_token"],
                        "expires_in": 86400,
                    },
                },
                "expires_in": 43200,
            }},
        },
        "authentication": {
            "user": {
                "acr": "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified",
                "class": f"{__name__}.UsernameOnly",
                "kwargs": {
                    "verify_endpoint": "/login",
                    "template": "login.html",
                    "db": {"class": "idpyoidc.server.util.JSONDictDB",
                           "kwargs": {"filename": os.path.join(workdir, "users-login.json")}},
                    "page_header": "Bevaka test provider",
                    "user_label": "Username",
                    "submit_btn": "Sign in",
                },
            }
        },
        "claims_interface": {"class": "idpyoidc.server.session.claims.ClaimsInterface",
                             "kwargs": {}},
        "cookie_handler": {
            "class": "idpyoidc.server.cookie_handler.CookieHandler",
            "kwargs": {
                "keys": {"key_defs": [{"type": "OCT", "use": ["enc"], "kid": "enc"},
                                      {"type": "OCT", "use": ["sig"], "kid": "sig"}]},
                "name": {"session": "oidc_op", "register": "oidc_op_rp",
                         "session_management": "sman"},
            },
        },
        "endpoint": {
            "provider_info": {
                "path": ".well-known/openid-configuration",
                "class": "idpyoidc.server.oidc.provider_config.ProviderConfiguration",
                "kwargs": {"client_authn_method": None},
            },
            "authorization": {
                "path": "authorize",
                "class": f"{__name__}.Authorization",
                "kwargs": {
                    "client_authn_method": None,
                    "claims_parameter_supported": True,
                    "request_parameter_supported": False,
                    "request_uri_parameter_supported": False,
                    "response_types_supported": ["code"],
                    "response_modes_supported": ["query"],
                },
            },
            "token": {
                "path": "token",
                "class": "idpyoidc.server.oidc.token.Token",
                "kwargs": {
                    "client_authn_method": ["client_secret_basic", "client_secret_post"],
                    "grant_types_helpers": {
                        "authorization_code": {
                            "class": "idpyoidc.server.oidc.token_helper.access_token.AccessTokenHelper"},
                        "refresh_token": {
                            "class": "idpyoidc.server.oidc.token_helper.refresh_token.RefreshTokenHelper"},
                        "client_credentials": {
                            "class": f"{__name__}.ClientCredentialsEachTime"},
                    },
                },
            },
            "userinfo": {
                "path": "userinfo",
                "class": "idpyoidc.server.oidc.userinfo.UserInfo",
                "kwargs": {"always_add_claims": extra_claims},
            },
            "introspection": {
                "path": "introspect",
                "class": "idpyoidc.server.oauth2.introspection.Introspection",
                "kwargs": {"client_authn_method": ["client_secret_basic", "client_secret_post"]},
            },
            "end_session": {
                "path": "logout",
                "class": f"{__name__}.BrowserLogout",
                "kwargs": {
                    "client_authn_method": None,
                    "logout_verify_url": issuer + "/logout/verify",
                    "post_logout_uri_path": "logged-out",
                    "signing_alg": alg,
                    "frontchannel_logout_supported": False,
                    "backchannel_logout_supported": True,
                    "backchannel_logout_session_supported": True,
                },
            },
        },
        "token_handler_args": {
            "jwks_def": {"key_defs": [{"type": "oct", "bytes": 24, "use": ["enc"],
                                       "kid": "code"}],
                         "private_path": os.path.join(workdir, "token_jwks.json")},
            "code": {"kwargs": {"lifetime": settings["code_lifetime"]}},
            "token": {
                "class": f"{__name__}.AudienceJWTToken",
                "kwargs": {
                    "lifetime": settings["access_token_lifetime"],
                    "alg": alg,
                    "aud": audiences,
                    "always_add_claims": ["groups", "preferred_username"],
                },
            },
            "refresh": {"kwargs": {"lifetime": 86400}},
            "id_token": {
                "class": "idpyoidc.server.token.id_token.IDToken",
                "kwargs": {"lifetime": settings["id_token_lifetime"],
                           "always_add_claims": extra_claims},
            },
        },
        "userinfo": {"class": "idpyoidc.server.user_info.UserInfo", "kwargs": {"db": users}},
        "session_params": {
            "sub_func": {"public": {"function": f"{__name__}.subject_is_user_id"}},
        },
        "login_hint2acrs": {
            "class": "idpyoidc.server.login_hint.LoginHint2Acrs",
            "kwargs": {"scheme_map": {}},
        },
    }


class Provider:
    def __init__(self, settings, issuer, workdir):
        self.settings = settings
        self.issuer = issuer
        self.lock = threading.RLock()
        with open(os.path.join(workdir, "users-login.json"), "w", encoding="utf-8") as f:
            json.dump({u["id"]: "" for u in settings["users"]}, f)
        os.makedirs(os.path.join(workdir, "templates"))
        for name, text in TEMPLATES.items():
            with open(os.path.join(workdir, "templates", name), "w", encoding="utf-8") as f:
                f.write(text)
        conf = OPConfiguration(conf=op_configuration(settings, issuer, workdir),
                               base_path=workdir, domain="127.0.0.1", port=0)
        self.server = Server(conf, cwd=workdir)
        self.context = self.server.context
        self.retired = {}  # kid -> time retired
        web, system = settings["web_client"], settings["system_client"]
        now = int(time.time())
        web_info = {
            "client_id": web["client_id"],
            "client_secret": web["client_secret"],
            "client_id_issued_at": now,
            "client_secret_expires_at": 0,
            "redirect_uris": [(uri, {}) for uri in web["redirect_uris"]],
            "post_logout_redirect_uri": [(uri, {}) for uri in web["post_logout_redirect_uris"]],
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "client_secret_basic",
            "allowed_scopes": web["scopes"],
            "pkce_essential": True,
            "id_token_signed_response_alg": settings["signing_alg"],
        }
        if web.get("backchannel_logout_uri"):
            web_info["backchannel_logout_uri"] = web["backchannel_logout_uri"]
            web_info["backchannel_logout_session_required"] = True
        self.context.cdb[web["client_id"]] = web_info
        self.context.cdb[system["client_id"]] = {
            "client_id": system["client_id"],
            "client_secret": system["client_secret"],
            "client_id_issued_at": now,
            "client_secret_expires_at": 0,
            "redirect_uris": [],
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_method": "client_secret_basic",
            "allowed_scopes": system["scopes"],
        }
        self.keyjar = self.server.keyjar

    # --- keys -----------------------------------------------------------------
    # cryptojwt 1.11.0's own rotation (KeyJar.rotate_keys) marks the old keys
    # inactive, but its KeyIssuer.get() has that test the wrong way round: a JWT
    # signer still gets the inactive key first, and verification skips it. So a
    # rotation here keeps every key active and puts the new key's bundle first,
    # which is the one cryptojwt's JWT signer picks (keys[0]); the old ones still
    # verify what they signed until they are dropped. The keys themselves are
    # generated by cryptojwt (build_key_bundle).
    def _owners(self):
        # idpyoidc keeps its own keys under "" and a copy under its issuer id.
        return [owner for owner in ("", self.issuer) if owner in self.keyjar.owners()]

    def _signing_keys(self):
        """(kid, key) of our asymmetric signing keys, current first."""
        seen = {}
        for bundle in self.keyjar[""].get_bundles():
            for key in bundle.keys():
                if key.kty != "oct" and key.use in ("sig", "", None) and key.kid not in seen:
                    seen[key.kid] = key
        return list(seen.items())

    def jwks(self):
        return {"keys": [key.serialize(private=False) for _, key in self._signing_keys()]}

    def key_summary(self):
        kids = [kid for kid, _ in self._signing_keys()]
        return {"current": kids[:1], "retired": [k for k in kids[1:] if k in self.retired],
                "published": kids, "signing_alg": self.settings["signing_alg"]}

    def rotate_keys(self, keep_old=True):
        old = [kid for kid, _ in self._signing_keys()]
        fresh = build_key_bundle(SIGNING_KEY_DEFS)
        for owner in self._owners():
            issuer = self.keyjar[owner]
            issuer.set([fresh] + issuer.get_bundles())
            self.keyjar[owner] = issuer
        now = time.time()
        self.retired.update({kid: now for kid in old})
        if not keep_old:
            return self.drop_retired()
        return self.key_summary()

    def drop_retired(self):
        doomed = set(self.retired)
        for owner in self._owners():
            issuer = self.keyjar[owner]
            kept = []
            for bundle in issuer.get_bundles():
                keys = [k for k in bundle.keys() if k.kty != "oct"]
                if keys and all(k.kid in doomed for k in keys):
                    continue
                kept.append(bundle)
            issuer.set(kept)
            self.keyjar[owner] = issuer
        self.retired = {}
        return self.key_summary()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    provider = None  # set in main()
    server_version = "BevakaTestOP/idpyoidc"

    def log_message(self, fmt, *args):
        sys.stderr.write("oidc_provider: %s %s\n" % (self.address_string(), fmt % args))

    # --- plumbing -------------------------------------------------------------
    def _reply(self, status, body=b"", content_type="application/json", headers=(), cookies=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if body or status not in (204, 302, 303):
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            if name.lower() not in ("content-length",):
                self.send_header(name, value)
        for spec in cookies:
            self.send_header("Set-Cookie", cookie_header(spec))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location, cookies=()):
        self._reply(302, b"", headers=[("Location", location)], cookies=cookies)

    def _error(self, status, error, description):
        self._reply(status, {"error": error, "error_description": description})

    def _form(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        return raw, dict(parse_qsl(raw, keep_blank_values=True))

    def _cookies(self):
        jar = http.cookies.SimpleCookie()
        for header in self.headers.get_all("Cookie") or []:
            try:
                jar.load(header)
            except http.cookies.CookieError:
                pass
        return [{"name": name, "value": morsel.value} for name, morsel in jar.items()]

    def _http_info(self):
        return {
            "headers": {k.lower(): v for k, v in self.headers.items()
                        if k.lower() not in ("cookie", "user-agent")},
            "method": self.command,
            "url": self.provider.issuer + self.path,
            "cookie": self._cookies(),
        }

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def _dispatch(self):
        if not self.client_address[0].startswith("127."):
            return self._error(403, "access_denied", "loopback only")
        path, _, query = self.path.partition("?")
        routes = {
            ("GET", "/.well-known/openid-configuration"): lambda: self._endpoint("provider_config", query),
            ("GET", "/jwks"): self._jwks,
            ("GET", "/authorize"): lambda: self._endpoint("authorization", query),
            ("POST", "/login"): self._login,
            ("POST", "/token"): lambda: self._endpoint("token", None),
            ("GET", "/userinfo"): lambda: self._endpoint("userinfo", query),
            ("POST", "/userinfo"): lambda: self._endpoint("userinfo", None),
            ("POST", "/introspect"): lambda: self._endpoint("introspection", None),
            ("GET", "/logout"): lambda: self._endpoint("session", query),
            ("GET", "/logout/verify"): lambda: self._logout_verify(query),
            ("POST", "/logout/confirm"): self._logout_confirm,
            ("GET", "/logged-out"): lambda: self._reply(200, "<p>Logged out.</p>", "text/html"),
            ("GET", "/_test/keys"): lambda: self._reply(200, self.provider.key_summary()),
            ("POST", "/_test/rotate-keys"): lambda: self._rotate(query),
            ("POST", "/_test/drop-retired-keys"): self._drop,
        }
        method = "GET" if self.command == "HEAD" else self.command
        route = routes.get((method, path))
        if route is None:
            if any(p == path for (_, p) in routes):
                return self._error(405, "invalid_request", f"{self.command} not allowed on {path}")
            return self._error(404, "invalid_request", f"no such path {path}")
        try:
            with self.provider.lock:
                route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away; nothing to answer
        except Exception as err:  # a bug in glue or library: say so, keep serving
            traceback.print_exc(file=sys.stderr)
            self._error(500, "server_error", f"{type(err).__name__}: {err}")

    # --- the library's endpoints ---------------------------------------------
    def _endpoint(self, name, query):
        """As idpyoidc's own Flask example does: parse_request, process_request,
        do_response, with the library deciding every answer."""
        server = self.provider.server
        endpoint = server.get_endpoint(name)
        http_info = self._http_info()
        if query is None:
            raw, _ = self._form()
            content_type = self.headers.get("Content-Type", "")
            if "json" in content_type:
                req_args = raw
            else:
                req_args = dict(parse_qsl(raw, keep_blank_values=True))
        else:
            req_args = dict(parse_qsl(query, keep_blank_values=True))
        try:
            req = endpoint.parse_request(req_args, http_info=http_info)
        except ClientAuthenticationError as err:
            return self._error(401, "invalid_client", str(err))
        except Exception as err:
            traceback.print_exc(file=sys.stderr)
            return self._error(400, "invalid_request", str(err))
        if isinstance(req, ResponseMessage) and "error" in req:
            status = 401 if req["error"] in ("invalid_client", "unauthorized_client") \
                and name in ("token", "introspection") else 400
            if req["error"] == "invalid_token":
                status = 401
            return self._reply(status, req.to_json())
        try:
            if isinstance(endpoint, Token):
                args = endpoint.process_request(AccessTokenRequest(**req), http_info=http_info)
            else:
                args = endpoint.process_request(req, http_info=http_info)
        except Exception as err:
            traceback.print_exc(file=sys.stderr)
            return self._error(400, "invalid_request", str(err))
        if "redirect_location" in args:
            return self._redirect(args["redirect_location"], cookies=as_list(args.get("cookie")))
        if "http_response" in args:
            # idpyoidc's login page (rendered by the authn method), or another page.
            return self._reply(200, args["http_response"], "text/html; charset=utf-8",
                               cookies=as_list(args.get("cookie")))
        return self._respond(endpoint, req, args)

    def _respond(self, endpoint, req, args):
        info = endpoint.do_response(request=req, **args)
        placement = info.get("response_placement", endpoint.response_placement)
        cookies = as_list(info.get("cookie"))
        headers = list(info.get("http_headers", []))
        error = args.get("error") or ("error" in args.get("response_args", {}))
        if placement == "body":
            status = info.get("response_code", 400 if error else 200)
            content_type = next((v for k, v in headers if k.lower() == "content-type"),
                                "application/json")
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            return self._reply(status, info["response"], content_type, headers, cookies)
        return self._redirect(info["response"], cookies=cookies)

    def _login(self):
        """The login form's POST: the user method checks the name, then idpyoidc
        makes the session and the authorization response (code + state)."""
        _, form = self._form()
        authn = self.provider.context.authn_broker.get_method_by_id("user")
        try:
            username = authn.verify(**form)
            token = authn.unpack_token(form.get("token", ""))
        except FailedAuthentication as err:
            return self._reply(403, f"<p>Sign-in failed: {html.escape(str(err))}</p>",
                               "text/html; charset=utf-8")
        except Exception as err:
            return self._reply(400, f"<p>Bad login form: {html.escape(str(err))}</p>",
                               "text/html; charset=utf-8")
        authz_request = AuthorizationRequest().from_urlencoded(token["query"])
        endpoint = self.provider.server.get_endpoint("authorization")
        session_id = endpoint.create_session(authz_request, username, token["authn_class_ref"],
                                             token["iat"], authn)
        args = endpoint.authz_part2(request=authz_request, session_id=session_id)
        if isinstance(args, ResponseMessage) and "error" in args:
            return self._reply(400, args.to_json())
        return self._respond(endpoint, authz_request, args)

    def _logout_verify(self, query):
        sjwt = dict(parse_qsl(query)).get("sjwt", "")
        page = LOGOUT_PAGE.format(op=html.escape(self.provider.issuer), sjwt=html.escape(sjwt))
        self._reply(200, page, "text/html; charset=utf-8")

    def _logout_confirm(self):
        _, form = self._form()
        endpoint = self.provider.server.get_endpoint("session")
        try:
            info = endpoint.unpack_signed_jwt(form.get("sjwt", ""))
        except Exception as err:
            return self._error(400, "invalid_request", f"logout token: {err}")
        endpoint.do_verified_logout(alla=form.get("logout") == "all", **info)
        self._redirect(info["redirect_uri"], cookies=endpoint.kill_cookies())

    # --- keys and test controls ---------------------------------------------
    def _jwks(self):
        self._reply(200, self.provider.jwks(), "application/jwk-set+json")

    def _rotate(self, query):
        keep = dict(parse_qsl(query)).get("keep_old", "true").lower() not in ("false", "0", "no")
        self._reply(200, self.provider.rotate_keys(keep_old=keep))

    def _drop(self):
        self._form()
        self._reply(200, self.provider.drop_retired())


def as_list(value):
    if not value:
        return []
    return value if isinstance(value, list) else [value]


def cookie_header(spec):
    """A Set-Cookie value for one of idpyoidc's cookie specs ({"name", "value", ...})."""
    morsel = http.cookies.SimpleCookie()
    morsel[spec["name"]] = spec.get("value", "")
    m = morsel[spec["name"]]
    m["path"] = "/"
    m["httponly"] = True
    m["samesite"] = "Lax"
    if spec.get("max-age") is not None or spec.get("max_age") is not None:
        m["max-age"] = spec.get("max-age", spec.get("max_age"))
    if spec.get("expires"):
        m["expires"] = spec["expires"]
    return m.OutputString()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--config", help="JSON file overriding the defaults (see README-oidc.md)")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--redirect-uri", action="append")
    parser.add_argument("--post-logout-redirect-uri", action="append")
    parser.add_argument("--backchannel-logout-uri")
    parser.add_argument("--system-client-id")
    parser.add_argument("--system-client-secret")
    parser.add_argument("--system-scope", action="append")
    parser.add_argument("--audience")
    parser.add_argument("--user", action="append", metavar="ID:NAME:GROUP,GROUP")
    args = parser.parse_args()
    settings = load_settings(args)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    httpd.daemon_threads = True
    issuer = f"http://127.0.0.1:{httpd.server_address[1]}"
    workdir = tempfile.mkdtemp(prefix="bevaka-oidc-")
    try:
        Handler.provider = Provider(settings, issuer, workdir)
        print("LISTENING", issuer, flush=True)
        httpd.serve_forever()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
