"""Test helpers for code that extends tillit.

``run_token_store_conformance(factory)`` runs the reset-token store conformance suite (the
same checks the Rust stores pass) against stores made by ``factory``, a callable returning a
fresh, empty store: a ``MemoryTokenStore``, a ``SqliteTokenStore`` or an object of your own
with the same methods. It raises ``AssertionError`` listing every failed check and returns
the number of checks passed.
"""

from tillit._native import run_token_store_conformance

__all__ = ["run_token_store_conformance"]
