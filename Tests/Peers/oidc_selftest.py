#!/usr/bin/env python3
"""Self-test of oidc_provider.py: acts as a relying party would, over plain HTTP.

    oidc_selftest.py [--wrong-nonce] [--keep-log]

Starts the provider on a free loopback port, then: discovery; the authorization
code flow with PKCE (S256) for anna through the login form; the code exchange
with the code_verifier; the ID token's signature checked against the JWKS
(cryptojwt, and again with `cryptography`'s RSA verify as a second opinion),
and its iss/aud/azp/exp/nonce/sub/groups; userinfo; the JWT access token's
aud/scope/groups; a refresh token (offline_access); refusals (code replay, wrong verifier, no PKCE, wrong client
secret, plain PKCE, forged signature); client_credentials for the system
client (aud/scope); key rotation (new kid in JWKS and on new tokens, the old
kid kept until dropped); RP-initiated logout (end_session_endpoint) with a
back-channel logout_token to the RP, after which prompt=none answers
login_required.

--wrong-nonce makes the relying party expect a nonce it never sent: the run
must then fail (exit 1). Only the standard library and the provider's own
dependencies (cryptojwt, cryptography) are used.
"""

import argparse
import base64
import hashlib
import http.cookiejar
import http.server
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from cryptojwt.jwk.jwk import key_from_jwk_dict
from cryptojwt.jws.jws import JWS

HERE = os.path.dirname(os.path.abspath(__file__))
WEB_CLIENT, WEB_SECRET = "bevaka-web", "selftest-web-secret"
SYSTEM_CLIENT, SYSTEM_SECRET = "bevaka-system", "selftest-system-secret"
REDIRECT_URI = "http://127.0.0.1:9/auth/callback"  # never contacted: we read the 302
POST_LOGOUT_URI = "http://127.0.0.1:9/signed-out"
AUDIENCE = "bevaka-api"

PASSED, FAILED = [], []


class Abort(Exception):
    pass


def check(condition, label, detail=""):
    if condition:
        PASSED.append(label)
        print(f"ok   - {label}")
    else:
        FAILED.append(label)
        print(f"FAIL - {label}" + (f": {detail}" if detail else ""))
    return condition


def require(condition, label, detail=""):
    if not check(condition, label, detail):
        raise Abort(label)


# --- HTTP as a relying party does it: no redirects followed, cookies per browser ---------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and a no-redirect opener: one user agent."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            NoRedirect(), urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method, url, form=None, headers=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(req, timeout=10) as resp:
                return resp.status, dict(resp.headers), resp.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8")


def basic(client_id, secret):
    pair = f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(secret, safe='')}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


def as_json(status, body, label):
    try:
        return json.loads(body)
    except ValueError:
        raise Abort(f"{label}: not JSON (HTTP {status}): {body[:200]}")


def query_of(location):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def b64url_decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def jwt_header(token):
    return json.loads(b64url_decode(token.split(".")[0]))


# --- the RP's token verification: a maintained JOSE library, against the JWKS ----------

def verify_jwt(token, jwks, alg="RS256"):
    """Returns the verified claims, or raises. The key is chosen by kid, as an RP must."""
    kid = jwt_header(token).get("kid")
    candidates = [k for k in jwks["keys"] if k.get("kid") == kid]
    if not candidates:
        raise ValueError(f"kid {kid!r} not in JWKS")
    claims = JWS(alg=alg).verify_compact(token, keys=[key_from_jwk_dict(candidates[0])],
                                         sigalg=alg)
    # A second, independent implementation of the same check: cryptography's RSA verify.
    jwk = candidates[0]
    numbers = RSAPublicNumbers(int.from_bytes(b64url_decode(jwk["e"]), "big"),
                               int.from_bytes(b64url_decode(jwk["n"]), "big"))
    head, body, signature = token.split(".")
    try:
        numbers.public_key().verify(b64url_decode(signature), f"{head}.{body}".encode(),
                                    padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise ValueError("cryptography: signature does not verify")
    return claims


def rejected(token, jwks):
    try:
        verify_jwt(token, jwks)
    except Exception as err:
        return str(err) or type(err).__name__
    return None


# --- the provider -----------------------------------------------------------------

class BackchannelReceiver:
    """The RP's back-channel logout endpoint: records each POSTed logout_token."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append(dict(urllib.parse.parse_qsl(body.decode())))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/backchannel-logout"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def start_provider(log, backchannel_url):
    cmd = [sys.executable, os.path.join(HERE, "oidc_provider.py"), "--port", "0",
           "--client-id", WEB_CLIENT, "--client-secret", WEB_SECRET,
           "--redirect-uri", REDIRECT_URI, "--post-logout-redirect-uri", POST_LOGOUT_URI,
           "--system-client-id", SYSTEM_CLIENT, "--system-client-secret", SYSTEM_SECRET,
           "--system-scope", "bevaka.read", "--system-scope", "bevaka.write",
           "--audience", AUDIENCE, "--backchannel-logout-uri", backchannel_url]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True)
    found = {}

    def read():
        for line in proc.stdout:
            if line.startswith("LISTENING "):
                found["issuer"] = line.split()[1]
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(30)
    if "issuer" not in found:
        proc.kill()
        raise Abort("provider did not print LISTENING within 30 s")
    return proc, found["issuer"]


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize(browser, config, username, extra=None, pkce=True):
    """GET /authorize, fill in the login form, POST it. Returns (code, state, nonce,
    verifier, location) or the error redirect's query."""
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": WEB_CLIENT, "redirect_uri": REDIRECT_URI,
              "scope": "openid profile email groups", "state": state, "nonce": nonce}
    if pkce:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(extra or {})
    url = config["authorization_endpoint"] + "?" + urllib.parse.urlencode(params)
    status, headers, body = browser.request("GET", url)
    if status == 200:
        form = re.search(r'<form[^>]*action="([^"]+)"', body)
        token = re.search(r'name="token" value="([^"]+)"', body)
        if not (form and token):
            raise Abort(f"login page without form: {body[:300]}")
        action = urllib.parse.urljoin(url, form.group(1).replace("&amp;", "&"))
        status, headers, body = browser.request(
            "POST", action, form={"username": username, "token": token.group(1)})
    if status != 302:
        return {"status": status, "body": body}
    location = headers.get("Location", "")
    return {"status": status, "location": location, "query": query_of(location),
            "state": state, "nonce": nonce, "verifier": verifier}


def token_request(browser, config, form, client=(WEB_CLIENT, WEB_SECRET)):
    status, _, body = browser.request("POST", config["token_endpoint"], form=form,
                                      headers=basic(*client))
    return status, as_json(status, body, "token endpoint")


def run(args, issuer, backchannel):
    rp = Browser()
    now = time.time()

    # Discovery.
    status, _, body = rp.request("GET", issuer + "/.well-known/openid-configuration")
    config = as_json(status, body, "discovery")
    require(status == 200 and config.get("issuer") == issuer,
            "discovery: issuer matches the URL it was fetched from", config.get("issuer"))
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint",
                 "end_session_endpoint"):
        require(str(config.get(name, "")).startswith(issuer + "/"), f"discovery: {name}",
                config.get(name))
    check("S256" in config.get("code_challenge_methods_supported", [])
          and "plain" not in config.get("code_challenge_methods_supported", []),
          "discovery: PKCE S256 only", config.get("code_challenge_methods_supported"))
    check("client_credentials" in config.get("grant_types_supported", []),
          "discovery: client_credentials grant", config.get("grant_types_supported"))
    status, _, body = rp.request("GET", config["jwks_uri"])
    jwks = as_json(status, body, "jwks")
    require(status == 200 and jwks.get("keys"), "JWKS has keys")
    check(all("d" not in k and "p" not in k for k in jwks["keys"]), "JWKS holds no private parts")

    # Authorization code flow with PKCE, as anna.
    anna = Browser()
    result = authorize(anna, config, "anna")
    require(result["status"] == 302 and result["location"].startswith(REDIRECT_URI + "?"),
            "login form -> 302 to the redirect_uri", result.get("location") or result.get("body"))
    query = result["query"]
    require("code" in query, "authorization response carries a code", query)
    check(query.get("state") == result["state"], "authorization response returns our state")
    check(query.get("iss") in (None, issuer), "authorization response iss (if sent) is the issuer")

    status, tokens = token_request(rp, config, {
        "grant_type": "authorization_code", "code": query["code"],
        "redirect_uri": REDIRECT_URI, "code_verifier": result["verifier"]})
    require(status == 200 and "id_token" in tokens and "access_token" in tokens,
            "code + code_verifier -> ID token and access token", tokens)
    check(tokens.get("token_type", "").lower() == "bearer", "token_type Bearer")

    id_token = tokens["id_token"]
    expected_nonce = "not-the-nonce-we-sent" if args.wrong_nonce else result["nonce"]
    try:
        claims = verify_jwt(id_token, jwks, config["id_token_signing_alg_values_supported"][0])
    except Exception as err:
        require(False, "ID token signature verifies against the JWKS", err)
    check(True, "ID token signature verifies against the JWKS (cryptojwt and cryptography)")
    first_kid = jwt_header(id_token)["kid"]
    check(claims.get("iss") == issuer, "ID token iss", claims.get("iss"))
    aud = claims.get("aud")
    check((aud == WEB_CLIENT) or (isinstance(aud, list) and WEB_CLIENT in aud),
          "ID token aud contains the client_id", aud)
    check(not isinstance(aud, list) or len(aud) == 1 or claims.get("azp") == WEB_CLIENT,
          "ID token azp when several audiences", claims)
    check(claims.get("nonce") == expected_nonce, "ID token nonce is the one we sent",
          f"expected {expected_nonce!r}, got {claims.get('nonce')!r}")
    check(claims.get("exp", 0) > now and claims.get("iat", 0) <= time.time() + 5,
          "ID token exp/iat", (claims.get("iat"), claims.get("exp")))
    check(claims.get("sub") == "anna", "ID token sub is the user id", claims.get("sub"))
    check(claims.get("groups") == ["handlaggare"], "ID token groups = [handlaggare]",
          claims.get("groups"))
    check(claims.get("name") == "Anna Andersson", "ID token name", claims.get("name"))

    forged = id_token.rsplit(".", 1)[0] + "." + base64.urlsafe_b64encode(
        b"\0" * 256).rstrip(b"=").decode()
    check(rejected(forged, jwks) is not None, "a forged signature is rejected by the RP check")
    tampered_body = base64.urlsafe_b64encode(json.dumps(
        dict(claims, groups=["bevaka-admin"])).encode()).rstrip(b"=").decode()
    parts = id_token.split(".")
    check(rejected(".".join([parts[0], tampered_body, parts[2]]), jwks) is not None,
          "a token with altered claims is rejected by the RP check")

    # The access token is a JWT for the API.
    access = tokens["access_token"]
    try:
        at = verify_jwt(access, jwks)
        check(True, "access token is a JWT signed by a JWKS key")
    except Exception as err:
        at = {}
        check(False, "access token is a JWT signed by a JWKS key", err)
    at_aud = at.get("aud") if isinstance(at.get("aud"), list) else [at.get("aud")]
    check(AUDIENCE in at_aud and WEB_CLIENT not in at_aud, "access token aud = the API audience",
          at.get("aud"))
    at_scope = at.get("scope")
    at_scope = at_scope.split() if isinstance(at_scope, str) else (at_scope or [])
    check({"openid", "groups"} <= set(at_scope), "access token scope", at.get("scope"))
    check(at.get("groups") == ["handlaggare"] and at.get("client_id") == WEB_CLIENT
          and at.get("sub") == "anna" and at.get("iss") == issuer,
          "access token groups/client_id/sub/iss", at)

    status, _, body = rp.request("GET", config["userinfo_endpoint"],
                                 headers={"Authorization": "Bearer " + access})
    info = as_json(status, body, "userinfo")
    check(status == 200 and info.get("sub") == "anna" and info.get("groups") == ["handlaggare"],
          "userinfo with the access token: sub and groups", info)

    # offline_access (with prompt=consent, as OpenID Connect asks) brings a refresh token.
    offline = authorize(Browser(), config, "anna",
                        extra={"scope": "openid groups offline_access", "prompt": "consent"})
    status, with_refresh = token_request(rp, config, {
        "grant_type": "authorization_code", "code": offline.get("query", {}).get("code", ""),
        "redirect_uri": REDIRECT_URI, "code_verifier": offline.get("verifier", "")})
    status, refreshed = token_request(rp, config, {
        "grant_type": "refresh_token", "refresh_token": with_refresh.get("refresh_token", "")})
    check(status == 200 and rejected(refreshed.get("access_token", ""), jwks) is None
          and verify_jwt(refreshed["access_token"], jwks).get("sub") == "anna",
          "offline_access -> refresh token -> a new access token", (status, refreshed))

    # What the provider must refuse.
    status, replay = token_request(rp, config, {
        "grant_type": "authorization_code", "code": query["code"],
        "redirect_uri": REDIRECT_URI, "code_verifier": result["verifier"]})
    check(status == 400 and replay.get("error") == "invalid_grant", "a used code is refused",
          (status, replay))

    other = authorize(Browser(), config, "anna")
    status, wrong = token_request(rp, config, {
        "grant_type": "authorization_code", "code": other["query"].get("code", ""),
        "redirect_uri": REDIRECT_URI, "code_verifier": pkce_pair()[0]})
    check(status == 400 and wrong.get("error") == "invalid_grant",
          "a wrong code_verifier is refused", (status, wrong))
    status, missing = token_request(rp, config, {
        "grant_type": "authorization_code", "code": authorize(Browser(), config, "anna")
        ["query"].get("code", ""), "redirect_uri": REDIRECT_URI})
    check(status == 400 and missing.get("error") == "invalid_grant",
          "a missing code_verifier is refused", (status, missing))

    nopkce = authorize(Browser(), config, "anna", pkce=False)
    check(nopkce.get("query", {}).get("error") == "invalid_request" or nopkce["status"] == 400,
          "an authorization request without code_challenge is refused",
          nopkce.get("query") or nopkce.get("body"))
    plain = authorize(Browser(), config, "anna",
                      extra={"code_challenge": "x" * 43, "code_challenge_method": "plain"})
    check("code" not in plain.get("query", {}), "code_challenge_method=plain is refused",
          plain.get("query") or plain.get("body"))
    badredirect = authorize(Browser(), config, "anna",
                            extra={"redirect_uri": "http://127.0.0.1:9/evil"})
    check(badredirect["status"] == 400 or "code" not in badredirect.get("query", {}),
          "an unregistered redirect_uri is refused", badredirect)
    unknown = authorize(Browser(), config, "mallory")
    check(unknown["status"] == 403, "an unknown user cannot sign in", unknown.get("status"))

    status, badsecret = token_request(rp, config, {"grant_type": "client_credentials"},
                                      client=(SYSTEM_CLIENT, "wrong"))
    check(status == 401 and "access_token" not in badsecret, "a wrong client secret is refused",
          (status, badsecret))
    status, webcc = token_request(rp, config, {"grant_type": "client_credentials"})
    check(status >= 400 and "access_token" not in webcc,
          "the web client may not use client_credentials", (status, webcc))

    # client_credentials for a system.
    status, cc = token_request(rp, config, {"grant_type": "client_credentials",
                                            "scope": "bevaka.read bevaka.write"},
                               client=(SYSTEM_CLIENT, SYSTEM_SECRET))
    require(status == 200 and "access_token" in cc, "client_credentials -> access token", cc)
    try:
        sys_claims = verify_jwt(cc["access_token"], jwks)
        check(True, "system access token verifies against the JWKS")
    except Exception as err:
        sys_claims = {}
        check(False, "system access token verifies against the JWKS", err)
    sys_aud = sys_claims.get("aud") if isinstance(sys_claims.get("aud"), list) \
        else [sys_claims.get("aud")]
    check(sys_aud == [AUDIENCE], "system access token aud", sys_claims.get("aud"))
    sys_scope = sys_claims.get("scope")
    sys_scope = sys_scope.split() if isinstance(sys_scope, str) else (sys_scope or [])
    check(set(sys_scope) == {"bevaka.read", "bevaka.write"}, "system access token scope",
          sys_claims.get("scope"))
    check(sys_claims.get("client_id") == SYSTEM_CLIENT and sys_claims.get("sub") == SYSTEM_CLIENT
          and sys_claims.get("iss") == issuer and "groups" not in sys_claims,
          "system access token client_id/sub/iss, no user claims", sys_claims)

    # Key rotation.
    status, _, body = rp.request("POST", issuer + "/_test/rotate-keys", form={})
    rotated = as_json(status, body, "rotate-keys")
    require(status == 200 and rotated["current"] and first_kid not in rotated["current"]
            and first_kid in rotated["retired"], "rotate-keys: new current kid, old one retired",
            rotated)
    status, _, body = rp.request("GET", config["jwks_uri"])
    jwks2 = as_json(status, body, "jwks")
    kids2 = [k["kid"] for k in jwks2["keys"]]
    new_kid = rotated["current"][0]
    check(new_kid in kids2 and first_kid in kids2, "JWKS: new kid published, old kept for grace",
          kids2)
    status, cc2 = token_request(rp, config, {"grant_type": "client_credentials"},
                                client=(SYSTEM_CLIENT, SYSTEM_SECRET))
    kid2 = jwt_header(cc2.get("access_token", "e30.e30.")).get("kid")
    check(kid2 == new_kid and kid2 != first_kid, "a token minted after rotation has the new kid",
          kid2)
    check(rejected(cc2.get("access_token", ""), jwks) is not None,
          "the RP's cached JWKS does not know the new kid (it must refetch)")
    check(rejected(cc2.get("access_token", ""), jwks2) is None,
          "the new token verifies against the refetched JWKS")
    check(rejected(id_token, jwks2) is None, "the old ID token still verifies during the grace")

    bo = Browser()
    result_bo = authorize(bo, config, "bo")
    status, tokens_bo = token_request(rp, config, {
        "grant_type": "authorization_code", "code": result_bo.get("query", {}).get("code", ""),
        "redirect_uri": REDIRECT_URI, "code_verifier": result_bo.get("verifier", "")})
    require(status == 200 and "id_token" in tokens_bo, "bo signs in after the rotation", tokens_bo)
    bo_claims = verify_jwt(tokens_bo["id_token"], jwks2)
    check(jwt_header(tokens_bo["id_token"])["kid"] == new_kid and bo_claims.get("groups") ==
          ["beslutsfattare"] and bo_claims.get("nonce") == result_bo["nonce"],
          "bo's ID token: new kid, groups = [beslutsfattare], nonce", bo_claims)

    status, _, body = rp.request("POST", issuer + "/_test/drop-retired-keys", form={})
    dropped = as_json(status, body, "drop-retired-keys")
    status, _, body = rp.request("GET", config["jwks_uri"])
    kids3 = [k["kid"] for k in as_json(status, body, "jwks")["keys"]]
    check(dropped["retired"] == [] and first_kid not in kids3 and new_kid in kids3,
          "drop-retired-keys: the old kid leaves the JWKS", kids3)

    form = {"token": tokens_bo["access_token"], "token_type_hint": "access_token"}
    status, _, body = rp.request("POST", config["introspection_endpoint"], form=form,
                                 headers=basic(WEB_CLIENT, WEB_SECRET))
    check(status == 200 and as_json(status, body, "introspect").get("active") is True,
          "introspection: bo's access token is active", body)
    sso = authorize(bo, config, "bo", extra={"prompt": "none"})
    check("code" in sso.get("query", {}), "prompt=none with bo's OP session: a code, no form",
          sso.get("query") or sso.get("body"))

    # RP-initiated logout for bo, with his OP session cookie.
    logout_state = secrets.token_urlsafe(8)
    url = config["end_session_endpoint"] + "?" + urllib.parse.urlencode({
        "id_token_hint": tokens_bo["id_token"], "post_logout_redirect_uri": POST_LOGOUT_URI,
        "state": logout_state})
    status, headers, body = bo.request("GET", url)
    require(status == 302, "end_session_endpoint -> logout confirmation", (status, body[:300]))
    status, headers, body = bo.request("GET", urllib.parse.urljoin(url, headers["Location"]))
    sjwt = re.search(r'name="sjwt" value="([^"]+)"', body)
    require(status == 200 and sjwt, "logout confirmation page", body[:300])
    status, headers, body = bo.request("POST", issuer + "/logout/confirm",
                                       form={"sjwt": sjwt.group(1)})
    location = headers.get("Location", "")
    check(status == 302 and location.startswith(POST_LOGOUT_URI)
          and query_of(location).get("state") == logout_state,
          "logout -> 302 to post_logout_redirect_uri with our state", (status, location))
    logout_token = (backchannel.received or [{}])[-1].get("logout_token", "")
    try:
        lt = verify_jwt(logout_token, jwks2)
    except Exception as err:
        lt = {"error": str(err)}
    check(lt.get("iss") == issuer and WEB_CLIENT in (lt.get("aud") or [])
          and "http://schemas.openid.net/event/backchannel-logout" in lt.get("events", {})
          and lt.get("sid") and "nonce" not in lt and lt.get("jti"),
          "back-channel logout: a signed logout_token (iss, aud, events, sid) reached the RP",
          lt)
    after = authorize(bo, config, "bo", extra={"prompt": "none"})
    check(after.get("query", {}).get("error") == "login_required",
          "after logout prompt=none answers login_required (the OP session is over)",
          after.get("query") or after.get("body"))
    again = authorize(bo, config, "bo")
    check("code" in again.get("query", {}), "bo can sign in again through the form",
          again.get("query") or again.get("body"))


def main():
    parser = argparse.ArgumentParser(description="Self-test of oidc_provider.py")
    parser.add_argument("--wrong-nonce", action="store_true",
                        help="expect a nonce that was never sent: the run must fail")
    parser.add_argument("--keep-log", action="store_true", help="print the provider's log")
    args = parser.parse_args()
    log_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"oidc-selftest-{os.getpid()}.log")
    proc = None
    with open(log_path, "w+") as log:
        try:
            backchannel = BackchannelReceiver()
            proc, issuer = start_provider(log, backchannel.url)
            print(f"provider: {issuer}")
            run(args, issuer, backchannel)
        except Abort as err:
            if str(err) not in FAILED:
                FAILED.append(str(err))
                print(f"FAIL - {err}")
            print("stopped: the steps after this one depend on it")
        except Exception as err:
            FAILED.append(f"unexpected {type(err).__name__}: {err}")
            print(f"FAIL - unexpected {type(err).__name__}: {err}")
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if FAILED or args.keep_log:
            log.seek(0)
            tail = log.read()[-4000:]
            if tail:
                print("--- provider log (tail) ---\n" + tail)
    os.unlink(log_path)
    print(f"oidc: {len(PASSED)} passed, {len(FAILED)} failed")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
