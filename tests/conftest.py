"""Shared fixtures.  Tests that read ../shared skip when it is absent."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REALDOCS = SHARED / "realdocs"

os.environ.setdefault("GONGKAI_MODELS", str(ROOT / "models"))


def shared_or_skip() -> Path:
    if not REALDOCS.is_dir():
        pytest.skip("../shared is absent")
    return REALDOCS


@pytest.fixture(scope="session")
def realdocs() -> Path:
    return shared_or_skip()


@pytest.fixture(scope="session")
def scorer():
    tools = SHARED / "tools"
    if not (tools / "score.py").exists():
        pytest.skip("../shared/tools/score.py is absent")
    sys.path.insert(0, str(tools))
    import score

    return score.score


@pytest.fixture(scope="session")
def synth_corpus(tmp_path_factory) -> Path:
    """A small generated corpus in every format and template (hazards on)."""
    from gongkai.synth.writer import write_corpus

    out = tmp_path_factory.mktemp("synth")
    write_corpus(out, 24, 11)
    return out


def parse_dict(path) -> dict:
    from gongkai.report import parse

    return parse(path).to_dict()


def load_json(p) -> dict:
    return json.loads(Path(p).read_text("utf-8"))
