#!/usr/bin/env python3
"""Posts a fixed number of CS2 fixture payloads to a running gamelightd and checks
every answer: for instruction counts per request (bench/http/instructions_per_request.sh),
where the client's own speed does not matter.

Usage: fixed_load.py PORT INTEGRATION_ID REQUESTS CONNECTIONS FIXTURE_DIR

Each connection keeps one request in flight (keep-alive); exits 1 on any answer that
is not 200 or on a connection closed early.
"""

import selectors
import socket
import sys

NAMES = [
    "cs2_01_freezetime_start", "cs2_02_round_live", "cs2_03_damage_taken_low_health",
    "cs2_04_kill_headshot", "cs2_05_flashed", "cs2_06_bomb_planted", "cs2_07_player_died",
    "cs2_08_dead_spectating_teammate", "cs2_09_bomb_defused_round_over_ct_win",
    "cs2_10_next_round_freezetime_self_again",
]


def main():
    port, ident, total, conns, fixtures = (int(sys.argv[1]), sys.argv[2], int(sys.argv[3]),
                                           int(sys.argv[4]), sys.argv[5])
    requests = []
    for name in NAMES:
        with open(f"{fixtures}/{name}.json", "rb") as f:
            body = f.read()
        requests.append(
            (f"POST /api/v1/game-integrations/{ident}/event HTTP/1.1\r\n"
             f"Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
             f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
    sel = selectors.DefaultSelector()
    state = {}
    sent = 0
    done = 0

    def send(sock):
        nonlocal sent
        sock.sendall(requests[sent % len(requests)])
        sent += 1

    for _ in range(min(conns, total)):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        state[sock] = b""
        sel.register(sock, selectors.EVENT_READ)
        send(sock)
    while done < total:
        for key, _ in sel.select():
            sock = key.fileobj
            data = sock.recv(65536)
            if not data:
                sys.exit("connection closed early")
            buf = state[sock] + data
            while True:
                head_end = buf.find(b"\r\n\r\n")
                if head_end < 0:
                    break
                head = buf[:head_end].decode()
                length = 0
                for line in head.split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                if len(buf) < head_end + 4 + length:
                    break
                if not head.startswith("HTTP/1.1 200"):
                    sys.exit("unexpected answer: " + head.split("\r\n")[0])
                buf = buf[head_end + 4 + length:]
                done += 1
                if sent < total:
                    send(sock)
            state[sock] = buf
    for sock in state:
        sock.close()


if __name__ == "__main__":
    main()
