#!/usr/bin/env python3
"""A gate on loopback for the tests: forwards 127.0.0.1:PORT to 127.0.0.1:TARGET byte for byte
(TLS passes through untouched) until told to close, as a network cut or a server gone would.

    tcp_gate.py TARGET        prints `READY PORT` once it listens, then reads commands:
    close                     drops every forwarded connection and stops listening
                              (new connections are refused); answers `CLOSED`
    open                      listens on the same port again; answers `OPENED`

It ends when its standard input does, so it never outlives the test process."""
import socket
import sys
import threading

target = int(sys.argv[1])
lock = threading.Lock()
connections = []
listener = None


def listen(port=0):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    threading.Thread(target=accept, args=(sock,), daemon=True).start()
    return sock


def accept(sock):
    while True:
        try:
            client, _ = sock.accept()
        except OSError:
            return  # closed
        try:
            server = socket.create_connection(("127.0.0.1", target))
        except OSError:
            client.close()
            continue
        with lock:
            connections.extend([client, server])
        for a, b in ((client, server), (server, client)):
            threading.Thread(target=pump, args=(a, b), daemon=True).start()


def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    for sock in (source, sink):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


listener = listen()
port = listener.getsockname()[1]
print(f"READY {port}", flush=True)
for line in sys.stdin:
    command = line.strip()
    if command == "close":
        try:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (a plain close would not on Linux)
        except OSError:
            pass
        listener.close()
        with lock:
            for sock in connections:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            connections.clear()
        print("CLOSED", flush=True)
    elif command == "open":
        listener = listen(port)
        print("OPENED", flush=True)
    else:
        print(f"UNKNOWN {command}", flush=True)
