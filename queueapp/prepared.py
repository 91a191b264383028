"""Core statements of the hottest write path (a ticket issued), compiled once per dialect and
run on the driver's cursor of a SQLAlchemy connection.

SQLAlchemy's execution layer costs several times what SQLite spends on such a statement
(about 60 against 8 microseconds for an INSERT ... RETURNING measured on the bench machine),
and a ticket runs five of them. Compiling once keeps what SQLAlchemy gives: the SQL of each
dialect, its bind processors (dates, enums, JSON, our UTC type), the column defaults it would
fill, its result processors, and its exception classes. What it skips is the per-call
bookkeeping. While anyone listens to `before_cursor_execute` or `after_cursor_execute` (the
tests and benchmarks that count statements), a statement goes through `Connection.execute`,
so it is counted like any other."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Dialect

_REQUIRED = object()


class _Plan:
    """One statement as one dialect runs it."""

    __slots__ = ("sql", "positional", "wanted", "driver_names", "processed", "results", "row")

    def __init__(self, statement, dialect: Dialect, column_keys):
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        if compiled.update_prefetch or any(not column.default.is_scalar for column in compiled.insert_prefetch):
            raise sa_exc.ArgumentError(f"a prepared statement fills only scalar defaults: {statement}")
        defaults = {column.key: column.default.arg for column in compiled.insert_prefetch}
        for name, bind in compiled.binds.items():
            if not bind.required and name not in defaults:
                defaults[name] = bind.effective_value
        names = compiled.positiontup if dialect.positional else list(dict.fromkeys(compiled.bind_names.values()))
        processors = compiled._bind_processors
        escaped = compiled.escaped_bind_names or {}
        self.sql = str(compiled)
        self.positional = dialect.positional
        # In the statement's order: (the name a caller gives, its default), the name the driver
        # sees, and (position, processor) of the values that need one.
        self.wanted = tuple((name, defaults.get(name, _REQUIRED)) for name in names)
        self.driver_names = tuple(escaped.get(name, name) for name in names)
        self.processed = tuple((i, processors[name]) for i, name in enumerate(names)
                               if processors.get(name) is not None)
        self.results = tuple(entry[3]._cached_result_processor(dialect, None) for entry in compiled._result_columns)
        self.row = namedtuple("Row", [entry[0] for entry in compiled._result_columns]) if self.results else None

    def parameters(self, params: dict):
        get = params.get
        values = [get(name, default) for name, default in self.wanted]
        if _REQUIRED in values:   # compared by identity first; no value equals a bare object
            missing = next(name for (name, _), value in zip(self.wanted, values) if value is _REQUIRED)
            raise sa_exc.ArgumentError(f"no value for the bind parameter {missing!r}")
        for i, process in self.processed:
            values[i] = process(values[i])
        if self.positional:
            return values
        return dict(zip(self.driver_names, values))

    def rows(self, raw_rows) -> list:
        results, row = self.results, self.row
        return [row._make([value if process is None else process(value) for process, value in zip(results, raw)])
                for raw in raw_rows]


class Prepared:
    """A Core statement (with `column_keys`: the columns an INSERT's callers always give)."""

    def __init__(self, statement, column_keys: list[str] | None = None):
        self.statement = statement
        self.column_keys = column_keys
        self._plans: dict[str, _Plan] = {}

    def _plan(self, dialect: Dialect) -> _Plan:
        found = self._plans.get(dialect.name)
        if found is None:
            found = self._plans[dialect.name] = _Plan(self.statement, dialect, self.column_keys)
        return found

    def all(self, connection: Connection, params: dict[str, Any]) -> list:
        """Run it in the connection's transaction: its rows (attributes by column name)."""
        if _counted(connection):
            result = connection.execute(self.statement, params)
            return result.all() if result.returns_rows else []
        plan = self._plan(connection.dialect)
        raw = _run(connection, plan.sql, plan.parameters(params))
        return plan.rows(raw) if plan.row is not None else []

    def first(self, connection: Connection, params: dict[str, Any]):
        found = self.all(connection, params)
        return found[0] if found else None

    def scalar_one(self, connection: Connection, params: dict[str, Any]):
        """The one row's first column (no row object is made for it)."""
        if _counted(connection):
            return connection.execute(self.statement, params).scalar_one()
        plan = self._plan(connection.dialect)
        raw = _run(connection, plan.sql, plan.parameters(params))
        if len(raw) != 1:
            raise sa_exc.NoResultFound("no row") if not raw else sa_exc.MultipleResultsFound("rows")
        process = plan.results[0]
        return raw[0][0] if process is None else process(raw[0][0])


def driver_sql(connection: Connection, sql: str) -> None:
    """A plain statement of the transaction (a savepoint), on the driver's cursor."""
    if _counted(connection):
        connection.exec_driver_sql(sql)
        return
    _run(connection, sql, ())


def _run(connection: Connection, sql: str, parameters) -> list:
    """The statement on the driver's cursor, in the connection's transaction (begun first
    when none is): the driver's rows, or [] for a statement that returns none."""
    if not connection.in_transaction():
        connection.begin()
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchall() if cursor.description is not None else []
    except connection.dialect.loaded_dbapi.Error as error:
        raise _wrapped(connection, cursor, sql, error) from error
    finally:
        cursor.close()


def _counted(connection: Connection) -> bool:
    """Whether anyone listens for cursor statements: on the engine or its class (asked there
    first, the cheaper question), or on this connection alone (SQLAlchemy marks it then)."""
    events = connection.engine.dispatch
    if events.before_cursor_execute or events.after_cursor_execute:
        return True
    if not connection._has_events:
        return False
    events = connection.dispatch
    return bool(events.before_cursor_execute or events.after_cursor_execute)


def _wrapped(connection: Connection, cursor, sql: str, error: Exception) -> sa_exc.DBAPIError:
    """The driver's error as SQLAlchemy raises it (the web layer maps those); a lost
    connection is invalidated, as SQLAlchemy would, so the pool never hands it out again.
    The parameters are never part of it (they may be a citizen's)."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection, cursor)
    if lost:
        connection.invalidate(error)
    return sa_exc.DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error, hide_parameters=True,
                                      connection_invalidated=lost, dialect=dialect)
