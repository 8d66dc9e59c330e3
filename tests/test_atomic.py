"""Atomic files written piece by piece (``AtomicStream``): named whole on commit, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from warphoto._atomic import AtomicStream


def test_the_file_appears_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "out.nt"
    with AtomicStream(target) as stream:
        stream.write(b"one\n")
        stream.write(b"two\n")
        assert not target.exists()
        stream.commit()
    assert target.read_bytes() == b"one\ntwo\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]


def test_leaving_without_commit_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.nt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), AtomicStream(target) as stream:
        stream.write(b"new")
        raise RuntimeError("refused")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]


def test_an_existing_file_is_kept_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.nt"
    target.write_bytes(b"old")
    with AtomicStream(target, overwrite=False) as stream:
        stream.write(b"new")
        with pytest.raises(FileExistsError):
            stream.commit()
    assert target.read_bytes() == b"old"
    with AtomicStream(target) as stream:
        stream.write(b"new")
        stream.commit()
    assert target.read_bytes() == b"new"


def test_without_unnamed_files_a_hidden_temporary_file_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warphoto import _atomic

    monkeypatch.setattr(_atomic, "_open_unnamed", lambda folder: None)
    target = tmp_path / "out.nt"
    with AtomicStream(target) as stream:
        stream.write(b"data")
        [hidden] = tmp_path.iterdir()
        assert hidden.name.startswith(".out.nt.") and hidden.name.endswith(".tmp")
        stream.commit()
    assert target.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]
    with AtomicStream(target) as stream:
        stream.write(b"dropped")
    assert target.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]
