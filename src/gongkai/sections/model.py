"""Loading the shipped section model, once per process, without unpickling untrusted code.

The model file is a joblib pickle; before loading, its SHA-256 is compared with
the hash written in the model card (``models/<name>/card.json``).  A file that
does not match is refused.  ``load_default()`` returns ``None`` when no model is
shipped, and the tagger then relies on headings alone.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path


class ModelError(Exception):
    pass


def models_dir() -> Path:
    env = os.environ.get("GONGKAI_MODELS")
    if env:
        return Path(env)
    # src/gongkai/sections/model.py → repo root / models ; installed: package data
    here = Path(__file__).resolve()
    for cand in (here.parents[3] / "models", here.parents[1] / "models"):
        if cand.is_dir():
            return cand
    return here.parents[3] / "models"


def load(path: str | Path):
    path = Path(path)
    card_path = path / "card.json"
    model_path = path / "model.joblib"
    if not card_path.exists() or not model_path.exists():
        raise ModelError(f"{path}: no card.json/model.joblib")
    card = json.loads(card_path.read_text("utf-8"))
    data = model_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != card.get("sha256"):
        raise ModelError(f"{model_path}: SHA-256 {digest[:12]}… does not match the model card; refusing to load")
    import io

    import joblib

    model = joblib.load(io.BytesIO(data))
    model.card = card
    return model


@lru_cache(maxsize=1)
def load_default():
    if os.environ.get("GONGKAI_NO_MODEL"):
        return None
    p = models_dir() / "sections-default"
    if not (p / "model.joblib").exists():
        return None
    return load(p)
