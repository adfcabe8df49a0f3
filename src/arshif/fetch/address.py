"""Refuse URLs whose host resolves to a private, loopback or metadata address.

A crawler fed URLs from the open web must not be steered into the local
network (SSRF). Every address the name resolves to is checked, on every
redirect hop. (A DNS answer that changes between this check and the connect
is not caught; that needs a pinned resolver.)
"""

from __future__ import annotations

import ipaddress
import socket

_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip in _METADATA:
        return False
    bad = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )
    # is_global also rules out shared (100.64/10) and documentation ranges.
    return not bad and ip.is_global


def resolve(host: str, port: int) -> list[str]:
    """All addresses for host; raises socket.gaierror when the name does not resolve."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def private_reason(host: str, port: int) -> str | None:
    """Why host may not be fetched (a one-line reason), or None when all its addresses are public.

    Raises socket.gaierror when the name does not resolve.
    """
    for addr in resolve(host.strip("[]"), port):
        ip = ipaddress.ip_address(addr.split("%")[0])
        if not is_public(ip):
            return f"{host} resolves to non-public address {ip}"
    return None


def metadata_reason(host: str, port: int) -> str | None:
    """Cloud metadata endpoints are refused even where private addresses are allowed:
    nothing an archiver needs lives there, and credentials do."""
    for addr in resolve(host.strip("[]"), port):
        ip = ipaddress.ip_address(addr.split("%")[0])
        if getattr(ip, "ipv4_mapped", None) in _METADATA or ip in _METADATA:
            return f"{host} resolves to the cloud metadata address {ip}"
    return None
