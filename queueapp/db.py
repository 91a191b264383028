"""Engines, transactions and the after-commit hook that publishes events."""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator, TypeVar

from sqlalchemy import bindparam, create_engine, event, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from .domain.errors import OfficeNotFound
from .domain.events import CALL_EVENTS, EventType, call_id
from .models import Office, TicketEvent
from .prepared import Prepared, driver_sql

log = logging.getLogger(__name__)


@dataclass
class PublishedEvent:
    """One committed change, as the log holds it. `seq` is the office's sequence number;
    `counter_id` the counter it concerns (the ticket's, or the one it just left). The
    views screens receive are built from it after commit, by the read side."""

    type: str
    office_id: int
    office_slug: str
    seq: int
    at: datetime
    ticket_id: int | None = None
    counter_id: int | None = None
    call_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # A ticket.issued event's ticket as its transaction inserted it (a plain record of its
    # columns): the projector need not read back a ticket nothing else changed since.
    issued: Any = field(default=None, compare=False, repr=False)


# Core statements on the table, run on the session's connection: the log and the seq need
# no ORM object, and SQLAlchemy's execute path costs more than these statements themselves
# (queueapp.prepared).
_OFFICES = Office.__table__
_NEXT_SEQ = Prepared(update(_OFFICES).where(_OFFICES.c.id == bindparam("office_id"))
                     .values(seq=_OFFICES.c.seq + 1).returning(_OFFICES.c.seq))
_INSERT_EVENT = Prepared(TicketEvent.__table__.insert(), ["office_id", "ticket_id", "seq", "type", "at",
                                                          "counter_id", "staff_id", "data"])
# Built once: building a statement costs about as much as running it.
_LOCK_OFFICE = select(Office).where(Office.id == bindparam("office_id")).with_for_update()
_LOCK_OFFICE_BY_SLUG = select(Office).where(Office.slug == bindparam("slug")).with_for_update()
# What issuing a number reads of its office: a row, not an ORM object (the path of every ticket).
_LOCK_OFFICE_ROW_BY_SLUG = Prepared(select(_OFFICES.c.id, _OFFICES.c.slug, _OFFICES.c.timezone, _OFFICES.c.closed)
                                    .where(_OFFICES.c.slug == bindparam("slug")).with_for_update())


class UnitOfWork:
    """One write transaction; events recorded here are published only after commit."""

    def __init__(self, session: Session | None, connection=None, make_session: Callable[[], Session] | None = None,
                 info: dict | None = None, office_rows: dict | None = None):
        self._session = session
        self._office_rows = office_rows   # a shared transaction's (_Group.office_rows)
        self._make_session = make_session   # a shared transaction's writer: made on first use
        # What the session's info holds (its Database), without making the session: the
        # repository's kept rows (office_cache) are found through it.
        self.info = session.info if session is not None else info
        self.events: list[PublishedEvent] = []
        self._connection = connection   # the shared transaction's (Database._shared_write)

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = self._make_session()
        return self._session

    def execute(self, *args, **kwargs):
        """The session's execute: a repository lookup may take the unit of work as its
        session (it reads `info` first, and executes only when nothing is kept)."""
        return self.session.execute(*args, **kwargs)

    @property
    def has_session(self) -> bool:
        return self._session is not None

    def flush(self) -> None:
        """Send what the session holds (nothing to do when no session was needed)."""
        if self._session is not None:
            self._session.flush()

    @property
    def connection(self):
        """The transaction's connection, for Core statements. In a shared transaction it is
        used as it is until the session begins (the ORM's first statement): Core-only work
        (a ticket issued) never pays for the session's own transaction bookkeeping."""
        if self._connection is not None and (self._session is None or not self._session.in_transaction()):
            return self._connection
        return self.session.connection()

    def lock_office(self, office_id: int) -> Office:
        """Lock the office row first, so every writer of one office takes locks in the
        same order (no deadlocks) and its events get seq numbers in commit order."""
        return self.session.execute(_LOCK_OFFICE, {"office_id": office_id}).scalar_one()

    def lock_office_by_slug(self, slug: str) -> Office:
        """lock_office, found by slug. Raises OfficeNotFound."""
        office = self.session.execute(_LOCK_OFFICE_BY_SLUG, {"slug": slug}).scalar_one_or_none()
        if office is None:
            raise OfficeNotFound(office=slug)
        return office

    def lock_office_row_by_slug(self, slug: str):
        """lock_office_by_slug as a row of the office's id, slug, timezone and closed flag
        (what a ticket's numbering and its event need). Raises OfficeNotFound. In a shared
        SQLite transaction the row read by an earlier writer of the group is used again
        (_Group.office_rows): SQLite's write lock is the transaction's, there is no row to lock."""
        rows = self._office_rows
        office = rows.get(slug) if rows is not None else None
        if office is None:
            office = _LOCK_OFFICE_ROW_BY_SLUG.first(self.connection, {"slug": slug})
            if office is None:
                raise OfficeNotFound(office=slug)
            if rows is not None:
                rows[slug] = office
        return office

    def record(self, office: Office, type_: EventType, at: datetime, *, ticket_id: int | None = None,
               counter_id: int | None = None, staff_id: int | None = None,
               data: dict[str, Any] | None = None, issued: Any = None) -> PublishedEvent:
        """Append the event to the office's log with the next seq; it is published after commit.
        `issued`: the ticket's columns as just inserted (PublishedEvent.issued)."""
        type_ = EventType(type_)
        # What the session holds goes first (as its autoflush would): the event names its rows.
        self.flush()
        connection = self.connection
        seq = _NEXT_SEQ.scalar_one(connection, {"office_id": office.id})
        # A plain INSERT: the log is append-only, no ORM object needs to track it.
        _INSERT_EVENT.all(connection, {"office_id": office.id, "ticket_id": ticket_id, "seq": seq,
                                       "type": type_.value, "at": at, "counter_id": counter_id,
                                       "staff_id": staff_id, "data": data or {}})
        published = PublishedEvent(type=type_.value, office_id=office.id, office_slug=office.slug, seq=seq,
                                   at=at, ticket_id=ticket_id, counter_id=counter_id, data=data or {},
                                   call_id=call_id(office.slug, seq) if type_ in CALL_EVENTS else None,
                                   issued=issued)
        self.events.append(published)
        return published


class FairLock:
    """A lock handed over to its waiters in the order they came. A plain lock under gevent
    lets whoever runs when it is released take it again before the woken waiter runs, so
    under load some writers wait for seconds while others pass again and again; handed
    over in order, a writer waits for those ahead of it only (latency in step with load)."""

    def __init__(self, make_lock=threading.Lock):
        self._make_lock = make_lock   # under gevent or eventlet, threading.Lock is theirs (patched)
        self._guard = make_lock()
        self._locked = False
        self._waiters: deque = deque()

    def acquire(self) -> None:
        with self._guard:
            if not self._locked:
                self._locked = True
                return
            turn = self._make_lock()
            turn.acquire()
            self._waiters.append(turn)
        try:
            turn.acquire()   # released by the holder's release(): the lock is now ours
        except BaseException:
            # Interrupted while waiting (a timeout, a killed greenlet): leave the line, or,
            # when the lock was handed over meanwhile, pass it on, never keep it held.
            with self._guard:
                handed = turn not in self._waiters
                if not handed:
                    self._waiters.remove(turn)
            if handed:
                self.release()
            raise

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()   # stays locked: handed over
            else:
                self._locked = False


class _Group:
    """One SQLite transaction shared by the writers queued at the same moment (a group
    commit, Database._shared_write)."""

    def __init__(self, connection, transaction):
        self.connection = connection
        self.transaction = transaction
        self.changed_rows: list[dict] = []
        self.writers = 0                 # who ran their work in it so far
        self.events: list[PublishedEvent] = []   # theirs, in seq order
        # The office rows its writers read (UnitOfWork.lock_office_row_by_slug), by slug. Only
        # this group writes while its transaction is open (SQLite's one writer); a writer that
        # changes an office through the ORM drops them when it flushes (_note_changed_rows),
        # so a later writer of the group reads the change, and a writer undone drops them too.
        self.office_rows: dict[str, Any] = {}
        # Set once the group committed (or failed to) and its events were published: the
        # writers who joined wait for it alone (one wake-up each). Patched under gevent and eventlet.
        self.published = threading.Event()
        self.error: BaseException | None = None

    @classmethod
    def begin(cls, engine: Engine) -> _Group:
        connection = engine.connect()
        try:
            return cls(connection, connection.begin())
        except BaseException:
            connection.close()
            raise

    @contextmanager
    def savepoint(self, first: bool) -> Iterator[None]:
        """One writer's work: the first writer's needs none (its error abandons the whole
        transaction); a later one's is undone alone on error. Plain SQL: SQLAlchemy would
        compile a new SAVEPOINT statement every time."""
        if first:
            yield
            return
        driver_sql(self.connection, "SAVEPOINT queueapp_writer")
        try:
            yield
        except BaseException:
            self.office_rows.clear()   # what the writer read may have been its own change, undone now
            try:
                driver_sql(self.connection, "ROLLBACK TO SAVEPOINT queueapp_writer")
                driver_sql(self.connection, "RELEASE SAVEPOINT queueapp_writer")
            except Exception:  # noqa: BLE001 - the writer's own error is the one to tell
                # SQLite ended the whole transaction (a full disk): its commit fails for all.
                log.warning("undoing one writer's work in a shared transaction failed", exc_info=True)
            raise
        driver_sql(self.connection, "RELEASE SAVEPOINT queueapp_writer")

    def commit(self, run_row_watchers) -> None:
        """Commit for every writer of the group; the per-process copies of what they
        changed are dropped before the write lock is released."""
        try:
            self.transaction.commit()
            run_row_watchers(self.changed_rows)
        except BaseException as exc:
            self.error = exc
            try:   # even when SQLAlchemy counts it as ended: the database's may still be open
                self.transaction.rollback()
            except Exception:  # noqa: BLE001 - the commit's error is the one to tell
                log.warning("rolling back a failed group commit failed too", exc_info=True)
            raise
        finally:
            self.connection.close()

    def published_by_leader(self) -> None:
        """Wait until the group's first writer committed and published; a failed commit is
        this writer's failure too."""
        self.published.wait()
        if self.error is not None:
            raise self.error

    def abandon(self) -> None:
        """The first writer failed: roll back (its session may have done so already)."""
        try:
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self.connection.close()


# Called after each commit with the events it recorded, in seq order.
Listener = Callable[[list[PublishedEvent]], None]
# Called after a commit that changed rows of the classes it watches, with their offices' ids.
RowWatcher = Callable[[set[int]], None]
T = TypeVar("T")


class Database:
    """SQLite (embedded default) or PostgreSQL (scale-out), behind one interface."""

    def __init__(self, url: str, pool_size: int = 5, max_overflow: int = 10):
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.listeners: list[Listener] = []
        self._companions: dict[type, Any] = {}
        if self.is_sqlite:
            self.engine = self._sqlite_engine(immediate=True)
            self.read_engine = self._sqlite_engine(immediate=False)
        else:
            # Per process: several processes share PostgreSQL's max_connections (100 by default).
            self.engine = create_engine(self.url, pool_size=pool_size, max_overflow=max_overflow,
                                        pool_pre_ping=True, hide_parameters=True)
            # Reads see one snapshot, so a screen's state and its seq always agree.
            self.read_engine = self.engine.execution_options(isolation_level="REPEATABLE READ")
        # SQLite allows one writer: writers of this process queue on a lock that gevent and
        # eventlet can switch on, instead of blocking the whole process in busy_timeout.
        self._write_lock = FairLock() if self.is_sqlite else None
        self._group: _Group | None = None   # SQLite: the transaction writers may join now
        # Sessions know their Database: the read side keeps its per-database caches there.
        self._writer = sessionmaker(self.engine, expire_on_commit=False, info={"database": self})
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False, info={"database": self})
        self._row_watchers: list[tuple[tuple[type, ...], RowWatcher]] = []
        event.listen(self._writer, "before_flush", self._note_changed_rows)

    def _sqlite_engine(self, immediate: bool) -> Engine:
        # hide_parameters: a logged database error must never carry a citizen's name or phone.
        # pool_use_lifo: the connection used last is used again. SQLite keeps a page cache per
        # connection and drops it when another connection wrote; handed out in turn (the
        # pool's default), each write began on a cold cache (10% of a ticket's CPU on the bench).
        engine = create_engine(self.url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=8, max_overflow=16, pool_use_lifo=True, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            # Take over transaction control from pysqlite so BEGIN IMMEDIATE is ours.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            # Writers take the write lock up front: no upgrade deadlock, no SQLITE_BUSY
            # half-way through a transaction.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def companion(self, kind: type[T], make: Callable[[Database], T] | None = None) -> T:
        """This process's one `kind` kept with this database (a read side's cache), made on
        first use by `make(self)` (a cache that listens to commits adds its listener there),
        else by `kind()`."""
        found = self._companions.get(kind)
        if found is None:
            found = self._companions[kind] = make(self) if make is not None else kind()
        return found

    def forget_companion(self, kind: type) -> None:
        """Drop the kept `kind` (a test's fresh start; its listeners stay, unread)."""
        self._companions.pop(kind, None)

    def add_listener(self, listener: Listener, *, first: bool = False) -> None:
        """`first`: run before the listeners added so far (a cache dropping what the events
        made stale, before a broadcaster reads through it)."""
        if first:
            self.listeners.insert(0, listener)
        else:
            self.listeners.append(listener)

    def watch_rows(self, classes: tuple[type, ...], watcher: RowWatcher) -> None:
        """Call `watcher` after each commit that changed (through the ORM, in this process)
        rows of `classes` (models with an `office_id`, or Office), with their offices' ids,
        before the write lock is released: a per-process copy of configuration rows is
        dropped whether or not the change published an event (the command line, a test)."""
        self._row_watchers.append((classes, watcher))

    def _note_changed_rows(self, session: Session, _context, _instances) -> None:
        office_rows = session.info.get("office_rows")
        if office_rows and any(isinstance(row, Office) for row in (*session.new, *session.dirty, *session.deleted)):
            office_rows.clear()
        if not self._row_watchers:
            return
        for row in (*session.new, *session.dirty, *session.deleted):
            for classes, watcher in self._row_watchers:
                if isinstance(row, classes):
                    office_id = row.id if isinstance(row, Office) else row.office_id
                    session.info.setdefault("changed_rows", {}).setdefault(watcher, set()).add(office_id)

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """A write transaction. Commits on success, rolls back on any error, then
        publishes the recorded events; a failing listener is logged, never raised.
        On SQLite, writers queued at the same moment share one transaction (a group
        commit, _shared_write), each in its own savepoint."""
        if self._write_lock is not None:
            with self._shared_write() as uow:   # published by the group's first writer
                yield uow
            return
        with self._own_write() as uow:
            yield uow
        self._publish(uow.events)

    def _publish(self, events: list[PublishedEvent]) -> None:
        if not events:
            return
        for listener in list(self.listeners):   # a listener may add another (a cache, on first use)
            try:
                listener(events)
            except Exception:  # noqa: BLE001 - a broadcast never fails the request
                log.exception("publishing events up to seq=%s failed", events[-1].seq)

    @contextmanager
    def _own_write(self) -> Iterator[UnitOfWork]:
        """PostgreSQL: a transaction of its own (row locks let other writers run meanwhile)."""
        session = self._writer()
        uow = UnitOfWork(session)
        try:
            with session.begin():
                yield uow
            self._run_row_watchers([session.info.pop("changed_rows", {})])
        finally:
            session.close()

    @contextmanager
    def _shared_write(self) -> Iterator[UnitOfWork]:
        """SQLite allows one writer, and a commit costs more than a ticket's statements. The
        writer that finds no open transaction begins one (BEGIN IMMEDIATE) and, after its
        own work, yields once: the writers already queued on the write lock run theirs in
        the same transaction, each in a savepoint (an error rolls back that writer's work
        alone). Then it commits for all and wakes them; nobody returns before the commit.
        With one writer at a time this is one transaction per writer, as before."""
        self._write_lock.acquire()
        group = self._group
        leader = group is None
        try:
            if leader:
                group = self._group = _Group.begin(self.engine)
            group.writers += 1
            with group.savepoint(first=leader):
                # The session (made when the work first needs one: a ticket issued does not)
                # flushes into the shared transaction; it never commits nor rolls it back
                # (closing it leaves the transaction as it is).
                uow = UnitOfWork(None, group.connection, lambda: self._writer(
                    bind=group.connection, join_transaction_mode="rollback_only",
                    info={"office_rows": group.office_rows}),
                    info={"database": self}, office_rows=group.office_rows)
                try:
                    yield uow
                    if uow.has_session:
                        uow.session.flush()
                        group.changed_rows.append(uow.session.info.pop("changed_rows", {}))
                    group.events += uow.events
                finally:
                    if uow.has_session:
                        uow.session.close()
        except BaseException:
            if leader and group is not None:   # nobody joined yet: the lock was ours throughout
                self._group = None
                group.abandon()
            self._write_lock.release()
            raise
        self._write_lock.release()
        if not leader:
            group.published_by_leader()   # committed, and its views sent (the answer reads them)
            return
        try:
            time.sleep(0)   # under gevent or eventlet, a switch: the queued writers join
        finally:   # even when interrupted here: the writers who joined wait for this commit
            self._write_lock.acquire()
            try:
                self._group = None
                group.commit(self._run_row_watchers)
            finally:
                self._write_lock.release()
                if group.error is not None:
                    group.published.set()
        # One commit, one publication, its events in seq order: a writer woken by the
        # commit (a thread) could otherwise publish before the one ahead of it.
        try:
            self._publish(group.events)
        finally:
            group.published.set()

    def _run_row_watchers(self, changed: list[dict]) -> None:
        for rows in changed:
            for watcher, office_ids in rows.items():
                watcher(office_ids)

    def ping(self) -> None:
        """One round trip to the database on a pooled connection, outside any transaction
        and session (the health check)."""
        connection = self.read_engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.fetchall()
            cursor.close()
        finally:
            connection.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._reader()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.is_sqlite:
            self.read_engine.dispose()
