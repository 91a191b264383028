import ast
from pathlib import Path

import queueapp.domain

FORBIDDEN = ("flask", "sqlalchemy", "socketio", "flask_socketio", "requests", "time", "os", "socket")


def test_the_domain_package_imports_no_framework_database_or_io():
    folder = Path(queueapp.domain.__file__).parent
    imported = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert imported and not imported & set(FORBIDDEN), imported & set(FORBIDDEN)


def test_the_domain_never_reads_the_clock():
    folder = Path(queueapp.domain.__file__).parent
    for path in folder.glob("*.py"):
        source = path.read_text()
        assert "datetime.now(" not in source and "date.today(" not in source and "utcnow" not in source, path
