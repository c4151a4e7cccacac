"""The notebooks run headless (nbclient), as written and with parameters injected the way papermill does."""
from __future__ import annotations

from pathlib import Path

import pytest

NB = Path(__file__).resolve().parents[1] / "notebooks"


def run_notebook(name: str, parameters: dict | None = None):
    """Execute a notebook; ``parameters`` go into a cell right after the one tagged "parameters"."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    book = nbformat.read(NB / name, as_version=4)
    if parameters:
        at = next(i for i, c in enumerate(book.cells) if "parameters" in c.metadata.get("tags", []))
        code = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
        book.cells.insert(at + 1, nbformat.v4.new_code_cell(code, metadata={"tags": ["injected-parameters"]}))
    nbclient.NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NB)}}).execute()
    return book


def _images(book) -> int:
    return sum(1 for c in book.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


@pytest.mark.parametrize("name", ["section_classifier.ipynb", "archive_overview.ipynb"])
def test_notebook_runs(name):
    assert _images(run_notebook(name)) >= 2


def test_archive_notebook_on_a_folder_given_as_parameter(tmp_path):
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "my-archive", 9, 81, formats=("txt",))
    book = run_notebook("archive_overview.ipynb", {"ARCHIVE": str(tmp_path / "my-archive")})
    text = "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for c in book.cells for o in c.get("outputs", []))
    assert "9 parsed, 0 failed" in text and "archive my-archive" in text  # its reports, said in the titles
    assert _images(book) >= 2


def test_section_notebook_on_labelled_folders_given_as_parameters(tmp_path):
    from gongkai.synth.writer import write_corpus

    write_corpus(tmp_path / "tr", 20, 82, formats=("txt",), hazards=False)
    write_corpus(tmp_path / "te", 6, 83, formats=("txt",), hazards=False)
    book = run_notebook("section_classifier.ipynb", {"TRAIN": str(tmp_path / "tr"), "TEST": str(tmp_path / "te")})
    assert _images(book) >= 2
