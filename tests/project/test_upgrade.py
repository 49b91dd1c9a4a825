"""A database made before the apps moved into therapy/journey and therapy/clinic upgrades
with no migration applied again and every row kept (scripts/check_upgrade.py)."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_upgrade", ROOT / "scripts/check_upgrade.py")
check_upgrade = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_upgrade)


def _has_commit(commit):
    result = subprocess.run(
        ["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=ROOT, capture_output=True
    )
    return result.returncode == 0


@pytest.mark.skipif(
    not _has_commit(check_upgrade.BEFORE_LAYOUT), reason="needs the git history (not shallow)"
)
def test_it_upgrades_a_database_of_the_old_layout_without_losing_a_row():
    report = check_upgrade.main(check_upgrade.BEFORE_LAYOUT)

    assert report["old_migrations"] > 40
    assert report["old_migrations_unknown_here"] == []
    assert report["migrations_applied_again"] == []
    assert report["tables_with_fewer_rows"] == {}
    # Later migrations may add rows (permissions, data moved to new tables); none go.
    assert report["rows_after"] >= report["rows_before"] > 300
