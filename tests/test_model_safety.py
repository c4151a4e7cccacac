"""Issue 20: a model is data, not code.

A planted pickle in any model location never runs; the shipped model's hash is pinned in code (a model
file replaced together with its card is refused); a model folder anyone may write to is refused.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from gongkai.sections import model as models


class _Payload:
    """Unpickling this writes a file: proof that code ran."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _planted(folder, marker) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arr = np.empty(1, dtype=object)
    arr[0] = _Payload(str(marker))
    np.savez(folder / "model.npz", payload=arr, allow_pickle=True)
    card = {"name": folder.name, "sha256": hashlib.sha256((folder / "model.npz").read_bytes()).hexdigest()}
    (folder / "card.json").write_text(json.dumps(card), "utf-8")


def _parse(args, env=None):
    txt = ROOT / "corpora" / "samples"
    sample = next(p for p in sorted(txt.iterdir()) if p.suffix == ".txt")
    return subprocess.run([sys.executable, "-m", "gongkai.cli", "parse", str(sample), *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_a_planted_pickle_never_runs_through_model(tmp_path):
    marker = tmp_path / "pwned"
    _planted(tmp_path / "evil", marker)
    out = _parse(["--model", str(tmp_path / "evil")])
    assert out.returncode != 0 and "error:" in out.stderr and "Traceback" not in out.stderr
    assert not marker.exists()


def test_a_planted_pickle_never_runs_through_the_models_folder(tmp_path):
    """GONGKAI_MODELS pointing at a folder whose sections-default is a pickle: not run, headings alone."""
    marker = tmp_path / "pwned"
    _planted(tmp_path / "models" / "sections-default", marker)
    out = _parse([], env={"GONGKAI_MODELS": str(tmp_path / "models")})
    assert out.returncode == 0, out.stderr
    assert not marker.exists()
    assert any(w["code"] == "sections.no_model" for w in json.loads(out.stdout)["warnings"])


def test_the_shipped_model_hash_is_pinned_in_code():
    """Retraining the shipped model means updating SHIPPED in gongkai/sections/model.py."""
    path = models._package_models() / models.DEFAULT / "model.npz"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == models.SHIPPED[models.DEFAULT]


def test_a_shipped_model_replaced_with_its_card_is_refused(tmp_path, monkeypatch):
    own = tmp_path / "pkg" / "models"
    shutil.copytree(models._package_models() / models.DEFAULT, own / models.DEFAULT)
    np.savez(own / models.DEFAULT / "model.npz", w=np.zeros(3))
    card = json.loads((own / models.DEFAULT / "card.json").read_text("utf-8"))
    card["sha256"] = hashlib.sha256((own / models.DEFAULT / "model.npz").read_bytes()).hexdigest()
    (own / models.DEFAULT / "card.json").write_text(json.dumps(card), "utf-8")
    monkeypatch.setattr(models, "_package_models", lambda: own)
    with pytest.raises(models.ModelError, match="not the model this version ships"):
        models.load(own / models.DEFAULT)


def test_a_world_writable_model_folder_is_refused(tmp_path):
    folder = tmp_path / "open"
    shutil.copytree(models._package_models() / models.DEFAULT, folder)
    folder.chmod(0o777)
    with pytest.raises(models.ModelError, match="writable by anyone"):
        models.load(folder)
    folder.chmod(0o755)
    assert models.load(folder) is not None
