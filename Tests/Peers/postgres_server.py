#!/usr/bin/env python3
"""A throwaway PostgreSQL server on 127.0.0.1 for the tests.

Debian's PostgreSQL binaries (package `postgresql`, or BEVAKA_PG_BIN) make a new
cluster in a temporary folder, with a password user `bevaka` (SCRAM over TCP)
and, with --tls CERT KEY, TLS on the same port. Prints `READY <port>` once the
server takes connections, and stops it and removes the folder when its standard
input closes, which is when the test process that started it ends, however it ends.
Until then each line `createdb NAME` on standard input makes a database NAME.

PostgreSQL refuses to run as root; run as root (CI), the cluster belongs to the
`postgres` user the Debian package creates.
"""
import argparse
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def bin_folder():
    if os.environ.get("BEVAKA_PG_BIN"):
        return os.environ["BEVAKA_PG_BIN"]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    if not found:
        sys.exit("postgres_server.py: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)")
    return os.path.dirname(found[-1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--password", required=True)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--durable", action="store_true",
                        help="keep fsync and full_page_writes on, as in production (for benchmarks)")
    args = parser.parse_args()
    bindir = bin_folder()
    root = tempfile.mkdtemp(prefix="bevaka-pg-")
    os.chmod(root, 0o755)
    owner = None
    if os.getuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)

    def as_owner():
        if owner:
            os.setgid(owner.pw_gid)
            os.setuid(owner.pw_uid)

    def own(path):
        if owner:
            os.chown(path, owner.pw_uid, owner.pw_gid)

    data = os.path.join(root, "data")
    password_file = os.path.join(root, "password")
    with open(password_file, "w") as f:
        f.write(args.password + "\n")
    own(password_file)
    subprocess.run([os.path.join(bindir, "initdb"), "-D", data, "-U", "bevaka", "--pwfile", password_file,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
                   check=True, stdout=subprocess.DEVNULL, preexec_fn=as_owner)
    port = free_port()
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "port": str(port),
        "unix_socket_directories": f"'{root}'",
        "max_connections": "1000",
        "shared_buffers": "128MB",
    }
    if not args.durable:
        # A test server: its own crash is not what the tests are about (the daemons' is).
        settings.update({"fsync": "off", "full_page_writes": "off"})
    if args.tls:
        for name, source in (("server.crt", args.tls[0]), ("server.key", args.tls[1])):
            target = os.path.join(data, name)
            shutil.copy(source, target)
            os.chmod(target, 0o600)
            own(target)
        settings.update({"ssl": "on", "ssl_cert_file": "'server.crt'", "ssl_key_file": "'server.key'"})
    with open(os.path.join(data, "postgresql.auto.conf"), "a") as f:
        for key, value in settings.items():
            f.write(f"{key} = {value}\n")
    log = open(os.path.join(root, "server.log"), "w")
    own(log.name)
    server = subprocess.Popen([os.path.join(bindir, "postgres"), "-D", data], stdout=log, stderr=log,
                              preexec_fn=as_owner, start_new_session=True)
    deadline = time.time() + 60
    while True:
        ready = subprocess.run([os.path.join(bindir, "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        if ready:
            break
        if server.poll() is not None or time.time() > deadline:
            log.flush()
            sys.stderr.write(open(log.name).read())
            shutil.rmtree(root, ignore_errors=True)
            sys.exit("postgres_server.py: the server did not start")
        time.sleep(0.1)
    print(f"READY {port}", flush=True)
    try:
        # One request per line: `createdb NAME` makes an empty database (answered `CREATED NAME`,
        # or `FAILED …`), so that each test has its own.
        for line in sys.stdin:
            words = line.split()
            if len(words) == 2 and words[0] == "createdb" and words[1].replace("_", "").isalnum():
                made = subprocess.run([os.path.join(bindir, "createdb"), "-h", root, "-p", str(port), "-U", "bevaka", words[1]],
                                      capture_output=True, text=True)
                answer = f"CREATED {words[1]}" if made.returncode == 0 else "FAILED " + made.stderr.replace("\n", " ")
            else:
                answer = f"FAILED unknown request {line.strip()!r}"
            print(answer, flush=True)
    finally:
        server.send_signal(signal.SIGINT)  # fast shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
