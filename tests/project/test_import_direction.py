"""Dependencies run one way: accounts ← courses ← journey ← messaging ← clinic ← demo.

Every module of an app is read (not imported) and each of its imports resolved; an import
of a higher app fails the test. The project package's own modules (settings, root URLs,
WSGI/ASGI) wire the apps together and may import any of them.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module may import its own app and the apps before it. The ops app
# (backups) needs none of the others.
LAYERS = [
    "therapy.ops",
    "accounts",
    "courses",
    "therapy.journey",
    "therapy.messaging",
    "therapy.clinic",
    "therapy.demo",
]


def _module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module):
    """Index in LAYERS of the app `module` belongs to, or None for anything else."""
    for index, app in enumerate(LAYERS):
        if module == app or module.startswith(app + "."):
            return index
    return None


def _imports(path, root=ROOT):
    """Absolute names of everything `path` imports (relative imports resolved)."""
    module = _module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            yield node.lineno, target
            for alias in node.names:  # "from therapy import journey" imports a package
                yield node.lineno, f"{target}.{alias.name}"


def upward_imports(root=ROOT, layers=LAYERS):
    found = []
    for app in layers:
        folder = root.joinpath(*app.split("."))
        for path in sorted(folder.rglob("*.py")):
            own = _layer(_module_name(path, root))
            for lineno, target in _imports(path, root):
                other = _layer(target)
                if other is not None and own is not None and other > own:
                    found.append(f"{path.relative_to(root)}:{lineno} imports {target}")
    return sorted(set(found))


def test_it_finds_no_upward_import_in_any_app():
    assert upward_imports() == []


def test_it_reads_every_app_it_names():
    for app in LAYERS:
        assert list(ROOT.joinpath(*app.split(".")).rglob("*.py")), app


def test_it_catches_an_upward_import_absolute_or_relative(tmp_path):
    for app in ["accounts", "courses", "therapy/journey"]:
        tmp_path.joinpath(app).mkdir(parents=True)
        tmp_path.joinpath(app, "__init__.py").write_text("")
    tmp_path.joinpath("therapy", "__init__.py").write_text("")
    tmp_path.joinpath("courses", "models.py").write_text(
        "from therapy.journey.models import PracticeSession\n"
    )
    tmp_path.joinpath("accounts", "views.py").write_text("import courses.models\n")
    tmp_path.joinpath("therapy", "journey", "views.py").write_text(
        "from courses.models import Course\nfrom . import models\n"
    )

    found = upward_imports(tmp_path, ["accounts", "courses", "therapy.journey"])

    assert found == [
        "accounts/views.py:1 imports courses.models",
        "courses/models.py:1 imports therapy.journey.models",
        "courses/models.py:1 imports therapy.journey.models.PracticeSession",
    ]
