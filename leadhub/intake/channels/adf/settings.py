"""What an `adf` channel may take besides its token (network file, `settings:`)."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ImapSettings(BaseModel):
    """The mailbox `leadhub intake imap` polls for ADF e-mails."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1)
    port: int | None = Field(None, ge=1, le=65535, description="default 993 with ssl, else 143")
    ssl: bool = True  # IMAP over TLS; plain IMAP only for a server on the same host
    user: str = Field(min_length=1)
    # The password, or the name of an environment variable holding it, so the network
    # file (and its dumps) need not carry it.
    password: str = ""
    password_env: str = ""
    folder: str = "INBOX"
    done_folder: str = ""  # processed messages move here; empty: they stay, marked read

    @model_validator(mode="after")
    def one_password(self) -> ImapSettings:
        if bool(self.password) == bool(self.password_env):
            raise ValueError("give either password or password_env")
        return self

    def secret(self) -> str:
        if self.password:
            return self.password
        value = os.environ.get(self.password_env, "")
        if not value:
            raise LookupError(f"the environment variable {self.password_env} is not set")
        return value

    def effective_port(self) -> int:
        return self.port or (993 if self.ssl else 143)


class AdfSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # E-mail senders whose messages are taken ("leads@provider.example" or "@provider.example");
    # empty: any sender (the mailbox address is then the only secret).
    allowed_senders: list[str] = Field(default_factory=list)
    imap: ImapSettings | None = None

    def allows(self, sender: str) -> bool:
        if not self.allowed_senders:
            return True
        sender = sender.strip().lower()
        domain = "@" + sender.rpartition("@")[2]
        return any(a.strip().lower() in (sender, domain) for a in self.allowed_senders)
