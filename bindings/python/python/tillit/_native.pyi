# Type stubs for the tillit._native extension module. Each capability has its own section.

import os
from collections.abc import Callable

# --- core -------------------------------------------------------------------------------

def version() -> str: ...
def _panic_for_tests() -> None: ...

class TillitError(Exception): ...
class TillitValueError(ValueError): ...

# --- retention --------------------------------------------------------------------------

import datetime
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

Kind = Literal["invoice", "attachment", "sale_attachment", "account_data"]
ActionName = Literal["keep", "notify", "delete", "anonymise"]

class RetentionError(TillitError, ValueError):
    """A retention rule, policy or input was invalid; the message says what would be right."""

class FiscalYear:
    """A business's fiscal year, named by the month (1 to 12) it ends in."""

    def __init__(self, end_month: int = 12) -> None: ...
    @property
    def end_month(self) -> int: ...
    def fiscal_year_end(self, date: datetime.date) -> datetime.date: ...

class RetentionDecision:
    """The outcome for one record, with the rule and the dates that decided."""

    @property
    def kind(self) -> Kind: ...
    @property
    def action(self) -> ActionName: ...
    @property
    def reason(self) -> str: ...
    @property
    def period(self) -> tuple[int, int]: ...
    @property
    def policy(self) -> str: ...
    @property
    def fiscal_year_end(self) -> datetime.date | None: ...
    @property
    def retained_through(self) -> datetime.date: ...
    @property
    def eligible_from(self) -> datetime.date: ...
    @property
    def action_from(self) -> datetime.date | None: ...
    def explain(self) -> str: ...

class RetentionPlanColumns:
    """One column set of a plan; the columns are memoryviews NumPy wraps without copying."""

    ACTIONS: ClassVar[tuple[str, str, str, str]]
    REASONS: ClassVar[tuple[str, ...]]
    KINDS: ClassVar[tuple[str, str, str, str]]
    NO_DATE: ClassVar[int]
    def __len__(self) -> int: ...
    @property
    def kind(self) -> memoryview: ...
    @property
    def action(self) -> memoryview: ...
    @property
    def reason(self) -> memoryview: ...
    @property
    def fiscal_year_end(self) -> memoryview: ...
    @property
    def eligible_from(self) -> memoryview: ...
    @property
    def action_from(self) -> memoryview: ...
    def counts(self) -> dict[str, int]: ...
    def decision(self, row: int) -> RetentionDecision: ...
    def explain(self, row: int) -> str: ...

class RetentionPlan:
    """The result of RetentionPolicy.plan: one row per record and one per account."""

    @property
    def records(self) -> RetentionPlanColumns: ...
    @property
    def accounts(self) -> RetentionPlanColumns: ...

class RetentionPolicy:
    """A retention policy: periods per record kind and the notice for attachments."""

    def __init__(
        self,
        *,
        name: str,
        invoice: tuple[int, int],
        attachment: tuple[int, int],
        sale_attachment: tuple[int, int],
        account_data: tuple[int, int],
        notice_days: int = 30,
    ) -> None: ...
    @staticmethod
    def seed() -> RetentionPolicy: ...
    @staticmethod
    def bookkeeping_act() -> RetentionPolicy: ...
    @staticmethod
    def preset(name: str) -> RetentionPolicy: ...
    @property
    def name(self) -> str: ...
    @property
    def periods(self) -> dict[str, tuple[int, int]]: ...
    @property
    def notice_days(self) -> int: ...
    def invoice(
        self,
        date: datetime.date,
        today: datetime.date,
        *,
        fiscal_year: FiscalYear | None = None,
        booking_date: datetime.date | None = None,
        fiscal_year_end: datetime.date | None = None,
        legal_hold: bool = False,
    ) -> RetentionDecision: ...
    def attachment(
        self,
        date: datetime.date,
        today: datetime.date,
        *,
        account_active: bool,
        notice_sent: datetime.date | None = None,
        documents_sale: bool = False,
        fiscal_year: FiscalYear | None = None,
        booking_date: datetime.date | None = None,
        fiscal_year_end: datetime.date | None = None,
        legal_hold: bool = False,
    ) -> RetentionDecision: ...
    def account(
        self,
        last_activity: datetime.date,
        today: datetime.date,
        *,
        active: bool,
        latest_invoice_eligible_from: datetime.date | None = None,
        legal_hold: bool = False,
    ) -> RetentionDecision: ...
    def cutoff(self, kind: Kind, today: datetime.date) -> datetime.date: ...
    def plan(self, records: Mapping[str, Any], accounts: Mapping[str, Any], today: datetime.date) -> RetentionPlan: ...
    def erasure(
        self,
        invoices: Sequence[InvoiceRecord | datetime.date],
        today: datetime.date,
        attachments: Sequence[AttachmentRecord] = (),
    ) -> ErasureAnswer: ...

class InvoiceRecord:
    def __init__(
        self,
        date: datetime.date,
        *,
        fiscal_year: FiscalYear | None = None,
        booking_date: datetime.date | None = None,
        fiscal_year_end: datetime.date | None = None,
        legal_hold: bool = False,
    ) -> None: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def legal_hold(self) -> bool: ...

class AttachmentRecord:
    def __init__(
        self,
        date: datetime.date,
        *,
        account_active: bool,
        notice_sent: datetime.date | None = None,
        documents_sale: bool = False,
        fiscal_year: FiscalYear | None = None,
        booking_date: datetime.date | None = None,
        fiscal_year_end: datetime.date | None = None,
        legal_hold: bool = False,
    ) -> None: ...
    @property
    def date(self) -> datetime.date: ...

Timing = Literal["now", "later", "open"]

class ErasureItem:
    @property
    def index(self) -> int: ...
    @property
    def timing(self) -> Timing: ...
    @property
    def erase_from(self) -> datetime.date | None: ...
    @property
    def decision(self) -> RetentionDecision: ...

class ErasureAnswer:
    @property
    def invoices(self) -> list[ErasureItem]: ...
    @property
    def attachments(self) -> list[ErasureItem]: ...
    @property
    def buyer_entry(self) -> Timing: ...
    @property
    def buyer_entry_from(self) -> datetime.date | None: ...
    @property
    def legal_duty(self) -> str: ...
    def complete_now(self) -> bool: ...

class Receivable:
    def __init__(
        self,
        amount: Decimal,
        currency: str,
        issued: datetime.date,
        due: datetime.date,
        settled: datetime.date | None = None,
    ) -> None: ...
    amount: Decimal
    currency: str
    issued: datetime.date
    due: datetime.date
    settled: datetime.date | None

class Buyer:
    def __init__(
        self,
        id: int,
        name: str,
        address: str,
        *,
        created: datetime.date,
        identifier: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        notes: str = "",
        receivables: Sequence[Receivable] = (),
    ) -> None: ...
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def anonymised(self) -> bool: ...
    def anonymise(self) -> AnonymisedBuyer: ...

class AnonymisedBuyer:
    id: int
    receivables: list[Receivable]
    created: datetime.date

class Product:
    def __init__(self, id: int, name: str, unit_price: Decimal, *, description: str = "") -> None: ...
    @property
    def name(self) -> str: ...
    def anonymise(self) -> AnonymisedProduct: ...

class AnonymisedProduct:
    id: int
    unit_price: Decimal

def add_from_fiscal_year_end(start: datetime.date, years: int, months: int) -> datetime.date: ...
def add_from_event(start: datetime.date, years: int, months: int) -> datetime.date: ...
def disclosure(requester: str, basis: str, reference: str | None = None) -> tuple[bool, str]: ...
# --- invoice ----------------------------------------------------------------------------

import datetime
from decimal import Decimal
from typing import TypeVar

class InvoiceError(TillitError): ...
class InvoiceValidationError(InvoiceError): ...
class EhfError(InvoiceError): ...

class OrgNumber:
    def __init__(self, value: str) -> None: ...
    @staticmethod
    def check_digit(first_eight: str) -> int | None: ...
    @staticmethod
    def is_valid(value: str) -> bool: ...
    @staticmethod
    def are_valid(values: list[str]) -> list[bool]: ...
    def formatted(self) -> str: ...
    def vat_number(self) -> str: ...
    def __hash__(self) -> int: ...

class AccountNumber:
    def __init__(self, value: str) -> None: ...
    @staticmethod
    def from_iban(iban: str) -> AccountNumber: ...
    @staticmethod
    def is_valid(value: str) -> bool: ...
    @staticmethod
    def are_valid(values: list[str]) -> list[bool]: ...
    def formatted(self) -> str: ...
    def iban(self) -> str: ...
    def __hash__(self) -> int: ...

class Kid:
    def __init__(self, value: str, algorithm: str | None = None) -> None: ...
    @staticmethod
    def generate(payload: str, algorithm: str = "mod10") -> Kid: ...
    @property
    def algorithm(self) -> str: ...
    def __hash__(self) -> int: ...

class Party:
    def __init__(
        self,
        name: str,
        *,
        org_number: str | None = None,
        vat_registered: bool = False,
        legal_form: str | None = None,
        street: str | None = None,
        postal_code: str | None = None,
        city: str | None = None,
        country: str = "NO",
        email: str | None = None,
        bank_account: str | None = None,
        iban: str | None = None,
        foreign_vat_id: str | None = None,
    ) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def org_number(self) -> OrgNumber | None: ...
    @property
    def vat_number(self) -> str | None: ...
    @property
    def in_foretaksregisteret(self) -> bool: ...

class Line:
    def __init__(
        self,
        description: str,
        quantity: Decimal,
        unit: str,
        unit_price: Decimal,
        vat_percent: Decimal = ...,
        vat_category: str = "S",
        exemption_reason: str | None = None,
        discount: Decimal | None = None,
    ) -> None: ...
    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def vat_percent(self) -> Decimal: ...
    @property
    def vat_category(self) -> str: ...
    def amount(self, currency: str = "NOK") -> Decimal: ...

class VatSubtotal:
    category: str
    percent: Decimal
    taxable_amount: Decimal
    vat_amount: Decimal

class Totals:
    line_amounts: list[Decimal]
    line_extension: Decimal
    allowance_total: Decimal
    charge_total: Decimal
    tax_exclusive: Decimal
    vat_breakdown: list[VatSubtotal]
    vat_total: Decimal
    vat_total_nok: Decimal | None
    tax_inclusive: Decimal
    prepaid: Decimal
    rounding: Decimal
    payable: Decimal

class Problem:
    path: str
    rule: str
    message: str

class Invoice:
    def __init__(
        self,
        number: str,
        issue_date: datetime.date,
        seller: Party,
        buyer: Party,
        lines: list[Line],
        *,
        currency: str = "NOK",
        due_date: datetime.date | None = None,
        delivery_date: datetime.date | None = None,
        payment_terms_days: int | None = None,
        kid: Kid | None = None,
        nok_exchange_rate: Decimal | None = None,
        prepaid_amount: Decimal = ...,
        cash_rounding: bool = False,
        buyer_reference: str | None = None,
        order_reference: str | None = None,
    ) -> None: ...
    @staticmethod
    def from_json(json: str) -> Invoice: ...
    def to_json(self) -> str: ...
    def totals(self) -> Totals: ...
    def to_ehf(self, attachments: Mapping[str, bytes] | None = None) -> str: ...
    def problems(self) -> list[Problem]: ...
    def validate(self) -> None: ...
    def credit_note(
        self, number: str, issue_date: datetime.date, lines: list[Line] | None = None
    ) -> CreditNote: ...
    @property
    def number(self) -> str: ...
    @property
    def issue_date(self) -> datetime.date: ...
    @property
    def due_date(self) -> datetime.date | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def seller(self) -> Party: ...
    @property
    def buyer(self) -> Party: ...
    @property
    def lines(self) -> list[Line]: ...
    @property
    def kid(self) -> Kid | None: ...

class CreditNote:
    @staticmethod
    def from_json(json: str) -> CreditNote: ...
    def to_json(self) -> str: ...
    def totals(self) -> Totals: ...
    def ledger_totals(self) -> Totals: ...
    def to_ehf(self, attachments: Mapping[str, bytes] | None = None) -> str: ...
    def problems(self, invoice: Invoice | None = None) -> list[Problem]: ...
    def validate(self, invoice: Invoice | None = None) -> None: ...
    @property
    def number(self) -> str: ...
    @property
    def credited_number(self) -> str: ...
    @property
    def issue_date(self) -> datetime.date: ...
    @property
    def lines(self) -> list[Line]: ...

def from_ehf(xml: str) -> Invoice | CreditNote: ...

class EhfReadOutcome:
    document: Invoice | CreditNote
    attachments: dict[str, bytes]
    ignored: list[tuple[str, str]]

def read_ehf(xml: str, *, strict: bool = False) -> EhfReadOutcome: ...
def late_interest(
    principal: Decimal, due_date: datetime.date, paid_on: datetime.date
) -> Decimal: ...
def reminder_fee(
    due_date: datetime.date,
    reminder_date: datetime.date,
    earlier_fee_reminders: list[datetime.date] = ...,
) -> Decimal | None: ...

_T = TypeVar("_T")

class MemoryNumberSeries:
    """Gapless number series (one per name, numbers from 1) in process memory.

    ``issue`` hands the next number to a callable and uses it only if the callable returns;
    when the callable raises, the number goes back to the series. Issues are serialised, and
    the GIL is released while an issue waits for another. The callable must not issue from
    the same store again (it would wait for itself)."""

    def __init__(self) -> None: ...
    def next_number(self, series: str) -> int:
        """The number the next successful issue of ``series`` will get, without taking it.
        Raises InvoiceError for a name that is empty or longer than 64 characters."""
    def issue(self, series: str, issue: Callable[[int], _T]) -> _T:
        """Calls ``issue(number)`` with the next number of ``series`` and returns its result.
        If it raises, the number is given back and the exception propagates unchanged; store
        failures and bad names raise InvoiceError."""

class SqliteNumberSeries:
    """Gapless number series in an SQLite database file (WAL), safe across threads and
    processes; otherwise as MemoryNumberSeries."""

    def __init__(self, path: str | os.PathLike[str]) -> None: ...
    def next_number(self, series: str) -> int:
        """The number the next successful issue of ``series`` will get, without taking it."""
    def issue(self, series: str, issue: Callable[[int], _T]) -> _T:
        """Calls ``issue(number)`` with the next number of ``series`` in one transaction and
        returns its result. If it raises, the transaction rolls back, the number is given
        back and the exception propagates unchanged."""

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

class StatelessKey:
    """A signing key: an id of 1 to 16 of A-Z a-z 0-9 - _ and at least 32 secret bytes."""
    key_id: str
    def __init__(self, key_id: str, secret: bytes) -> None: ...

class StatelessClaims:
    account_id: str
    purpose: str
    issued_at: int
    expires_at: int
    key_id: str

class StatelessTokens:
    """HMAC-signed tokens for services with no token table.

    Single use rests on the caller's compare-and-set of the password hash the token is
    bound to; PasswordReset over a store is the default and has no such limit.
    """
    def __init__(
        self,
        current: StatelessKey,
        retired: list[StatelessKey] = ...,
        lifetime_seconds: int = 1800,
    ) -> None: ...
    def issue(
        self,
        account_id: str,
        stored_hash: str,
        purpose: str = "password-reset",
        now: int | None = None,
    ) -> str: ...
    def verify(
        self,
        token: str,
        stored_hash: str,
        purpose: str = "password-reset",
        now: int | None = None,
    ) -> StatelessClaims: ...
    def account_of(self, token: str) -> str: ...

class ResetLinks:
    base_url: str
    fragment: bool
    def __init__(self, base_url: str, fragment: bool = False) -> None: ...
    def build(self, token: str) -> str: ...

def extract_token(pasted: str) -> str: ...
def reset_page_headers(hsts: str | None = None) -> list[tuple[str, str]]: ...

# --- sealed backups ---------------------------------------------------------------------

from typing import BinaryIO

Algorithm = Literal["aes-256-gcm", "chacha20-poly1305"]

class BackupError(TillitError): ...
class BackupIntegrityError(BackupError): ...
class BackupKeyError(BackupError): ...
class BackupFormatError(BackupError): ...
class BackupIoError(BackupError): ...
class BackupValueError(BackupError, TillitValueError): ...

class BackupKey:
    @staticmethod
    def generate(key_id: str) -> BackupKey: ...
    @staticmethod
    def from_bytes(key_id: str, material: bytes) -> BackupKey: ...
    @staticmethod
    def derive_from_passphrase(
        key_id: str, passphrase: str, *, m_cost_kib: int = 65536, t_cost: int = 3, p_cost: int = 4
    ) -> BackupKey: ...
    @property
    def key_id(self) -> str: ...
    @property
    def is_from_passphrase(self) -> bool: ...
    def secret_bytes(self) -> bytes: ...

class BackupKeyRing:
    def __init__(self, *, max_m_cost_kib: int = 1048576, max_t_cost: int = 10, max_p_cost: int = 16) -> None: ...
    def add_key(self, key: BackupKey) -> None: ...
    def add_passphrase(self, key_id: str, passphrase: str) -> None: ...
    def key_ids(self) -> list[str]: ...
    def __len__(self) -> int: ...
    def __contains__(self, key_id: str) -> bool: ...

class BackupSummary:
    plaintext_bytes: int
    sealed_bytes: int
    chunks: int
    key_id: str
    algorithm: Algorithm
    chunk_size: int

def seal_backup(
    reader: BinaryIO,
    writer: BinaryIO,
    key: BackupKey,
    *,
    algorithm: Algorithm = "aes-256-gcm",
    chunk_size: int = 65536,
    pipelined: bool = True,
) -> BackupSummary: ...
def open_backup(
    reader: BinaryIO, writer: BinaryIO, ring: BackupKeyRing, *, pipelined: bool = True
) -> BackupSummary: ...
def seal_backup_bytes(
    data: bytes,
    key: BackupKey,
    *,
    algorithm: Algorithm = "aes-256-gcm",
    chunk_size: int = 65536,
    pipelined: bool = True,
) -> bytes: ...
def open_backup_bytes(archive: bytes, ring: BackupKeyRing, *, pipelined: bool = True) -> bytes: ...
def seal_backup_file(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    key: BackupKey,
    *,
    algorithm: Algorithm = "aes-256-gcm",
    chunk_size: int = 65536,
    pipelined: bool = True,
) -> BackupSummary: ...
def open_backup_file(
    input: str | os.PathLike[str],
    output: str | os.PathLike[str],
    ring: BackupKeyRing,
    *,
    pipelined: bool = True,
) -> BackupSummary: ...
