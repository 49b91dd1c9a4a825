"""Fill Dutch translations into locale/nl/LC_MESSAGES/django.po from Python dicts.

    python scripts/po_apply.py file_with_T.py [...]

Each file defines a dict (any name) from msgid — or (context, msgid), or (context,
(singular, plural)) — to the Dutch text (a list for plurals). Entries it names lose their
fuzzy mark; the rest of the catalogue is left as it is. A maintenance tool, not used by
the app.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "locale/nl/LC_MESSAGES/django.po"


def main(paths):
    table = {}
    for path in paths:
        for name, value in runpy.run_path(path).items():
            if isinstance(value, dict) and not name.startswith("_"):
                table.update(value)
    with PO.open("rb") as f:
        catalog = read_po(f)
    used = set()
    for message in catalog:
        if not message.id:
            continue
        for key in ((message.context, message.id), message.id):
            if isinstance(key, tuple) and key[0] is None:
                key = ("", key[1])
            if key in table:
                text = table[key]
                message.string = tuple(text) if isinstance(text, list) else text
                message.flags.discard("fuzzy")
                message.previous_id = []
                used.add(key)
                break
    missing = [key for key in table if key not in used]
    with PO.open("wb") as f:
        write_po(f, catalog, width=79, include_previous=False)
    print(f"applied {len(used)}, not found {len(missing)}")
    for key in missing:
        print("  not found:", key)


if __name__ == "__main__":
    main(sys.argv[1:])
