# Type stubs for the tillit._native extension module. Each capability has its own section.

# --- core -------------------------------------------------------------------------------

def version() -> str: ...
def _panic_for_tests() -> None: ...

class TillitError(Exception): ...
class TillitValueError(ValueError): ...

# --- password ---------------------------------------------------------------------------

from collections.abc import Iterable, Sequence

_Password = str | bytes | bytearray

class BusyError(TillitError): ...
class PasswordError(TillitError, TillitValueError): ...
class InvalidHashError(PasswordError): ...

class PasswordHasher:
    """Argon2id password hasher: PHC strings, upgrade on login, ceilings, memory budget and
    pepper key ring. Hashing and verifying release the GIL."""

    def __init__(
        self,
        memory_kib: int = 19456,
        time_cost: int = 2,
        parallelism: int = 1,
        *,
        pepper: tuple[str, bytes] | None = None,
        old_peppers: Sequence[tuple[str, bytes]] | None = None,
        max_memory_kib: int | None = None,
        max_time_cost: int | None = None,
        max_parallelism: int | None = None,
        budget_bytes: int | None = None,
        budget_wait: float = 5.0,
        max_bytes: int = 4096,
        allow_argon2i: bool = False,
    ) -> None: ...
    @property
    def memory_kib(self) -> int: ...
    @property
    def time_cost(self) -> int: ...
    @property
    def parallelism(self) -> int: ...
    def hash(self, password: _Password) -> str: ...
    def verify(self, password: _Password, stored: str) -> bool: ...
    def verify_and_update(self, password: _Password, stored: str) -> tuple[bool, str | None]: ...
    def needs_rehash(self, stored: str) -> bool: ...
    def verify_unknown_user(self, password: _Password) -> bool: ...

class Violation:
    """One refusal of the password policy."""

    @property
    def rule(self) -> str: ...
    @property
    def message(self) -> str: ...

class PasswordPolicy:
    """Rules for new passwords (NIST SP 800-63B-4)."""

    def __init__(
        self,
        *,
        second_factor: bool = False,
        min_length: int = 15,
        min_length_second_factor: int = 8,
        max_length: int = 256,
        max_bytes: int = 4096,
        check_common: bool = True,
    ) -> None: ...
    def check(
        self,
        password: _Password,
        confirmation: _Password | None = None,
        user_inputs: Iterable[str] = (),
    ) -> list[Violation]: ...
    @property
    def min_length(self) -> int: ...

class ThrottleDecision:
    """What to do with a login attempt."""

    @property
    def allowed(self) -> bool: ...
    @property
    def retry_after(self) -> float: ...
    @property
    def scope(self) -> str | None: ...

class LoginThrottle:
    """Growing delays per account and per requester, capped, never a lockout."""

    def __init__(
        self,
        *,
        account_free: int = 5,
        account_base: float = 1.0,
        account_cap: float = 900.0,
        requester_free: int = 20,
        requester_base: float = 1.0,
        requester_cap: float = 3600.0,
    ) -> None: ...
    def decide(
        self,
        account_failures: int,
        account_last_failure: float | None,
        requester_failures: int,
        requester_last_failure: float | None,
        now: float,
    ) -> ThrottleDecision: ...

def canonicalize(password: str) -> str: ...
def is_common_password(password: str) -> bool: ...
def calibrate(target_seconds: float, max_memory_kib: int) -> tuple[int, int, int]: ...
