"""A webhook receiver for the tests: verifies Standard Webhooks signatures with
its own implementation and logs every request as a JSON line.

usage: python3 webhook_receiver.py LOGFILE   (secrets in $WEBHOOK_SECRETS, comma-separated)
Prints the port it listens on (127.0.0.1) as its first line.
Paths: /ok 200 if the signature verifies (else 401), /gone 410,
/busy 429 with Retry-After: 7, /moved 302 to /ok, /slow answers after 3 s,
/flaky/N answers 500 to the first N requests with one webhook-id, then as /ok,
/busy/S answers 429 with Retry-After: S to the first request with one id, then as /ok,
/slow/S answers after S seconds (the request is logged on arrival).
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import signal
import sys
import threading
import time

# The test runner may start us with SIGTERM blocked; be stoppable either way.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])

SECRETS = [s for s in os.environ.get("WEBHOOK_SECRETS", "").split(",") if s]
LOG = sys.argv[1]
SEEN = {}
SEEN_LOCK = threading.Lock()


def times_seen(message_id):
    """How many requests with this id (and path) came before this one."""
    with SEEN_LOCK:
        count = SEEN.get(message_id, 0)
        SEEN[message_id] = count + 1
        return count


def verified(message_id, timestamp, body, signatures):
    signed = f"{message_id}.{timestamp}.".encode() + body
    for secret in SECRETS:
        key = base64.b64decode(secret.split("_", 1)[1])
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        if any(hmac.compare_digest(expected, s) for s in signatures):
            return True
    return False


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is visible

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        signatures = self.headers.get("webhook-signature", "").split(" ")
        ok = verified(self.headers.get("webhook-id"), self.headers.get("webhook-timestamp"), body, signatures)
        with open(LOG, "a") as log:
            log.write(json.dumps({
                "path": self.path, "id": self.headers.get("webhook-id"),
                "timestamp": self.headers.get("webhook-timestamp"), "signatures": len(signatures),
                "verified": ok, "body": body.decode(), "clientPort": self.client_address[1],
                "contentType": self.headers.get("content-type"),
            }) + "\n")
        status, headers = 200, {}
        parts = self.path.strip("/").split("/")
        earlier = times_seen((self.path, self.headers.get("webhook-id")))
        if len(parts) == 2 and parts[0] == "flaky" and earlier < int(parts[1]):
            status = 500
        elif len(parts) == 2 and parts[0] == "busy" and earlier == 0:
            status, headers = 429, {"Retry-After": parts[1]}
        elif len(parts) == 2 and parts[0] == "slow":
            time.sleep(float(parts[1]))
            status = 200 if ok else 401
        elif self.path == "/gone":
            status = 410
        elif self.path == "/busy":
            status, headers = 429, {"Retry-After": "7"}
        elif self.path == "/moved":
            status, headers = 302, {"Location": "/ok"}
        elif self.path == "/slow":
            time.sleep(3)
        elif not ok:
            status = 401
        reply = b"thanks"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
