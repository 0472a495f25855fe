"""Run ``qa`` commands with every socket connection attempt recorded and refused.

Usage: ``python no_network.py REPORT.json '[["index", ...], ["ask", ...], ...]'``. Each argument
list is run through ``qa.cli.main`` in this one process; REPORT.json receives
``{"exit_codes": [...], "attempts": [[operation, address], ...]}``. The guard is installed before
anything of ``qa`` is imported, so an attempt made at import time is caught too.
"""

from __future__ import annotations

import json
import socket
import sys
from typing import Any

ATTEMPTS: list[list[str]] = []


def _refuse(operation: str, address: object) -> OSError:
    ATTEMPTS.append([operation, repr(address)])
    return OSError(101, f"network disabled by the test: {operation} {address!r}")


def _connect(self: socket.socket, address: Any) -> None:
    raise _refuse("connect", address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    raise _refuse("connect_ex", address)


def _sendto(self: socket.socket, data: bytes, *args: Any) -> int:
    raise _refuse("sendto", args[-1] if args else None)


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    raise _refuse("create_connection", address)


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
    raise _refuse("getaddrinfo", (host, port))


socket.socket.connect = _connect  # type: ignore[method-assign,assignment]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign,assignment]
socket.socket.sendto = _sendto  # type: ignore[method-assign,assignment]
socket.create_connection = _create_connection
socket.getaddrinfo = _getaddrinfo

if __name__ == "__main__":
    from qa.cli import main

    report_path, commands = sys.argv[1], json.loads(sys.argv[2])
    codes = [main(argv) for argv in commands]
    with open(report_path, "w", encoding="utf-8") as report:
        json.dump({"exit_codes": codes, "attempts": ATTEMPTS}, report)
