"""Where the tests' fixed files live, inside the repository (CI runs on a clean clone)."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"  # read-only: copy before writing
SOP_SEED = TESTS / "data" / "sop-seed.txt"  # the SOP as published, verbatim
