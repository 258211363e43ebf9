"""Settings of a gateway node: defaults < TOML config file < ``YIPANQI_*`` environment.

With no configuration at all a node runs on the embedded demo default: node
``410100-RKJS`` (Zhengzhou), SQLite in ``./yipanqi-data``, the demo keys and directory of
``fixtures/`` (test-only keys). Nested settings use ``__`` in the environment
(``YIPANQI_OUTBOX__MAX_ATTEMPTS=5``); the config file is named by ``YIPANQI_CONFIG`` or
``yipanqi serve --config``. Nothing is read at import time: call :func:`load_settings`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _fixtures() -> Path:
    """The fixtures folder (demo keys and directory, test-only material): the one of the
    repository this package runs from, else ``./fixtures``; ``YIPANQI_FIXTURES`` overrides."""
    if os.environ.get("YIPANQI_FIXTURES"):
        return Path(os.environ["YIPANQI_FIXTURES"])
    beside = Path(__file__).resolve().parents[1] / "fixtures"
    return beside if beside.is_dir() else Path.cwd() / "fixtures"


#: Where the demo material lives (see :func:`_fixtures`).
FIXTURES = _fixtures()
PROVINCE = "410000-RKJS"


class RouteRule(BaseModel):
    """Send accepted change reports of ``senders`` on to ``to``.

    ``to`` is a node id, or ``registration-place``: the city node (``<city>00-RKJS``) of the
    person's hukouRegion. ``senders`` are node ids or ``self`` (reports submitted by this
    node's own clerks, signed with its own key).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    to: str
    senders: list[str] = Field(default_factory=lambda: ["self"])


def _default_routes() -> list[RouteRule]:
    return [RouteRule(to="registration-place"), RouteRule(to=PROVINCE)]


class OutboxSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    #: Failed attempts that reached the partner (an HTTP error other than 502/503/504, a
    #: receipt that does not hold, a connection dropped mid-answer) before an entry is
    #: dead-lettered. Attempts that could not reach the partner do not count.
    max_attempts: int = Field(default=8, ge=1)
    base_delay: float = Field(default=0.5, gt=0, description="seconds before the 1st retry")
    max_delay: float = Field(default=60.0, gt=0)
    #: How long an entry may wait for a partner that cannot be reached (connection refused
    #: or timed out, 502/503/504) before it is dead-lettered: three days by default.
    give_up_after: float = Field(default=72 * 3600.0, gt=0, description="seconds")
    poll_interval: float = Field(default=0.2, gt=0)
    request_timeout: float = Field(default=10.0, gt=0)
    lease_seconds: float = Field(default=60.0, gt=0)
    batch_size: int = Field(default=32, ge=1)
    concurrency: int = Field(default=8, ge=1)


class Settings(BaseSettings):
    """Everything a node needs; see the module docstring for the sources."""

    model_config = SettingsConfigDict(env_prefix="YIPANQI_", env_nested_delimiter="__",
                                      extra="forbid")

    node_id: str = "410100-RKJS"
    host: str = "127.0.0.1"
    port: int = 8411
    data_dir: Path = Path("yipanqi-data")
    database_url: str | None = None
    directory: Path = FIXTURES / "directory.json"
    root_key: Path = FIXTURES / "keys" / "410000-RKJS-root.pub.pem"
    signing_key: Path | None = None
    signing_kid: str | None = None
    operator_token: SecretStr | None = None
    #: Bearer tokens of partners that pull their messages (GET /api/v1/inbox).
    partner_tokens: dict[str, SecretStr] = Field(default_factory=dict)
    #: Endpoint overrides (node id → base URL), e.g. when nodes run on other ports.
    endpoints: dict[str, str] = Field(default_factory=dict)
    #: Partners never pushed to: their messages wait in the inbox.
    pull_partners: list[str] = Field(default_factory=list)
    routes: list[RouteRule] = Field(default_factory=_default_routes)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    max_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    body_timeout: float = Field(default=30.0, gt=0, description="seconds to receive a body")
    group_commit_max: int = Field(default=512, ge=1)
    #: Dock the open pending items about a person again when a write (a received report, a
    #: docked notice, a retry) opens or changes the person's record; else only clerks retry.
    redock_on_change: bool = True
    migrate_on_startup: bool = True
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    workers: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if self.signing_key is None:
            self.signing_key = FIXTURES / "keys" / f"{self.node_id}-2010.key.pem"
        return self

    @property
    def kid(self) -> str:
        assert self.signing_key is not None
        return self.signing_kid or self.signing_key.name.removesuffix(".pem").removesuffix(
            ".key")

    @property
    def url(self) -> str:
        """The database URL: the configured one, or SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'gateway.db').resolve()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Settings from ``config`` (TOML; else ``$YIPANQI_CONFIG``), the environment, overrides.

    Relative paths in a config file are taken relative to the file.
    """
    path = config or (Path(os.environ["YIPANQI_CONFIG"]) if os.environ.get("YIPANQI_CONFIG")
                      else None)
    if path is None:
        return Settings(**overrides)
    if not path.is_file():
        what = "is a directory, not a file" if path.is_dir() else "not found"
        raise FileNotFoundError(f"config file {path} {what}")

    class _FromFile(Settings):
        model_config = SettingsConfigDict(toml_file=path)

    settings: Settings = _FromFile(**overrides)
    if path:
        base = path.resolve().parent
        for name in ("data_dir", "directory", "root_key", "signing_key"):
            value = getattr(settings, name)
            if isinstance(value, Path) and not value.is_absolute():
                setattr(settings, name, base / value)
    return settings


__all__ = ["FIXTURES", "OutboxSettings", "RouteRule", "Settings", "load_settings"]
