"""Turn a generated PDF into a scan: what a county office's scanner makes of a signed, stamped printout.

Each page is rasterised (150–300 dpi), a red round stamp is pressed over the signature on the last
page (and sometimes over body text), the page is turned by up to 1.5°, grain and specks are added,
and it is compressed as a JPEG; the pages are wrapped as an image-only PDF (no text layer).  The
gold is the one of the PDF it came from: a scan changes the pixels, not the report.
"""
from __future__ import annotations

import io
import math
import random
from pathlib import Path

STAMP_RED = (214, 34, 38)


def _font(size: int):
    """A CJK font for the stamp's text (None where the machine has none: the stamp is then rings and a star)."""
    from PIL import ImageFont

    for path in ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def _stamp(diameter: int, text: str):
    """A red seal on white: a ring, the agency's name inside along the upper arc, a star in the middle."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (diameter, diameter), "white")
    d = ImageDraw.Draw(img)
    w = max(3, diameter // 28)
    d.ellipse((w, w, diameter - w, diameter - w), outline=STAMP_RED, width=w)
    c = diameter / 2
    star = [(c + (0.18 if k % 2 == 0 else 0.07) * diameter * math.sin(k * math.pi / 5),
             c - (0.18 if k % 2 == 0 else 0.07) * diameter * math.cos(k * math.pi / 5)) for k in range(10)]
    d.polygon(star, fill=STAMP_RED)
    font = _font(max(10, diameter // 9))
    if font is not None and text:
        chars = text[:14]
        span = math.radians(220)
        for k, ch in enumerate(chars):
            a = -span / 2 + span * (k + 0.5) / len(chars)
            r = c - 3.2 * w - diameter // 18
            x, y = c + r * math.sin(a), c - r * math.cos(a)
            glyph = Image.new("L", (diameter // 8, diameter // 8), 0)
            ImageDraw.Draw(glyph).text((0, 0), ch, fill=255, font=font)
            glyph = glyph.rotate(-math.degrees(a), expand=True)
            img.paste(Image.new("RGB", glyph.size, STAMP_RED), (int(x - glyph.size[0] / 2), int(y - glyph.size[1] / 2)), glyph)
    return img


def _press(page, stamp, x: int, y: int):
    """The stamp over the page, multiplied (black text under red ink stays black)."""
    from PIL import Image, ImageChops

    layer = Image.new("RGB", page.size, "white")
    layer.paste(stamp, (x, y))
    return ImageChops.multiply(page, layer)


def _ink_box(page, frac_from: float = 0.0):
    """The bounding box of the ink on the page below ``frac_from`` of its height (None on a blank page)."""
    gray = page.convert("L")
    top = int(gray.height * frac_from)
    box = gray.crop((0, top, gray.width, gray.height)).point(lambda v: 255 if v < 128 else 0).getbbox()
    return None if box is None else (box[0], box[1] + top, box[2], box[3] + top)


def scan_pdf(src: Path, dst: Path, rng: random.Random, agency: str, dpi: int | None = None) -> dict:
    """Write ``dst``, an image-only scan of ``src``; return what was done to it (for the gold)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    dpi = dpi or rng.choice([150, 200, 200, 240, 300])
    quality = rng.randint(55, 85)
    noise = rng.uniform(3, 10)
    pdf = pdfium.PdfDocument(str(src))
    pages = []
    done: dict = {"dpi": dpi, "jpeg_quality": quality, "noise": round(noise, 1), "skew": [], "stamps": []}
    try:
        for i in range(len(pdf)):
            bitmap = pdf[i].render(scale=dpi / 72)
            page = bitmap.to_pil().convert("RGB")
            bitmap.close()
            last = i == len(pdf) - 1
            if last or rng.random() < 0.2:
                box = _ink_box(page, 0.5 if last else 0.1)
                if box is not None:
                    d = int(dpi * rng.uniform(1.4, 1.7))
                    # on the last page, over the signature (its last lines, right side); elsewhere, over text
                    x = max(0, min(page.width - d, (box[2] - d // 2 - rng.randint(0, dpi // 2)) if last else
                                   rng.randint(box[0], max(box[0], box[2] - d))))
                    y = max(0, min(page.height - d, (box[3] - d * 3 // 4) if last else rng.randint(box[1], max(box[1], box[3] - d))))
                    page = _press(page, _stamp(d, agency), x, y)
                    done["stamps"].append(i + 1)
            angle = rng.uniform(-1.5, 1.5)
            page = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor="white")
            done["skew"].append(round(angle, 2))
            arr = np.asarray(page).astype(np.float32)
            arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, noise, arr.shape[:2])[:, :, None]
            specks = np.random.default_rng(rng.randrange(1 << 30)).random(arr.shape[:2]) < 0.0002
            arr[specks] = 0
            page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
            buf = io.BytesIO()
            page.save(buf, "JPEG", quality=quality)
            pages.append(Image.open(io.BytesIO(buf.getvalue())))
    finally:
        pdf.close()
    pages[0].save(dst, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return done
