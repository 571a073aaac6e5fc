"""exports/ is plain data in, bytes out: no Django, no django-q2, no project imports."""

import ast
from pathlib import Path

FORBIDDEN = ("django", "django_q", "secretariat", "documents")


def test_exports_import_nothing_from_the_web_side():
    offenders = []
    for path in sorted(Path(__file__).resolve().parent.parent.joinpath("exports").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}" for name in names if name.split(".")[0] in FORBIDDEN
            ]
    assert offenders == []
