"""Sealed backups from Python: the archives Rust wrote open here, file-like objects, paths
and bytes round trip, and damage, wrong keys and bad arguments raise the documented
exceptions."""

import io
from pathlib import Path

import pytest

import tillit

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "backup"
FAST = {"m_cost_kib": 64, "t_cost": 1, "p_cost": 1}


def fixture_ring() -> tillit.BackupKeyRing:
    material = bytes.fromhex((DATA / "fixture.key.hex").read_text().strip())
    ring = tillit.BackupKeyRing()
    ring.add_key(tillit.BackupKey.from_bytes("fixture-2026", material))
    ring.add_passphrase("fixture-vault", "korrekt hest batteri stift")
    return ring


@pytest.mark.parametrize("name", ["fixture.tlb", "fixture-passphrase.tlb"])
def test_archives_written_by_rust_open(name: str) -> None:
    expected = (DATA / "fixture.txt").read_bytes()
    out = io.BytesIO()
    with open(DATA / name, "rb") as archive:
        summary = tillit.open_backup(archive, out, fixture_ring())
    assert out.getvalue() == expected
    assert summary.plaintext_bytes == len(expected)
    assert summary.chunk_size == 64
    assert tillit.open_backup_bytes((DATA / name).read_bytes(), fixture_ring()) == expected


@pytest.mark.parametrize("algorithm", ["aes-256-gcm", "chacha20-poly1305"])
@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 1000])
def test_file_like_round_trip(algorithm: str, size: int) -> None:
    key = tillit.BackupKey.generate("py-2026")
    plain = bytes(i % 251 for i in range(size))
    sealed = io.BytesIO()
    summary = tillit.seal_backup(
        io.BytesIO(plain), sealed, key, algorithm=algorithm, chunk_size=64
    )
    assert summary.chunks == max(1, -(-size // 64))
    assert summary.algorithm == algorithm
    ring = tillit.BackupKeyRing()
    ring.add_key(key)
    opened = io.BytesIO()
    tillit.open_backup(io.BytesIO(sealed.getvalue()), opened, ring)
    assert opened.getvalue() == plain


def test_paths_and_passphrases(tmp_path: Path) -> None:
    plain = bytes(i % 199 for i in range(200_000))
    source = tmp_path / "ledger.csv"
    source.write_bytes(plain)
    key = tillit.BackupKey.derive_from_passphrase("vault", "sju fine fjorder", **FAST)
    assert key.is_from_passphrase
    tillit.seal_backup_file(source, tmp_path / "ledger.tlb", key)

    ring = tillit.BackupKeyRing()
    ring.add_passphrase("vault", "sju fine fjorder")
    assert "vault" in ring and len(ring) == 1
    tillit.open_backup_file(str(tmp_path / "ledger.tlb"), tmp_path / "out", ring)
    assert (tmp_path / "out").read_bytes() == plain

    # A truncated archive leaves the earlier output untouched.
    archive = (tmp_path / "ledger.tlb").read_bytes()
    (tmp_path / "cut.tlb").write_bytes(archive[:-100])
    with pytest.raises(tillit.BackupIntegrityError):
        tillit.open_backup_file(tmp_path / "cut.tlb", tmp_path / "out", ring)
    assert (tmp_path / "out").read_bytes() == plain
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tillit")]

    wrong = tillit.BackupKeyRing()
    wrong.add_passphrase("vault", "sju fine fjorder!")
    with pytest.raises(tillit.BackupIntegrityError, match="wrong"):
        tillit.open_backup_bytes(archive, wrong)


def test_tampering_and_missing_keys_are_typed() -> None:
    key = tillit.BackupKey.generate("k")
    archive = tillit.seal_backup_bytes(b"x" * 500, key, chunk_size=64)
    ring = tillit.BackupKeyRing()
    ring.add_key(key)

    flipped = bytearray(archive)
    flipped[-20] ^= 1
    with pytest.raises(tillit.BackupIntegrityError, match="chunk"):
        tillit.open_backup_bytes(bytes(flipped), ring)

    with pytest.raises(tillit.BackupIntegrityError, match="truncated"):
        tillit.open_backup_bytes(archive[: len(archive) - (500 % 64) - 16], ring)

    with pytest.raises(tillit.BackupKeyError, match='"k"'):
        tillit.open_backup_bytes(archive, tillit.BackupKeyRing())

    future = bytearray(archive)
    future[8] = 2
    with pytest.raises(tillit.BackupFormatError, match="version 2"):
        tillit.open_backup_bytes(bytes(future), ring)

    for error in (
        tillit.BackupIntegrityError,
        tillit.BackupKeyError,
        tillit.BackupFormatError,
    ):
        assert issubclass(error, tillit.BackupError)
        assert issubclass(error, tillit.TillitError)


def test_bad_arguments_are_value_errors() -> None:
    with pytest.raises(ValueError):
        tillit.BackupKey.generate("has space")
    with pytest.raises(ValueError):
        tillit.BackupKey.from_bytes("k", b"short")
    key = tillit.BackupKey.generate("k")
    with pytest.raises(ValueError):
        tillit.seal_backup_bytes(b"", key, chunk_size=10)
    with pytest.raises(ValueError):
        tillit.seal_backup_bytes(b"", key, algorithm="rot13")
    ring = tillit.BackupKeyRing()
    ring.add_key(key)
    with pytest.raises(ValueError):
        ring.add_key(key)
    with pytest.raises(tillit.BackupError):
        tillit.BackupKey.derive_from_passphrase("k", "words", m_cost_kib=4_000_000)


def test_exceptions_from_file_objects_propagate_unchanged() -> None:
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            raise ConnectionResetError("tape drive went away")

    with pytest.raises(ConnectionResetError, match="tape drive"):
        tillit.seal_backup(Broken(), io.BytesIO(), tillit.BackupKey.generate("k"))

    with pytest.raises(TypeError, match="binary mode"):
        tillit.seal_backup(io.StringIO("text"), io.BytesIO(), tillit.BackupKey.generate("k"))


@pytest.mark.parametrize("pipelined", [True, False])
def test_one_thread_and_pipelined_agree(pipelined: bool, tmp_path: Path) -> None:
    # 40 chunks of 64 bytes and a few more: three batches, so pipelining starts its thread.
    plain = bytes(i % 241 for i in range(40 * 64 + 5))
    key = tillit.BackupKey.generate("k")
    ring = tillit.BackupKeyRing()
    ring.add_key(key)

    sealed = io.BytesIO()
    tillit.seal_backup(io.BytesIO(plain), sealed, key, chunk_size=64, pipelined=pipelined)
    for open_pipelined in (True, False):
        opened = io.BytesIO()
        summary = tillit.open_backup(
            io.BytesIO(sealed.getvalue()), opened, ring, pipelined=open_pipelined
        )
        assert opened.getvalue() == plain
        assert summary.chunks == 41

    archive = tillit.seal_backup_bytes(plain, key, chunk_size=64, pipelined=pipelined)
    assert tillit.open_backup_bytes(archive, ring, pipelined=not pipelined) == plain
    damaged = bytearray(archive)
    damaged[len(damaged) // 2] ^= 1
    with pytest.raises(tillit.BackupIntegrityError, match="chunk"):
        tillit.open_backup_bytes(bytes(damaged), ring, pipelined=pipelined)

    (tmp_path / "plain").write_bytes(plain)
    tillit.seal_backup_file(
        tmp_path / "plain", tmp_path / "sealed", key, chunk_size=64, pipelined=pipelined
    )
    tillit.open_backup_file(tmp_path / "sealed", tmp_path / "out", ring, pipelined=pipelined)
    assert (tmp_path / "out").read_bytes() == plain

    # A reader that fails after the first batch ends either way with its own exception.
    class FailsLater(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            self.calls += 1
            if self.calls > 20:
                raise ConnectionResetError("tape drive went away")
            n = min(len(buffer), 64)
            buffer[:n] = bytes(n)
            return n

    with pytest.raises(ConnectionResetError, match="tape drive"):
        tillit.seal_backup(FailsLater(), io.BytesIO(), key, chunk_size=64, pipelined=pipelined)


def test_secrets_are_not_in_repr() -> None:
    key = tillit.BackupKey.from_bytes("k", bytes(range(32)))
    assert "k" in repr(key)
    assert key.secret_bytes() == bytes(range(32))
    assert str(bytes(range(32))) not in repr(key)
