# Type stubs for the tillit._native extension module. Each capability has its own section.

import os
from collections.abc import Callable

# --- core -------------------------------------------------------------------------------

def version() -> str: ...
def _panic_for_tests() -> None: ...

class TillitError(Exception): ...

# --- reset tokens -------------------------------------------------------------------------

class TokenExpiredError(TillitError): ...
class TokenInvalidError(TillitError): ...
class TokenUsedError(TillitError): ...

class ThrottledError(TillitError):
    retry_after_seconds: int

class PasswordPolicyError(TillitError, ValueError):
    violations: list[tuple[str, str]]

class TokenRecord:
    selector: bytes
    verifier_digest: bytes
    account_id: str
    purpose: str
    fingerprint: bytes
    issued_at: int
    expires_at: int
    consumed_at: int | None
    def __init__(
        self,
        selector: bytes,
        verifier_digest: bytes,
        account_id: str,
        purpose: str,
        fingerprint: bytes,
        issued_at: int,
        expires_at: int,
        consumed_at: int | None = None,
    ) -> None: ...
    def with_consumed_at(self, at: int) -> TokenRecord: ...

class _StoreMethods:
    def insert(self, record: TokenRecord) -> None: ...
    def peek(self, selector_bytes: bytes) -> TokenRecord | None: ...
    def take(self, selector_bytes: bytes, now: int) -> TokenRecord | None: ...
    def revoke_all(self, account_id: str) -> int: ...
    def record_request(self, email_key: bytes, requester: str, at: int) -> None: ...
    def count_requests_for_email(self, email_key: bytes, since: int) -> int: ...
    def count_requests_for_requester(self, requester: str, since: int) -> int: ...
    def purge(self, now: int, requests_before: int) -> int: ...

class MemoryTokenStore(_StoreMethods):
    def __init__(self) -> None: ...

class SqliteTokenStore(_StoreMethods):
    def __init__(self, path: str | os.PathLike[str]) -> None: ...

class ResetMail:
    account_id: str
    email: str
    link: str
    token: str
    expires_at: int

class ResetRequest:
    mail: ResetMail | None
    suppressed: bool

class PendingReset:
    account_id: str
    issued_at: int
    expires_at: int

class CompletedReset:
    account_id: str
    new_hash: str
    revoked_tokens: int

class PasswordReset:
    def __init__(
        self,
        store: object,
        server_key: bytes,
        base_url: str,
        *,
        lifetime_seconds: int = 1800,
        fragment: bool = False,
        hmac_digest: bool = False,
        max_per_email: int = 3,
        max_per_requester: int = 20,
        window_seconds: int = 3600,
        purpose: str = "password-reset",
    ) -> None: ...
    def request(
        self,
        email: str,
        account_id: str | None,
        stored_hash: str | None,
        requester: str,
        now: int | None = None,
    ) -> ResetRequest: ...
    def peek(
        self, token: str, current_hash: str | None = None, now: int | None = None
    ) -> PendingReset: ...
    def consume(self, token: str, current_hash: str, now: int | None = None) -> str: ...
    def complete(
        self,
        token: str,
        new_password: str,
        confirmation: str,
        current_hash: str,
        user_inputs: list[str] = ...,
        now: int | None = None,
    ) -> CompletedReset: ...
    def revoke_all(self, account_id: str) -> int: ...
    def purge(self, now: int | None = None) -> int: ...

def run_token_store_conformance(factory: Callable[[], object]) -> int: ...
