"""WSGI entry for your own gunicorn command line, e.g.

    QUEUEAPP_ASYNC_MODE=gevent gunicorn -k gevent -w 1 -b 127.0.0.1:8000 wsgi:app

Prefer `queueapp serve`, which sets the worker and the async mode together.
"""
from queueapp import create_app

app = create_app()
