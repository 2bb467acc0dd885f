"""The binding itself: the module loads, reports its version, and turns panics into
exceptions instead of aborting the interpreter."""

import re

import pytest

import tillit


def test_version_is_semver() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", tillit.version())
    assert tillit.__version__ == tillit.version()


def test_panic_becomes_exception() -> None:
    with pytest.raises(BaseException) as info:
        tillit._panic_for_tests()
    assert "deliberate panic" in str(info.value)
    # The interpreter is still alive and the module still works after the panic.
    assert tillit.version()


def test_errors_share_one_base() -> None:
    assert issubclass(tillit.TillitError, Exception)
