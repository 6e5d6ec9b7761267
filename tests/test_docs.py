"""The docs are generated from the definition and the catalogue, and say what CI runs."""

import re
from pathlib import Path

from kinerja import docs

ROOT = Path(__file__).resolve().parents[1]


def test_readme_sop_table_and_findings_reference_are_current():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"{docs.BEGIN}\n{docs.sop_table()}\n{docs.END}" in readme, "run: python -m kinerja.docs"
    assert (ROOT / "docs" / "temuan.md").read_text("utf-8") == docs.findings_reference(), "run: python -m kinerja.docs"


def test_readme_opens_with_the_demo_and_the_test_command_and_ci_runs_the_latter():
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)
    demo, tests = blocks[0], blocks[1]
    assert "kinerja demo" in demo and "pip install" in demo
    assert "pytest" in tests and "pip install" in tests
    assert tests in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_catalogue_code_is_in_the_reference():
    reference = (ROOT / "docs" / "temuan.md").read_text("utf-8")
    from kinerja.core.findings import catalogue

    for code, text in catalogue().items():
        if text.section != "texts":
            assert f"`{code}`" in reference
