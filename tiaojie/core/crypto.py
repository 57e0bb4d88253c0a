"""Personal data encrypted at rest: ID numbers, phones and addresses (docs/decisions/0006).

Tokens
    A value is encrypted with AES-256-GCM under a random 96-bit nonce and stored as the text
    ``v1:<key id>:<base64url(nonce + ciphertext + tag)>``. The key id (first 8 hex characters
    of the key's SHA-256) says which key to decrypt with, so keys can rotate; the version says
    which scheme: ``v2`` is SM4-GCM (``TIAOJIE_DATA_CIPHER=sm4-gcm``, decision 0013), with a
    128-bit key derived from the data key; both versions always decrypt.
    The associated data is the *purpose*, a short name of the column such as
    ``"party.id_number"``: a ciphertext copied into another column does not decrypt there.

Keys
    ``settings.TIAOJIE_DATA_KEY`` (base64 of 32 bytes) encrypts; it and every key in
    ``settings.TIAOJIE_DATA_KEYS_OLD`` decrypt. A malformed key raises ``ImproperlyConfigured``.

Blind indexes
    Ciphertext cannot be searched, so a column that must be looked up by exact value has a
    companion column holding ``blind_index(value, purpose=...)``: an HMAC-SHA256 of the
    normalised value under a key derived (HKDF) from the *current* data key. Changing the key
    therefore changes every index: ``manage.py rotate_data_key`` recomputes them, and until it
    has run, ``blind_index_candidates`` gives the values to look up under every known key.

The contract for models
    Declare encrypted columns with ``EncryptedTextField(purpose="party.id_number")`` and
    their indexes as a class attribute mapping the index field to its source field and
    purpose::

        class Party(models.Model):
            id_number = EncryptedTextField(purpose="party.id_number", blank=True)
            id_number_index = models.CharField(max_length=64, blank=True, db_index=True)
            blind_indexes = {"id_number_index": ("id_number", "party.id_number")}

    Services call ``refresh_blind_indexes(party)`` before saving, and search with
    ``Party.objects.filter(id_number_index__in=blind_index_candidates(q, purpose=...))``.
    Filtering on the encrypted column itself is refused, except ``isnull`` and ``= ""``.

Rotating the key
    1. Set the new key as ``TIAOJIE_DATA_KEY`` and the old one in ``TIAOJIE_DATA_KEYS_OLD``;
       restart. Old rows still decrypt; new writes use the new key.
    2. Run ``manage.py rotate_data_key``: every encrypted value is re-encrypted under the new
       key and every blind index recomputed (``rotate`` does it for one token).
    3. Remove the old key from ``TIAOJIE_DATA_KEYS_OLD`` and restart.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import Exact, Lookup, Transform

from tiaojie.core.validators import normalise_id_number, normalise_phone

_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)

if TYPE_CHECKING:
    _TextField = models.TextField
else:

    class _TextField(models.TextField, Generic[_ST, _GT]):
        """django-stubs makes fields generic for the type checker only; this makes the base
        subscriptable at run time too, without django_stubs_ext's monkeypatch."""


VERSION = "v1"  # AES-256-GCM
SM4_VERSION = "v2"  # SM4-GCM (GB/T 32907), key derived from the data key
CIPHERS = {"aes-gcm": VERSION, "sm4-gcm": SM4_VERSION}
SM4_KEY_INFO = b"tiaojie sm4 key"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
BLIND_INDEX_INFO = b"tiaojie blind index"
PURPOSE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class DecryptionError(Exception):
    """A token is malformed, was tampered with, belongs to another purpose or an unknown key."""


@dataclass(frozen=True)
class Keyring:
    """The current key, every key that may decrypt (by id), and the blind index key."""

    current_id: str
    keys: dict[str, bytes]
    index_key: bytes


def key_id(key: bytes) -> str:
    """The short public name of a key, written into every token it encrypts."""
    return hashlib.sha256(key).hexdigest()[:8]


def _parse_key(value: str, setting: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(
            f"{setting} is not valid base64; generate a key with "
            '`python3 -c "import base64, secrets; '
            'print(base64.b64encode(secrets.token_bytes(32)).decode())"`'
        ) from exc
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{setting} must be base64 of {KEY_BYTES} bytes, not of {len(key)} bytes"
        )
    return key


@lru_cache(maxsize=4)
def _build_keyring(current: str, old: tuple[str, ...]) -> Keyring:
    if not current:
        raise ImproperlyConfigured("TIAOJIE_DATA_KEY is not set")
    current_key = _parse_key(current, "TIAOJIE_DATA_KEY")
    keys = {key_id(current_key): current_key}
    for number, value in enumerate(old, start=1):
        old_key = _parse_key(value, f"TIAOJIE_DATA_KEYS_OLD (key {number})")
        keys.setdefault(key_id(old_key), old_key)
    return Keyring(key_id(current_key), keys, _derive_index_key(current_key))


def _derive_index_key(key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), length=32, salt=None, info=BLIND_INDEX_INFO).derive(key)


def keyring() -> Keyring:
    """The keys from the settings, parsed once per distinct value (tests may override them)."""
    old = getattr(settings, "TIAOJIE_DATA_KEYS_OLD", [])
    return _build_keyring(settings.TIAOJIE_DATA_KEY, tuple(old))


@checks.register(checks.Tags.security)
def check_data_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    """``manage.py check`` (and so every start) reports a malformed key before a page needs it."""
    try:
        keyring()
        if cipher_version() == SM4_VERSION:
            # OpenSSL builds without SM4 exist: refuse to start rather than fail at first write.
            _sm4_seal(bytes(KEY_BYTES), bytes(NONCE_BYTES), b"", b"check")
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="core.E002")]
    except Exception as exc:  # an OpenSSL without SM4 raises UnsupportedAlgorithm
        return [
            checks.Error(f"TIAOJIE_DATA_CIPHER=sm4-gcm: SM4 unavailable ({exc})", id="core.E003")
        ]
    return []


def current_key_id() -> str:
    return keyring().current_id


def _check_purpose(purpose: str) -> bytes:
    if not PURPOSE.match(purpose):
        raise ValueError(f"purpose must look like 'model.field', not {purpose!r}")
    return purpose.encode("ascii")


def cipher_version() -> str:
    """The token version new values are written in: ``TIAOJIE_DATA_CIPHER`` (decision 0013)."""
    name = getattr(settings, "TIAOJIE_DATA_CIPHER", "aes-gcm")
    if name not in CIPHERS:
        raise ImproperlyConfigured(
            f"TIAOJIE_DATA_CIPHER must be one of {', '.join(CIPHERS)}, not {name!r}"
        )
    return CIPHERS[name]


def _sm4_key(key: bytes) -> bytes:
    # SM4 takes 128-bit keys: derived from the data key, so one key (and one key id) serves
    # both ciphers and rotation stays as it is.
    return HKDF(hashes.SHA256(), length=16, salt=None, info=SM4_KEY_INFO).derive(key)


def _sm4_seal(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    tag = sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(sealed[:-TAG_BYTES]) + decryptor.finalize()


def encrypt(plaintext: str, *, purpose: str) -> str:
    """Encrypt ``plaintext`` under the current key for the column named by ``purpose``."""
    aad = _check_purpose(purpose)
    ring = keyring()
    version = cipher_version()
    nonce = secrets.token_bytes(NONCE_BYTES)
    key = ring.keys[ring.current_id]
    data = plaintext.encode("utf-8")
    if version == SM4_VERSION:
        sealed = _sm4_seal(key, nonce, data, aad)
    else:
        sealed = AESGCM(key).encrypt(nonce, data, aad)
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
    return f"{version}:{ring.current_id}:{body}"


def token_key_id(token: str) -> str:
    """The id of the key a token was encrypted with."""
    return _split(token)[1]


def _split(token: str) -> tuple[str, str, bytes]:
    parts = token.split(":")
    if len(parts) != 3 or parts[0] not in (VERSION, SM4_VERSION):
        raise DecryptionError("not a v1 or v2 token")
    version, kid, body = parts
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("token body is not base64url") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("token is too short")
    return version, kid, raw


def decrypt(token: str, *, purpose: str) -> str:
    """The plaintext of ``token``; ``DecryptionError`` unless it is intact and for ``purpose``."""
    aad = _check_purpose(purpose)
    version, kid, raw = _split(token)
    key = keyring().keys.get(kid)
    if key is None:
        raise DecryptionError(
            f"token was encrypted with unknown key {kid}; is it missing from TIAOJIE_DATA_KEYS_OLD?"
        )
    try:
        if version == SM4_VERSION:
            plain = _sm4_open(key, raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
        else:
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise DecryptionError(f"token does not authenticate for purpose {purpose!r}") from exc
    return plain.decode("utf-8")


def rotate(token: str, *, purpose: str) -> str:
    """``token`` under the current key: unchanged if it already is, re-encrypted otherwise."""
    plaintext = decrypt(token, purpose=purpose)  # proves the token intact either way
    if token_key_id(token) == current_key_id() and token.startswith(f"{cipher_version()}:"):
        return token
    return encrypt(plaintext, purpose=purpose)


def normalise_for_index(value: str, *, purpose: str) -> str:
    """The form of ``value`` that is indexed, chosen by the purpose's last part.

    ``…id_number``: spaces removed, full-width to ASCII, upper case (a trailing x matches X).
    ``…phone``/``…mobile``: digits only (a +86 before a mobile number dropped). Otherwise:
    Unicode NFKC, surrounding spaces removed.
    """
    field = purpose.rsplit(".", 1)[-1]
    if field.endswith("id_number"):
        return normalise_id_number(value)
    if field.endswith(("phone", "mobile")):
        return "".join(c for c in normalise_phone(value) if c in "0123456789")
    return unicodedata.normalize("NFKC", value).strip()


def _index(value: str, purpose: str, index_key: bytes) -> str:
    normalised = normalise_for_index(value, purpose=purpose)
    if not normalised:
        return ""
    # The purpose is part of the message, so one person's phone gives unrelated indexes in
    # different columns and a reader of the database cannot link them.
    message = _check_purpose(purpose) + b"\x00" + normalised.encode("utf-8")
    return hmac.new(index_key, message, hashlib.sha256).hexdigest()


def blind_index(value: str, *, purpose: str) -> str:
    """The 64-hex-character exact-match index of ``value`` under the current key ("" if blank)."""
    return _index(value, purpose, keyring().index_key)


def blind_index_candidates(value: str, *, purpose: str) -> list[str]:
    """The index of ``value`` under every known key, current first, to search during rotation."""
    ring = keyring()
    found = [_index(value, purpose, ring.index_key)]
    for kid, key in ring.keys.items():
        if kid != ring.current_id:
            found.append(_index(value, purpose, _derive_index_key(key)))
    return [index for index in found if index]


class _EmptyOnlyExact(Exact[Any]):
    """``= ""`` is meaningful on an encrypted column; ``= value`` would silently match nothing."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: look it up through its blind "
                "index column (tiaojie.core.crypto.blind_index), not by value"
            )
        return super().get_prep_lookup()


class EncryptedTextField(_TextField[_ST, _GT]):
    """Text stored as an AES-GCM token, read back as plaintext; blank stays blank.

    Only ``isnull`` and ``exact ""`` lookups are allowed; look values up through a blind index
    column (see the module docstring). Serialisation (``dumpdata``) writes the plaintext.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        _check_purpose(purpose)
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Any, Any]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value, purpose=self.purpose)

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value, purpose=self.purpose)

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.primary_key:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique: every encryption differs.",
                    hint="Put the unique constraint on its blind index column.",
                    obj=self,
                    id="core.E001",
                )
            )
        return errors


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField[Any, Any]]:
    """The encrypted columns of ``model``'s own table (inherited ones belong to the parent)."""
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]


def declared_blind_indexes(model: type[models.Model]) -> dict[str, tuple[str, str]]:
    """``model.blind_indexes`` whose index column is in the model's own table, checked."""
    return dict(_declared_blind_indexes(model))


@functools.cache
def _declared_blind_indexes(model: type[models.Model]) -> tuple[tuple[str, tuple[str, str]], ...]:
    """``declared_blind_indexes``, worked out once per model class: every party of a ledger
    of ten thousand asked again (a model's declaration is fixed when its class is made)."""
    return tuple(_declare(model).items())


def _declare(model: type[models.Model]) -> dict[str, tuple[str, str]]:
    declared = getattr(model, "blind_indexes", {})
    local = {f.name for f in model._meta.local_concrete_fields}
    found: dict[str, tuple[str, str]] = {}
    for index_field, spec in declared.items():
        if index_field not in local:
            continue
        if not (isinstance(spec, tuple) and len(spec) == 2):
            raise ImproperlyConfigured(
                f"{model._meta.label}.blind_indexes[{index_field!r}] must be (field, purpose)"
            )
        source, purpose = spec
        model._meta.get_field(source)  # FieldDoesNotExist names the mistake
        _check_purpose(purpose)
        found[index_field] = (source, purpose)
    return found


def refresh_blind_indexes(instance: models.Model) -> list[str]:
    """Set every declared blind index of ``instance`` from its source; returns the fields set."""
    updated = []
    for index_field, (source, purpose) in _declared_blind_indexes(type(instance)):
        setattr(
            instance, index_field, blind_index(getattr(instance, source) or "", purpose=purpose)
        )
        updated.append(index_field)
    return updated
