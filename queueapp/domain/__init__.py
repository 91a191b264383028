"""Pure domain rules of the queue: no Flask, no SQLAlchemy, no clock reads, no I/O."""
