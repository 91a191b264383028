"""Entry point for the eventlet server: the monkey patch is the first thing it does."""
import eventlet  # isort: skip

eventlet.monkey_patch()

import sys  # noqa: E402


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    from queueapp import create_app
    from queueapp.extensions import socketio
    from queueapp.server import started
    app = started(create_app({"ASYNC_MODE": "eventlet"}))
    socketio.run(app, host=host, port=port, log_output=False)


if __name__ == "__main__":
    main()
