"""Alembic environment: the same revisions run on SQLite (batch mode) and PostgreSQL."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from constellation.store.engine import normalise_url
from constellation.store.tables import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Write our timezone-aware timestamp as the plain type it stores as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=normalise_url(config.get_main_option("sqlalchemy.url")),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        section = config.get_section(config.config_ini_section, {})
        section["sqlalchemy.url"] = normalise_url(section["sqlalchemy.url"])
        engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            render_item=render_item,
            # SQLite's DDL is transactional too (the store begins the transaction itself,
            # see `migrations_config`): one run of migrations commits whole or not at all.
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
