"""Starting the bot does not load the reporting libraries: they cost memory and seconds."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "docx", "openpyxl", "segno", "alembic")


def test_bot_start_path_loads_no_reporting_library():
    code = (
        "import sys, bot.entry.cli, bot.entry.runner, bot.entry.jobs; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
