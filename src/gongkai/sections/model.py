"""Finding and loading a section model, once per process, without running code from the file.

A model is a folder ``NAME/`` with ``model.npz`` (plain arrays, :mod:`gongkai.sections.packed`) and
``card.json`` (how it was trained and how it scores).  The arrays are read with
``allow_pickle=False``, and only after the file's SHA-256 matches the card's: a file that does not
match is refused.  The shipped model is ``sections-default``; it sits in the package
(``gongkai/models/``) when installed and in the checkout's ``models/`` when run from source.

``resolve(spec)`` takes a model name or a folder path (``--model NAME|PATH``); ``load_default()``
returns the shipped model or None, and the report then carries a ``sections.no_model`` warning.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

from .packed import PackedModel

DEFAULT = "sections-default"
# The SHA-256 of the models this package ships, pinned in code: a file replaced next to its card (both
# rewritten) is refused.  Retraining a shipped model means updating this line (a test says so).
SHIPPED = {"sections-default": "d0e0c239c6c7999d362a294d632f3b5621cd58ba523e43981312f8150a2bfa18"}


class ModelError(Exception):
    pass


def models_dir() -> Path:
    """``$GONGKAI_MODELS``, else the installed package's models, else the checkout's ``models/``."""
    env = os.environ.get("GONGKAI_MODELS")
    if env:
        return Path(env)
    return _package_models()


def _package_models() -> Path:
    """The installed package's models, or the checkout's ``models/`` when running from a source checkout
    (recognised by its pyproject.toml), never a folder that merely happens to sit above an install."""
    here = Path(__file__).resolve()
    checkout = here.parents[3]
    for cand in (here.parents[1] / "models", checkout / "models"):
        if cand.parent == checkout and not (checkout / "pyproject.toml").is_file():
            continue
        if (cand / DEFAULT / "model.npz").is_file():
            return cand
    return here.parents[1] / "models"


def _shipped_name(path: Path) -> str | None:
    """The name of a shipped model when ``path`` is the package's own folder for it."""
    try:
        own = _package_models().resolve()
        return path.name if path.resolve().parent == own and path.name in SHIPPED else None
    except OSError:
        return None


def _world_writable(path: Path) -> Path | None:
    """``path`` or a folder above it that anyone may write to without the sticky bit's protection."""
    for p in [path, *path.resolve().parents]:
        try:
            mode = p.stat().st_mode
        except OSError:
            continue
        if mode & 0o002 and not mode & 0o1000:
            return p
    return None


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load(path: str | Path) -> PackedModel:
    path = Path(path)
    card_path, model_path = path / "card.json", path / "model.npz"
    if not card_path.is_file() or not model_path.is_file():
        raise ModelError(f"{path}: not a model folder (needs card.json and model.npz)")
    shipped = _shipped_name(path)
    if shipped is None:
        open_to_all = _world_writable(path)
        if open_to_all is not None:
            raise ModelError(f"{path}: {open_to_all} is writable by anyone; refusing to load a model from it")
        print(f"gongkai: section model from {path.resolve()}", file=sys.stderr)
    card = json.loads(card_path.read_text("utf-8"))
    data = model_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if shipped is not None and digest != SHIPPED[shipped]:
        raise ModelError(f"{model_path}: SHA-256 {digest[:12]}… is not the model this version ships; refusing to load")
    if digest != card.get("sha256"):
        raise ModelError(f"{model_path}: SHA-256 {digest[:12]}… does not match the model card; refusing to load")
    import io

    try:
        return PackedModel.load(io.BytesIO(data), card)
    except (ValueError, KeyError, OSError) as e:
        raise ModelError(f"{model_path}: not a section model ({e})") from None


def resolve(spec: str | Path) -> Path:
    """A model folder from ``--model``: a path to a folder, or the name of a shipped model."""
    p = Path(spec)
    if p.is_dir():
        return p
    named = models_dir() / str(spec)
    if named.is_dir():
        return named
    raise ModelError(f"{spec}: no such model (a folder, or one of: {', '.join(available()) or 'none'})")


def available() -> list[str]:
    d = models_dir()
    return sorted(p.name for p in d.iterdir() if (p / "model.npz").is_file()) if d.is_dir() else []


@lru_cache(maxsize=8)
def load_named(spec: str) -> PackedModel:
    return load(resolve(spec))


def default_spec() -> str:
    """The model a parse uses unless told otherwise: ``$GONGKAI_MODEL`` (a name, a folder or ``none``;
    ``--model`` sets it, so batch workers inherit it), else the shipped ``sections-default``."""
    if os.environ.get("GONGKAI_NO_MODEL"):
        return "none"
    return os.environ.get("GONGKAI_MODEL") or DEFAULT


def load_default() -> PackedModel | None:
    """The model :func:`default_spec` names, or None when it is ``none`` or cannot be loaded."""
    spec = default_spec()
    if spec == "none":
        return None
    try:
        return load_named(spec)
    except ModelError:
        return None


def pick(spec: object = "default") -> tuple[PackedModel | None, str | None]:
    """The model a parse uses and, when there is none, why: ``spec`` is ``"default"`` (the shipped model),
    ``"none"``/None (headings only), a loaded model, or a name or folder (``--model``; a bad one raises
    :class:`ModelError`)."""
    if spec == "default":
        m = load_default()
        if m is not None:
            return m, None
        if default_spec() != "none":
            return None, f"the section model {default_spec()!r} could not be loaded: sections come from headings alone"
        spec = "none"
    if spec is None or spec == "none":
        return None, "no section model (--model none): sections come from headings alone"
    if isinstance(spec, (str, Path)):
        return load_named(str(spec)), None
    return spec, None  # type: ignore[return-value]  # an already loaded model (tests, evaluation)


def producer(model: PackedModel | None) -> dict:
    """What made a record: gongkai's version and the section model, for ``producer`` in every output."""
    from .. import __version__

    card = model.card if model is not None else {}
    return {"name": "gongkai", "version": __version__, "model": card.get("name"),
            "model_sha256": card.get("sha256"), "segmenter": getattr(model, "segmenter", None)}
