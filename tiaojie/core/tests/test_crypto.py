"""Personal data encrypted at rest: tokens, keys and their rotation, blind indexes, the field."""

from __future__ import annotations

import base64
import hashlib
from typing import Any, ClassVar

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps

from tiaojie.audit.management.commands.rotate_data_key import models_with_personal_data
from tiaojie.core import crypto
from tiaojie.core.crypto import (
    DecryptionError,
    EncryptedTextField,
    blind_index,
    blind_index_candidates,
    decrypt,
    encrypt,
    rotate,
    token_key_id,
)

OLD_KEY = base64.b64encode(b"o" * 32).decode()
NEW_KEY = base64.b64encode(b"n" * 32).decode()
PURPOSE = "party.id_number"


def kid(key: str) -> str:
    return hashlib.sha256(base64.b64decode(key)).hexdigest()[:8]


def rotated(current: str = NEW_KEY, *old: str) -> override_settings:
    return override_settings(TIAOJIE_DATA_KEY=current, TIAOJIE_DATA_KEYS_OLD=list(old))


with isolate_apps("tiaojie.core"):

    class Person(models.Model):  # noqa: DJ008 (never shown)
        """Never migrated: gives the field a model to build queries and rows against."""

        id_number = EncryptedTextField(purpose="person.id_number", blank=True)
        id_number_index = models.CharField(max_length=64, blank=True)
        address = EncryptedTextField(purpose="person.address", blank=True, null=True)
        blind_indexes: ClassVar[dict[str, tuple[str, str]]] = {
            "id_number_index": ("id_number", "person.id_number")
        }

        class Meta:
            app_label = "core"


def test_a_value_comes_back_as_it_went_in() -> None:
    for plaintext in ["11010519491231002X", "湖北省武汉市武昌区中北路5号", ""]:
        assert decrypt(encrypt(plaintext, purpose=PURPOSE), purpose=PURPOSE) == plaintext


def test_a_token_names_its_version_and_key() -> None:
    with rotated(NEW_KEY):
        token = encrypt("13812345678", purpose="party.phone")
    version, key_id, body = token.split(":")
    assert (version, key_id) == ("v1", kid(NEW_KEY))
    assert "13812345678" not in token
    assert "=" not in body and "+" not in body and "/" not in body


def test_each_encryption_uses_a_fresh_nonce() -> None:
    first, second = (encrypt("13812345678", purpose="party.phone") for _ in range(2))
    assert first != second
    assert decrypt(first, purpose="party.phone") == decrypt(second, purpose="party.phone")


@pytest.mark.parametrize("position", [0, 10, 20, -1])
def test_a_changed_character_is_detected(position: int) -> None:
    token = encrypt("11010519491231002X", purpose=PURPOSE)
    prefix, body = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[position] ^= 0x01
    forged = f"{prefix}:{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"
    with pytest.raises(DecryptionError):
        decrypt(forged, purpose=PURPOSE)


@pytest.mark.parametrize(
    "token",
    ["", "11010519491231002X", "v2:abcdef01:AAAA", "v1:abcdef01:!!!!", "v1:abcdef01:AAAA"],
)
def test_what_is_not_a_token_is_refused(token: str) -> None:
    with pytest.raises(DecryptionError):
        decrypt(token, purpose=PURPOSE)


def test_a_token_does_not_decrypt_for_another_column() -> None:
    token = encrypt("11010519491231002X", purpose="party.id_number")
    with pytest.raises(DecryptionError):
        decrypt(token, purpose="mediator.id_number")


def test_purposes_are_dotted_names() -> None:
    with pytest.raises(ValueError, match="purpose"):
        encrypt("x", purpose="id number")


def test_an_old_key_decrypts_until_it_is_removed() -> None:
    with rotated(OLD_KEY):
        token = encrypt("13812345678", purpose="party.phone")
    with rotated(NEW_KEY, OLD_KEY):
        assert decrypt(token, purpose="party.phone") == "13812345678"
        assert encrypt("x", purpose="party.phone").split(":")[1] == kid(NEW_KEY)
    with rotated(NEW_KEY), pytest.raises(DecryptionError, match="unknown key"):
        decrypt(token, purpose="party.phone")


def test_rotate_moves_a_token_to_the_current_key() -> None:
    with rotated(OLD_KEY):
        token = encrypt("13812345678", purpose="party.phone")
    with rotated(NEW_KEY, OLD_KEY):
        moved = rotate(token, purpose="party.phone")
        assert (token_key_id(token), token_key_id(moved)) == (kid(OLD_KEY), kid(NEW_KEY))
        assert rotate(moved, purpose="party.phone") == moved
    with rotated(NEW_KEY):
        assert decrypt(moved, purpose="party.phone") == "13812345678"


def test_rotate_refuses_a_token_of_another_column() -> None:
    token = encrypt("13812345678", purpose="party.phone")
    with pytest.raises(DecryptionError):
        rotate(token, purpose="party.address")


@pytest.mark.parametrize(
    "current, old, message",
    [
        ("not base64!", [], "TIAOJIE_DATA_KEY is not valid base64"),
        (base64.b64encode(b"k" * 16).decode(), [], "32 bytes, not of 16"),
        (NEW_KEY, [OLD_KEY, "short"], r"TIAOJIE_DATA_KEYS_OLD \(key 2\)"),
        ("", [], "TIAOJIE_DATA_KEY is not set"),
    ],
)
def test_a_malformed_key_stops_with_a_clear_message(
    current: str, old: list[str], message: str
) -> None:
    with rotated(current, *old), pytest.raises(ImproperlyConfigured, match=message):
        encrypt("x", purpose=PURPOSE)


def test_the_system_check_reports_a_malformed_key() -> None:
    assert crypto.check_data_keys() == []
    with rotated("short"):
        assert [error.id for error in crypto.check_data_keys()] == ["core.E002"]


def test_blind_index_matches_either_case_of_the_check_character() -> None:
    lower = blind_index("11010519491231002x", purpose=PURPOSE)
    assert lower == blind_index("11010519491231002X", purpose=PURPOSE)
    assert lower == blind_index(" １１０１０５１９４９１２３１００２Ｘ ", purpose=PURPOSE)
    assert len(lower) == 64 and int(lower, 16) >= 0


def test_blind_index_of_a_phone_ignores_its_punctuation() -> None:
    forms = ["13812345678", "138-1234-5678", "+86 138 1234 5678", "１３８１２３４５６７８"]
    assert len({blind_index(form, purpose="party.phone") for form in forms}) == 1
    assert blind_index("027-88886666", purpose="party.phone") == blind_index(
        "02788886666", purpose="party.phone"
    )


def test_blind_index_differs_by_column_value_and_key() -> None:
    base = blind_index("13812345678", purpose="party.phone")
    assert base != blind_index("13812345679", purpose="party.phone")
    assert base != blind_index("13812345678", purpose="mediator.phone")
    with rotated(NEW_KEY):
        assert base != blind_index("13812345678", purpose="party.phone")


def test_a_blank_value_has_no_index() -> None:
    assert blind_index("  ", purpose=PURPOSE) == ""
    assert blind_index_candidates("", purpose=PURPOSE) == []


def test_during_rotation_a_search_finds_rows_indexed_under_either_key() -> None:
    with rotated(OLD_KEY):
        stored = blind_index("11010519491231002X", purpose=PURPOSE)
    with rotated(NEW_KEY, OLD_KEY):
        candidates = blind_index_candidates("11010519491231002x", purpose=PURPOSE)
        assert candidates == [blind_index("11010519491231002X", purpose=PURPOSE), stored]


def field(name: str) -> EncryptedTextField[Any, Any]:
    found = Person._meta.get_field(name)
    assert isinstance(found, EncryptedTextField)
    return found


def test_the_field_writes_ciphertext_and_reads_plaintext() -> None:
    id_number = field("id_number")
    stored = id_number.get_prep_value("11010519491231002X")
    assert stored.startswith("v1:") and "11010519491231002X" not in stored
    assert decrypt(stored, purpose="person.id_number") == "11010519491231002X"
    assert id_number.from_db_value(stored, None, None) == "11010519491231002X"  # type: ignore[arg-type]


def test_the_field_keeps_blank_and_null_as_they_are() -> None:
    address = field("address")
    for value in ["", None]:
        assert address.get_prep_value(value) == value
        assert address.from_db_value(value, None, None) == value  # type: ignore[arg-type]


def test_the_field_refuses_a_token_written_for_another_column() -> None:
    stored = field("id_number").get_prep_value("11010519491231002X")
    with pytest.raises(DecryptionError):
        field("address").from_db_value(stored, None, None)  # type: ignore[arg-type]


def test_the_field_deconstructs_with_its_purpose() -> None:
    name, path, args, kwargs = field("address").deconstruct()
    assert (name, path) == ("address", "tiaojie.core.crypto.EncryptedTextField")
    assert kwargs == {"purpose": "person.address", "blank": True, "null": True}
    assert EncryptedTextField(*args, **kwargs).purpose == "person.address"


def test_filtering_by_value_on_ciphertext_is_refused() -> None:
    with pytest.raises(FieldError, match="blind index"):
        Person._default_manager.filter(id_number="11010519491231002X")
    with pytest.raises(FieldError, match="Unsupported lookup"):
        Person._default_manager.filter(id_number__icontains="1101")
    # Blank and null are the same in every encryption, so those lookups stay.
    assert "IS NULL" in str(Person._default_manager.filter(address__isnull=True).query)
    assert Person._default_manager.filter(id_number="").query.sql_with_params()[1] == ("",)


def test_an_encrypted_field_cannot_be_unique() -> None:
    errors = EncryptedTextField(purpose="person.id_number", unique=True).check()
    assert [error.id for error in errors] == ["core.E001"]


def test_refresh_blind_indexes_sets_each_declared_index() -> None:
    person = Person(id_number="11010519491231002x")
    assert crypto.refresh_blind_indexes(person) == ["id_number_index"]
    assert person.id_number_index == blind_index("11010519491231002X", purpose="person.id_number")


def test_a_model_must_declare_blind_indexes_as_field_and_purpose() -> None:
    with isolate_apps("tiaojie.core"):

        class Broken(models.Model):  # noqa: DJ008 (never shown)
            phone_index = models.CharField(max_length=64)
            blind_indexes: ClassVar[dict[str, str]] = {"phone_index": "phone"}

            class Meta:
                app_label = "core"

        with pytest.raises(ImproperlyConfigured, match="must be"):
            crypto.declared_blind_indexes(Broken)


def test_rotation_covers_models_with_encrypted_fields_only() -> None:
    assert crypto.encrypted_fields(Person) == [field("id_number"), field("address")]
    # The project's own models hold no encrypted field yet; none of them is picked up wrongly.
    for model in models_with_personal_data():
        assert crypto.encrypted_fields(model) or crypto.declared_blind_indexes(model)


def test_the_command_refuses_an_empty_batch() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rotate_data_key", chunk_size=0)
