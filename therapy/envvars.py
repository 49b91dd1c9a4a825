"""The environment variables that therapy/settings.py reads, found in its source.

For what runs the site in an environment of its own — scripts/bench.py, scripts/stack.py,
the settings tests — none of the caller's values may leak in. Found in the source rather
than by importing the settings (which check the values they read at import), so that a
variable added to the settings is kept out everywhere without a list to update.
"""

import re
from pathlib import Path

SETTINGS = Path(__file__).resolve().with_name("settings.py")
# env_str("X", …), env_bool("X", …), …, os.environ.get("X"), os.environ["X"]
_READS = re.compile(r'\b(?:env_\w+|os\.environ(?:\.get)?)[(\[]\s*"([A-Z][A-Z0-9_]*)"')


def settings_variables(source=None):
    """Every variable name the settings read (dj_database_url reads DATABASE_URL itself)."""
    text = SETTINGS.read_text(encoding="utf-8") if source is None else source
    return frozenset(_READS.findall(text)) | {"DATABASE_URL"}
