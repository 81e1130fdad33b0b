"""SM3 (GB/T 32905), the national hash, through OpenSSL 3."""

import hashlib


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


GENESIS = sm3_hex(b"liangze-audit-genesis")
