"""The staff console's tables: accounts, sessions, set-up links and the audit log.

Staff are not anonymous: their actions are recorded with who and when (the audit log), but
nothing here ever holds a citizen's answer, text or identifier. Secrets are kept only as
what cannot be turned back: an argon2id hash of the password, SHA-256 of each random token.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema import Base


class StaffAccountRow(Base):
    __tablename__ = "staff_accounts"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    municipality: Mapped[str | None] = mapped_column(String(24), nullable=True)
    """``None``: a national account, which sees every municipality's national view."""
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(Text, nullable=True)
    """argon2id (argon2-cffi's encoded form); ``None`` until the set-up link is used."""
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The time-step of the last code accepted: a code is good once (RFC 6238, 5.2)."""
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    added_on: Mapped[date] = mapped_column(Date)


class StaffSessionRow(Base):
    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(16), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffSetupRow(Base):
    __tablename__ = "staff_setup_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(16), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffAuditRow(Base):
    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    who: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    municipality: Mapped[str | None] = mapped_column(String(24), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    object: Mapped[str] = mapped_column(String(200), default="", server_default="")
