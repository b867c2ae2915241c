#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for Bevaka's tests.

    smtp_sink.py PORT FOLDER [--starttls CERT KEY] [--auth USER:PASS] [--reject-rcpt ADDRESS]

PORT 0 picks a free port. Prints "READY <port>" once listening. Every
accepted message is parsed with Python's `email` package and written
atomically to FOLDER/<n>.json (n = 1, 2, ...).
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def defects_of(message):
    found = []
    for part in message.walk():
        found += [f"{type(d).__name__}: {d}" for d in part.defects]
        for name, value in part.items():
            found += [f"{name}: {type(d).__name__}: {d}" for d in getattr(value, "defects", ())]
    return found


def body_text(message, kind):
    part = message.get_body(preferencelist=(kind,))
    if part is None or part.get_content_type() != f"text/{kind}":
        return None
    return part.get_content()


class Sink:
    def __init__(self, folder, reject):
        self.folder = folder
        self.reject = {address.lower() for address in reject}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: mailbox unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(message["subject"]) if message["subject"] is not None else None,
            "from": str(message["from"]) if message["from"] is not None else None,
            "to": str(message["to"]) if message["to"] is not None else None,
            "date": str(message["date"]) if message["date"] is not None else None,
            "message_id": str(message["message-id"]) if message["message-id"] is not None else None,
            "content_type": message.get_content_type(),
            "date_epoch": message["date"].datetime.timestamp()
                if message["date"] is not None and message["date"].datetime is not None else None,
            "headers": [[name, str(value)] for name, value in message.items()],
            "text": body_text(message, "plain"),
            "html": body_text(message, "html"),
            "raw": raw.decode("utf-8", errors="replace"),
            "defects": defects_of(message),
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "peer_port": session.peer[1] if session.peer else None,
        }
        path = os.path.join(self.folder, f"{self.count}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=1)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASS")
    parser.add_argument("--reject-rcpt", action="append", default=[], metavar="ADDRESS")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)

    tls_context = None
    if args.starttls:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(*args.starttls)

    options = {}
    if args.auth:
        user, _, password = args.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == user.encode() and auth_data.password == password.encode())
            # handled=False: aiosmtpd itself answers 535 to a failure.
            return AuthResult(success=ok, handled=False)

        options = {"authenticator": authenticator, "auth_required": True,
                   # Without --starttls the AUTH test runs on a plain connection.
                   "auth_require_tls": tls_context is not None}

    handler = Sink(args.folder, args.reject_rcpt)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="sink.bevaka.test", tls_context=tls_context,
                    require_starttls=tls_context is not None, loop=loop, **options)

    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=args.port))
    print("READY", server.sockets[0].getsockname()[1], flush=True)
    loop.run_forever()


if __name__ == "__main__":
    sys.exit(main())
