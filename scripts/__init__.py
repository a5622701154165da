"""Developer tools: the benchmark and real-``hass`` runs, as packages.

Run from the repository root as modules (``python -m scripts.bench``); the shell
entry points beside this file do that after making ``.venv``.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
