"""Settings, read from the environment (prefix ``CONSTELLATION_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///constellation.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSTELLATION_", env_file=".env", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: sqlite:///file.db or postgresql://user@host/db.",
    )
    sqlite_busy_timeout_ms: int = Field(5000, ge=0, description="How long SQLite waits on a lock.")
    sqlite_write_wait_ms: int = Field(
        60_000,
        ge=0,
        description="How long a write waits in line for SQLite's write lock, asking again "
        "after each busy timeout, before it is answered 503.",
    )
    db_pool_size: int = Field(
        5,
        ge=1,
        description="PostgreSQL connections each worker keeps open; a server's max_connections "
        "must exceed workers x (pool size + overflow).",
    )
    db_max_overflow: int = Field(
        10, ge=0, description="PostgreSQL connections a worker may open beyond its pool at a peak."
    )
    auto_upgrade: bool = Field(
        True, description="Bring the schema up to date on first use of a database."
    )
    max_body_bytes: int = Field(
        10 * 1024 * 1024,
        ge=1024,
        description="Largest request body the service accepts (413 above it).",
    )
    public_url: str = Field(
        "http://localhost:8000",
        description="Where people reach the service: the start of the partner links that "
        "`constellation token create --role partner` prints.",
    )
    require_if_match: bool = Field(
        True,
        description="Updates and deletes through the API must name the version they "
        "change (If-Match); without it they are refused with 428.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (JSON list); none by default.",
    )
    embed_origins: list[str] = Field(
        default_factory=list,
        description="Origins whose pages may frame the map (JSON list, e.g. "
        '["https://partners.example.org"]); besides this service itself, none by default.',
    )
    hsts_seconds: int = Field(
        0,
        ge=0,
        description="Send Strict-Transport-Security with this max-age when served behind TLS "
        "(0, the default: not sent; 31536000 is a year).",
    )
    cache_size: int = Field(
        32,
        ge=0,
        description="Loaded graphs and analyses kept per worker; keyed on the "
        "workspace's revision, so a write anywhere makes them stale at once.",
    )
    max_upload_bytes: int = Field(
        50 * 1024 * 1024,
        gt=0,
        description="Largest file an import accepts (each file, before it is read).",
    )
    max_unpacked_bytes: int = Field(
        500 * 1024 * 1024,
        gt=0,
        description="Most a zipped upload (XLSX, a zip of CSV files) may unpack to.",
    )
    max_zip_ratio: int = Field(
        200,
        gt=0,
        description="Highest unpacked-to-packed ratio of a zip member before it counts as a bomb.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
