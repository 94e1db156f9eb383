"""Settings: defaults, then the TOML config file, then ``LIAISON_*`` environment variables.

The config file lives at ``$LIAISON_CONFIG`` or in the platform's config folder (platformdirs), e.g.
``~/.config/liaison/config.toml``::

    db = "/home/me/liaison.db"
    lang = "zh"
    user = "wang.li"
    server_url = "https://liaison.example.org"
    token = "..."
    theme = "textual-light"

    [keys]            # binding id -> key, see the help screen (F1) for the ids
    "app.lookup" = "ctrl+f"
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP = "liaison"


def config_path() -> Path:
    explicit = os.environ.get("LIAISON_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "liaison.db"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIAISON_", extra="ignore")

    db: Path = Field(default_factory=default_db_path)
    lang: Literal["zh", "en"] | None = None
    user: str | None = None
    station: str = "QD"
    server_url: str | None = None
    token: str | None = None
    theme: str = "textual-dark"
    keys: dict[str, str] = Field(default_factory=dict)
    sync_interval: int = 60
    # Sending the token over plain http to a host other than this machine needs this set, on purpose.
    allow_insecure_http: bool = False
    # The terminal app locks an encrypted store after this many idle minutes (0: never).
    lock_after_minutes: int = 10
    import_max_rows: int = Field(default=200_000, ge=1)  # data rows one import reads
    import_max_mb: int = Field(default=64, ge=1)  # size of a file one import reads

    @field_validator("db", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return Path(value).expanduser() if isinstance(value, str | Path) else value

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: Any) -> Any:
        if isinstance(value, str) and value:
            return "zh" if value.lower().startswith(("zh", "cn")) else "en"
        return value or None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Explicit arguments win, then the environment, then the config file.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path()))

    @property
    def username(self) -> str:
        try:
            return self.user or getpass.getuser()
        except (KeyError, OSError):
            return "staff"


def load_settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
