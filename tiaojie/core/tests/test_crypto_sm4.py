"""SM4 (GB/T 32907) as the cipher of personal data, chosen per installation, beside AES-GCM
(issue 16, 数据保密性; decision 0013)."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.db import connection

from conftest import World
from tiaojie.audit.management.commands.rotate_data_key import rotate_model
from tiaojie.cases.models import Party
from tiaojie.cases.tests.factories import WANG_ID, register
from tiaojie.core.crypto import DecryptionError, check_data_keys, decrypt, encrypt, rotate


def test_the_library_sm4_is_the_standard_one() -> None:
    # GB/T 32907-2016 appendix A, example 1.
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 (known answer)
    assert (encryptor.update(key) + encryptor.finalize()).hex() == (
        "681edf34d206965e86b3e94f536e4246"
    )


def test_sm4_tokens_round_trip_and_aes_tokens_still_decrypt(settings: Any) -> None:
    aes = encrypt("13812345678", purpose="party.phone")
    settings.TIAOJIE_DATA_CIPHER = "sm4-gcm"
    sm4 = encrypt("13812345678", purpose="party.phone")
    assert aes.startswith("v1:") and sm4.startswith("v2:")
    assert aes.split(":")[1] == sm4.split(":")[1]  # one key id for both ciphers
    assert decrypt(sm4, purpose="party.phone") == decrypt(aes, purpose="party.phone")
    with pytest.raises(DecryptionError):
        decrypt(sm4, purpose="party.address")
    body = sm4.split(":")[2]
    tampered = sm4[: -len(body)] + body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionError):
        decrypt(tampered, purpose="party.phone")


def test_rotate_moves_tokens_to_the_configured_cipher(settings: Any) -> None:
    aes = encrypt("王建华的住址", purpose="party.address")
    settings.TIAOJIE_DATA_CIPHER = "sm4-gcm"
    moved = rotate(aes, purpose="party.address")
    assert moved.startswith("v2:") and rotate(moved, purpose="party.address") == moved
    settings.TIAOJIE_DATA_CIPHER = "aes-gcm"
    back = rotate(moved, purpose="party.address")
    assert back.startswith("v1:") and decrypt(back, purpose="party.address") == "王建华的住址"


def test_rotate_data_key_rewrites_stored_parties_in_sm4(world: World, settings: Any) -> None:
    case = register(world.user("demo_mediator"))
    settings.TIAOJIE_DATA_CIPHER = "sm4-gcm"
    rotate_model(Party)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM cases_party WHERE case_id = %s", [case.pk])
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(value.startswith("v2:") for value in stored)
    assert WANG_ID in {p.id_number for p in Party.objects.filter(case=case)}


def test_an_unknown_cipher_stops_the_start(settings: Any) -> None:
    settings.TIAOJIE_DATA_CIPHER = "des"
    assert [error.id for error in check_data_keys()] == ["core.E002"]
    settings.TIAOJIE_DATA_CIPHER = "sm4-gcm"
    assert check_data_keys() == []
