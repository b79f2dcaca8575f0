"""The route guard every console page goes through, declared once per page:

    @staff_page("/texts", roles={Role.ANALYST, Role.ADMIN}, audit="read texts", nav="texts")
    async def texts(staff: Staff) -> Response:
        return staff.render("texts.html.j2", rows=...)

The page is served at ``/staff/<municipality>/texts``. Before the handler runs, the guard
finds the signed-in account (else: the sign-in page), refuses another municipality's staff
and a role the page does not name (403, a kind page), checks the CSRF token of every POST,
and hands the handler a ``Staff`` (the account, the municipality, the posted form). A page
with ``audit`` writes that entry (with ``staff.audit_object``) once the handler answered
without an error; a handler may write more with ``await staff.audit(...)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.application.staff_accounts import Role
from storage.staff import Account

if TYPE_CHECKING:
    from bot.application.reports import Reports
    from bot.application.staff_accounts import StaffAccounts
    from bot.config.settings import Settings
    from bot.questionnaire.content import Content
    from bot.questionnaire.i18n import Locale
    from storage import Database

EVERY_ROLE = frozenset(Role)
MUNICIPAL_ROLES = frozenset({Role.ADMIN, Role.ANALYST, Role.CLERK, Role.VIEWER})


class Place(Protocol):
    """One municipality's parts the console uses (``bot.wiring.bootstrap.Runtime`` is one)."""

    settings: Settings
    content: Content
    database: Database

    @property
    def code(self) -> str: ...

    @property
    def reports(self) -> Reports: ...


Handler = Callable[["Staff"], Awaitable[Response]]


@dataclass(frozen=True)
class StaffPage:
    path: str
    """Under ``/staff/<municipality>``: ``/`` is the municipality's home page."""
    roles: frozenset[Role]
    handler: Handler
    audit: str | None = None
    """The audit log's action, written for every answered request (``None``: not audited;
    ``audit_post``: only for POST)."""
    audit_post: str | None = None
    nav: str | None = None
    """Named in the navigation and on the home page as ``staff.<nav>.nav``."""
    methods: tuple[str, ...] = ("GET",)
    order: int = 50
    """Its place in the navigation (smaller first; the audit log is 90)."""

    def allows(self, account: Account, municipality: str) -> bool:
        """The role is the page's, and the municipality the account's own (a national
        account: any municipality, on the pages that name ``Role.NATIONAL``)."""
        if account.role not in self.roles:
            return False
        return account.municipality is None or account.municipality == municipality

    @property
    def full_path(self) -> str:
        return "/staff/{municipality}" + self.path


PAGES: list[StaffPage] = []
"""Every registered page, in the order their modules were loaded."""


def in_navigation(account: Account, municipality: str) -> list[StaffPage]:
    """The pages with a ``nav`` the account may open here, in their ``order``."""
    found = [p for p in PAGES if p.nav and p.allows(account, municipality)]
    return sorted(found, key=lambda p: p.order)


def staff_page(
    path: str,
    roles: Collection[Role],
    audit: str | None = None,
    audit_post: str | None = None,
    nav: str | None = None,
    methods: Collection[str] = ("GET",),
    order: int = 50,
) -> Callable[[Handler], Handler]:
    """Registers a console page (see the module's docstring)."""

    def register(handler: Handler) -> Handler:
        page = StaffPage(
            path, frozenset(roles), handler, audit, audit_post, nav, tuple(methods), order
        )
        if any(p.path == path for p in PAGES):
            raise ValueError(f"two staff pages at {path}")
        PAGES.append(page)
        return handler

    return register


@dataclass
class Staff:
    """What a page's handler is given: who asks, for which municipality, in which words."""

    request: Request
    account: Account
    place: Place
    csrf: str
    locale: Locale
    language: str
    form: Mapping[str, str]
    """The POST's fields (its CSRF token already checked); empty for GET."""
    renderer: Any
    accounts: StaffAccounts
    page: StaffPage
    audit_object: str = ""
    """What the page's own audit entry names (e.g. "2025Q3 report, Word")."""
    files: Mapping[str, Any] = field(default_factory=dict)
    """A multipart POST's uploaded files (``starlette.datastructures.UploadFile``)."""

    @property
    def role(self) -> Role:
        return Role(self.account.role)

    @property
    def municipality(self) -> str:
        return self.place.code

    def t(self, key: str, **values: object) -> str:
        return self.locale.t(key, **values)

    def url(self, path: str = "/") -> str:
        """A page of this municipality: ``staff.url("/texts")``."""
        return f"/staff/{self.municipality}{path}"

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        """``template`` extends ``base.html.j2``; ``values`` are the template's own."""
        return self.renderer.page(self, template, status, **values)

    def redirect(self, path: str) -> Response:
        """After a POST: to a page of this municipality (303, so a reload does not post)."""
        return RedirectResponse(self.url(path), status_code=303)

    async def audit(self, action: str, what: str = "") -> None:
        """One more line of the audit log (never a citizen's words in ``what``)."""
        await self.accounts.record(self.account, action, self.municipality, what)
