"""Start-up: whole-process wall time of ``gongkai parse`` on a one-page text report.

Runs the installed ``gongkai`` command (the one beside this Python) several times on a small generated
text report and prints the median and the spread.  Target (issue 12): median ≤ 0.5 s on the 2-core
reference machine.  Usage: ``python benchmarks/bench_startup.py [--runs N]``.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_PAGE = """福州市鼓楼区人民政府办公室2024年政府信息公开工作年度报告
一、总体情况
2024年，区政府办公室坚持以公开为常态、不公开为例外，调整了以办公室主任王明为组长的政务公开工作领导小组。
全年主动公开政府信息1200条，政务新媒体发布信息356条。
二、主动公开政府信息情况
全年制发规范性文件3件，废止1件，现行有效12件。
三、收到和处理政府信息公开申请情况
全年收到政府信息公开申请15件，均已按期答复。
四、政府信息公开行政复议、行政诉讼情况
全年未发生政府信息公开行政复议和行政诉讼。
五、存在的主要问题及改进情况
政策解读形式较为单一。下一步将丰富解读形式。
六、其他需要报告的事项
本年度未收取信息处理费。
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    gk = Path(sys.executable).with_name("gongkai")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "one-page.txt"
        path.write_text(ONE_PAGE, "utf-8")
        subprocess.run([str(gk), "parse", str(path)], check=True, capture_output=True)  # warm the file cache
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([str(gk), "parse", str(path)], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
    print(f"gongkai parse one-page.txt: median {statistics.median(times):.3f} s over {args.runs} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}); target <= 0.5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
