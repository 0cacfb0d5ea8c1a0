"""Database helpers shared by the apps."""


def run_vendor_sql(schema_editor, *, sqlite, postgresql) -> None:
    """Run the statements for this database: ``sqlite()`` or ``postgresql()`` give lists.

    Triggers are written per database (SQLite and PostgreSQL are the two supported);
    migrations call this through each app's ``triggers.install``/``uninstall``.
    """
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite()
    elif vendor == "postgresql":
        statements = postgresql()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"No triggers written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)
