"""The built wheel carries the section model: installed into a clean venv (not editable), it tags a
headingless text with the classifier and says which model did it."""
from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HEADINGLESS = (
    "某某县人民政府2024年政府信息公开工作年度报告\n"
    "本年度，我县坚持以公开为常态、不公开为例外，认真贯彻落实政府信息公开条例，政务公开工作稳步推进。\n"
    "全年通过政府门户网站主动公开政府信息1200条，发布政策解读36篇，召开新闻发布会5场。\n"
    "全年共收到政府信息公开申请15件，其中自然人申请12件，均在法定期限内答复。\n"
    "本年度未发生因政府信息公开引起的行政复议和行政诉讼。\n"
    "工作中仍存在政策解读形式较为单一等问题，下一步将加强培训，丰富解读形式。\n"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("gongkai-*.whl"))


def test_wheel_lists_the_model(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "gongkai/models/sections-default/model.npz" in names
    assert "gongkai/models/sections-default/card.json" in names


def test_wheel_in_a_clean_venv_tags_with_the_classifier(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    target = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    # the wheel itself, not editable; its dependencies come from the test's environment, after it on sys.path
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    (target / "zz_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    text = tmp_path / "headingless.txt"
    text.write_text(HEADINGLESS, "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    code = ("import gongkai, json, sys; from gongkai.report import parse; "
            "print(json.dumps({'file': gongkai.__file__, 'report': parse(sys.argv[1]).to_dict()}, ensure_ascii=False))")
    res = subprocess.run([str(py), "-c", code, str(text)], check=True, capture_output=True, text=True, env=env, cwd=tmp_path)
    out = json.loads(res.stdout)
    assert out["file"].startswith(str(target)), out["file"]
    rep = out["report"]
    assert rep["producer"]["model"] == "sections-default" and len(rep["producer"]["model_sha256"]) == 64
    assert not any(w["code"] == "sections.no_model" for w in rep["warnings"])
    assert any(p["by"] == "classifier" for p in rep["paragraphs"])
    sections = {p["section"] for p in rep["paragraphs"]}
    assert "overview" in sections and len(sections) >= 3, sections  # told apart without a single heading
