# Type stubs for the tillit._native extension module. Each capability has its own section.

# --- core -------------------------------------------------------------------------------

def version() -> str: ...
def _panic_for_tests() -> None: ...

class TillitError(Exception): ...

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

def add_from_fiscal_year_end(start: datetime.date, years: int, months: int) -> datetime.date: ...
def add_from_event(start: datetime.date, years: int, months: int) -> datetime.date: ...
def disclosure(requester: str, basis: str, reference: str | None = None) -> tuple[bool, str]: ...
