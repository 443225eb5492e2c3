"""Tests of taxotag.fingerprints."""

import hashlib

from taxotag.fingerprints import file_sha256, json_sha256, text_sha256


def test_a_json_digest_does_not_depend_on_key_order_and_is_the_digest_of_its_sorted_text():
    one = {"b": [1, 2], "a": {"y": None, "x": "é"}}
    other = {"a": {"x": "é", "y": None}, "b": [1, 2]}
    assert json_sha256(one) == json_sha256(other)
    text = '{"a": {"x": "\\u00e9", "y": null}, "b": [1, 2]}'
    assert json_sha256(one) == hashlib.sha256(text.encode()).hexdigest()
    assert json_sha256([1, 2]) != json_sha256([2, 1])


def test_a_text_digest_is_of_its_utf8_bytes():
    assert text_sha256("naïve") == hashlib.sha256("naïve".encode("utf-8")).hexdigest()


def test_a_file_digest_reads_a_file_larger_than_its_block(tmp_path):
    data = bytes(range(256)) * 9000  # (2.2 MB: three blocks of a megabyte)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
    (tmp_path / "empty").write_bytes(b"")
    assert file_sha256(tmp_path / "empty") == hashlib.sha256(b"").hexdigest()
