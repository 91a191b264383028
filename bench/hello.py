"""The ceiling of the benchmarks: a Flask hello-world answering a small JSON at the path
the app's health check has, served the way `queueapp serve` serves the app (gunicorn, one
gevent worker, same worker settings). A ratio to it measures the app, not the machine."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/api/v1/health")
def health():
    return jsonify({"status": "ok"})
