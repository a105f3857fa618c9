"""Encryption at rest: state bodies sealed with AES-256-GCM under FEDSTACK_BRIDGE_KEY, with rotation.

FEDSTACK_BRIDGE_KEY holds one or more base64 keys of 32 bytes, comma-separated: the first seals
new versions, every one opens old ones, so a rotation is "put the new key first, run
`fedstack bridge rotate-key`, drop the old key". Each sealed body names its key by id (the
first 8 bytes of the key's SHA-256) and is bound to its stack and version (associated data),
so a sealed body moved to another row does not open. Keys come only from the environment:
a flag would show them in the process list. Must not import the web framework.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from functools import lru_cache

from fedstack import config
from fedstack.errors import ConfigError

__all__ = ["KeyRing", "associated_data", "generate_key", "keyring"]

_NONCE_BYTES = 12


def generate_key() -> str:
    """A new random key, base64 encoded, for FEDSTACK_BRIDGE_KEY."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def associated_data(stack_id: int, version: int) -> bytes:
    """What a sealed body is bound to: its stack row and version number."""
    return f"fedstack-state:{stack_id}:{version}".encode()


class KeyRing:
    """The keys of FEDSTACK_BRIDGE_KEY: the first seals, all open."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ConfigError("FEDSTACK_BRIDGE_KEY is set but holds no key")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._ciphers = {_key_id(key): AESGCM(key) for key in keys}
        self.primary_id = _key_id(keys[0])

    @classmethod
    def parse(cls, value: str) -> KeyRing:
        """Read a comma-separated list of base64 32-byte keys; ConfigError says which one is wrong."""
        keys = []
        for position, text in enumerate((part.strip() for part in value.split(",")), start=1):
            if not text:
                continue
            try:
                key = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                raise ConfigError(
                    f"FEDSTACK_BRIDGE_KEY: key {position} is not base64 (make one with `fedstack bridge keygen`)"
                ) from None
            if len(key) != 32:
                raise ConfigError(
                    f"FEDSTACK_BRIDGE_KEY: key {position} has {len(key)} bytes; AES-256 needs 32"
                )
            keys.append(key)
        return cls(keys)

    def knows(self, key_id: str) -> bool:
        """True when the ring holds the key with this id."""
        return key_id in self._ciphers

    def seal(self, plaintext: bytes, aad: bytes) -> tuple[bytes, str]:
        """Encrypt under the primary key: returns (nonce + ciphertext + tag, key id)."""
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._ciphers[self.primary_id].encrypt(
            nonce, plaintext, aad
        ), self.primary_id

    def open(self, sealed: bytes, key_id: str, aad: bytes) -> bytes:
        """Decrypt a body sealed under `key_id`; ConfigError when that key is not in the ring."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise ConfigError(
                f"a state version is sealed with key {key_id}, which FEDSTACK_BRIDGE_KEY does not hold"
            )
        return cipher.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], aad)


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


@lru_cache(maxsize=1)
def keyring() -> KeyRing | None:
    """The process's key ring from FEDSTACK_BRIDGE_KEY, or None when encryption at rest is off."""
    value = config.setting("FEDSTACK_BRIDGE_KEY")
    return KeyRing.parse(value) if value else None
