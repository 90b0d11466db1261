"""PostGIS export: the same tables in a database schema, replaced in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import shapely
from pyproj import CRS

from zoning import datadict as dd
from zoning import schema as s
from zoning.datadict_zh import field_comment
from zoning.errors import ExportError
from zoning.io.export.bundle import DEFAULT_CRS, ExportBundle
from zoning.io.export.parts import export_parts
from zoning.io.export.values import layer_records

if TYPE_CHECKING:
    from psycopg2.extensions import cursor as pg_cursor

#: default PostGIS schema
DEFAULT_PG_SCHEMA: Final = "zoning"
#: geometry column of the PostGIS tables
PG_GEOMETRY: Final = "geom"
#: seconds to wait for the database server unless the URI says otherwise
PG_CONNECT_TIMEOUT_S: Final = 15
#: URI schemes that make :func:`export_park` write to PostGIS
POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")
_PG_TYPE: Final[dict[dd.ExportFieldType, str]] = {
    "str": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
    "list[str]": "text[]",
    "json": "jsonb",
}


def is_postgres_dsn(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL database (``postgresql://...``)."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def redact_dsn(dsn: str) -> str:
    """Return ``dsn`` with any password replaced by ``***`` (for messages).

    Examples
    --------
    >>> redact_dsn("postgresql://gis:secret@db.example:5432/city")
    'postgresql://gis:***@db.example:5432/city'
    """
    scheme, sep, rest = dsn.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return dsn
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


def srid_of(crs: str) -> int:
    """Return the EPSG code of ``crs``."""
    epsg = CRS.from_user_input(crs).to_epsg()
    if epsg is None:  # pragma: no cover - EXPORT_CRS are all EPSG codes
        raise ValueError(f"no EPSG code for {crs}")
    return int(epsg)


def _pg_columns(layer: dd.ExportLayer) -> list[tuple[str, str, bool]]:
    """(name, SQL type, not null) of a table, ``park_id`` first."""
    columns = [] if s.PARK_ID in layer.field_names else [(s.PARK_ID, "text", True)]
    columns += [(f.name, _PG_TYPE[f.type], f.required) for f in layer.fields]
    return columns


def _ensure_table(
    cur: pg_cursor,
    pg_schema: str,
    table: str,
    layer: dd.ExportLayer,
    geometry: str | None,
    srid: int,
) -> None:
    """Create the table if needed, add missing columns, check its geometry type and SRID."""
    from psycopg2 import sql

    columns = _pg_columns(layer)
    key = [s.PARK_ID] + [k for k in layer.key if k != s.PARK_ID]
    ident = sql.Identifier(pg_schema, table)
    definitions = [
        sql.SQL("{} {}{}").format(
            sql.Identifier(name), sql.SQL(sqltype), sql.SQL(" NOT NULL" if not_null else "")
        )
        for name, sqltype, not_null in columns
    ]
    if geometry is not None:
        definitions.append(
            sql.SQL("{} geometry({}, {})").format(
                sql.Identifier(PG_GEOMETRY), sql.SQL(geometry), sql.Literal(srid)
            )
        )
    definitions.append(
        sql.SQL("PRIMARY KEY ({})").format(sql.SQL(", ").join(map(sql.Identifier, key)))
    )
    cur.execute(
        sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(ident, sql.SQL(", ").join(definitions))
    )
    cur.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s",
        (pg_schema, table),
    )
    present = {row[0] for row in cur.fetchall()}
    for name, sqltype, _ in columns:
        if name not in present:
            cur.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                    ident, sql.Identifier(name), sql.SQL(sqltype)
                )
            )
    if geometry is not None:
        cur.execute(
            "SELECT upper(type), srid FROM geometry_columns "
            "WHERE f_table_schema = %s AND f_table_name = %s AND f_geometry_column = %s",
            (pg_schema, table, PG_GEOMETRY),
        )
        found = cur.fetchone()
        if found is None or (found[0], found[1]) != (geometry.upper(), srid):
            given = "no geometry column" if found is None else f"{found[0]}, SRID {found[1]}"
            raise ExportError(
                f"table {pg_schema}.{table} holds {given}; this export writes "
                f"{geometry.upper()} in SRID {srid}. Export with the CRS of the earlier "
                "export (--crs), or into another schema, or drop the table"
            )
        cur.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING GIST ({})").format(
                sql.Identifier(f"{table}_{PG_GEOMETRY}_gist"), ident, sql.Identifier(PG_GEOMETRY)
            )
        )
    cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(ident, sql.Literal(layer.description)))
    for spec in layer.fields:  # Chinese title and description first (zoning.datadict_zh)
        comment = field_comment(layer.name, spec.name, spec.description)
        cur.execute(
            sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(
                ident, sql.Identifier(spec.name), sql.Literal(comment)
            )
        )


def _pg_rows(
    park_id: str, layer: dd.ExportLayer, records: list[dict[str, Any]], ewkb: list[str | None]
) -> list[tuple[Any, ...]]:
    from psycopg2.extras import Json

    rows = []
    for record, geom in zip(records, ewkb, strict=True):
        values: list[Any] = [] if s.PARK_ID in layer.field_names else [park_id]
        for spec in layer.fields:
            value = record[spec.name]
            values.append(Json(value) if spec.type == "json" and value is not None else value)
        rows.append((*values, geom))
    return rows


def _replace_rows(
    cur: pg_cursor,
    pg_schema: str,
    table: str,
    layer: dd.ExportLayer,
    park_id: str,
    rows: list[tuple[Any, ...]],
    *,
    spatial: bool,
) -> None:
    from psycopg2 import sql
    from psycopg2.extras import execute_values

    ident = sql.Identifier(pg_schema, table)
    cur.execute(
        sql.SQL("DELETE FROM {} WHERE {} = %s").format(ident, sql.Identifier(s.PARK_ID)),
        (park_id,),
    )
    if not rows:
        return
    names = [name for name, _, _ in _pg_columns(layer)]
    placeholders = ["%s"] * len(names)
    if spatial:
        names.append(PG_GEOMETRY)
        placeholders.append("%s::geometry")
    else:
        rows = [row[:-1] for row in rows]
    statement = sql.SQL("INSERT INTO {} ({}) VALUES %s").format(
        ident, sql.SQL(", ").join(map(sql.Identifier, names))
    )
    execute_values(
        cur, statement.as_string(cur), rows, template="(" + ", ".join(placeholders) + ")"
    )


def write_postgis(
    bundle: ExportBundle,
    dsn: str,
    *,
    crs: str = DEFAULT_CRS,
    pg_schema: str = DEFAULT_PG_SCHEMA,
) -> list[str]:
    """Write every layer into PostGIS, replacing the park's earlier export in one transaction.

    Tables are ``<pg_schema>.<layer>`` (a mixed layer is split into
    ``infrastructure_point``, ``infrastructure_line``, ...), each with ``park_id``, the
    layer's fields, a typed ``geom`` column in ``crs``, a primary key (``park_id`` and the
    layer key), a GIST index on ``geom`` and comments from the data dictionary (each
    column's Chinese title and description, then the English one). Tables of
    other parks' exports are shared: rows of this park are deleted and inserted again, so
    views and grants on the tables survive. Concurrent exports of the same park wait for
    each other (advisory lock).

    Returns
    -------
    list of str
        Warnings (none).

    Raises
    ------
    ExportError
        If the database cannot be reached, lacks PostGIS, holds a table of another
        geometry type or SRID, or any statement fails; the transaction is then rolled back
        and the earlier export stays as it was.
    """
    import psycopg2
    from psycopg2 import sql

    srid = srid_of(crs)
    where = redact_dsn(dsn)
    options = {} if "connect_timeout" in dsn else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    try:
        conn = psycopg2.connect(dsn, **options)
    except psycopg2.Error as exc:
        raise ExportError(f"cannot connect to {where}: {str(exc).strip()}") from None
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
            if cur.fetchone() is None:
                raise ExportError(
                    f"the database {where} has no PostGIS extension; "
                    "run CREATE EXTENSION postgis in it (as a superuser) and export again"
                )
            cur.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                (f"zoning export {pg_schema}.{bundle.park_id}",),
            )
            cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(pg_schema)))
            for part in export_parts(bundle, crs):
                _ensure_table(cur, pg_schema, part.name, part.layer, part.geometry_type, srid)
                geoms = shapely.set_srid(part.geoms, srid)
                ewkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
                records = layer_records(part.frame, part.layer)
                rows = _pg_rows(bundle.park_id, part.layer, records, list(ewkb))
                _replace_rows(
                    cur, pg_schema, part.name, part.layer, bundle.park_id, rows, spatial=True
                )
            _ensure_table(cur, pg_schema, dd.METADATA.name, dd.METADATA, None, srid)
            record = bundle.metadata_record(crs)
            rows = _pg_rows(bundle.park_id, dd.METADATA, [record], [None])
            _replace_rows(
                cur, pg_schema, dd.METADATA.name, dd.METADATA, bundle.park_id, rows, spatial=False
            )
    except psycopg2.Error as exc:
        detail = (exc.pgerror or str(exc)).strip()
        raise ExportError(
            f"the PostGIS export to {where} failed and was rolled back; the earlier export "
            f"is unchanged: {detail}"
        ) from None
    finally:
        conn.close()
    return []


__all__ = [
    "DEFAULT_PG_SCHEMA",
    "PG_CONNECT_TIMEOUT_S",
    "PG_GEOMETRY",
    "POSTGRES_SCHEMES",
    "is_postgres_dsn",
    "redact_dsn",
    "srid_of",
    "write_postgis",
]
