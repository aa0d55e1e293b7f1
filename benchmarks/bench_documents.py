"""Time to read a policy from a .docx, a PDF and a local URL, against the same policy as text in
the same run (the baseline: reading and decoding the bytes and splitting lines), and the PDF
against pypdf's own plain ``extract_text`` of the same file (the floor of any layout built on it).

The policy is our own fixture (samples/demo-policy.txt) repeated to a 40-page document: its
record blocks as paragraphs, plus a ruled 4-column SDK table of 300 rows whose cells wrap. The
PDF is built with reportlab and the .docx with python-docx (the test dependencies). Figures are
the best of several runs.

Run: .venv/bin/python benchmarks/bench_documents.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sdkreg.policy.read import read_policy  # noqa: E402
from sdkreg.policy.sources import open_policy  # noqa: E402
from tests.policy.documents import Block, Para, Table, build_docx, build_pdf  # noqa: E402

RUNS = 5
ROWS = 300
COPIES = 20


def blocks() -> list[Block]:
    text = (REPO / "samples" / "demo-policy.txt").read_text(encoding="utf-8")
    demo = [Para(line) for line in text.splitlines()]
    header: list[list[str]] = [["SDK名称"], ["第三方名称"], ["使用目的"], ["收集个人信息类型"]]
    row: list[list[str]] = [["友盟统计SDK"], ["友盟同欣（北京）科技有限公司"], ["统计应用使用情况"],
                            ["设备信息（IMEI、OAID、Android ID）、IP地址、应用使用情况"]]
    return demo * COPIES + [Table([header] + [row] * ROWS)]


def as_text(items: list[Block]) -> str:
    lines = []
    for block in items:
        if isinstance(block, Para):
            lines.append(block.text)
        else:
            lines += [" | ".join(" ".join(cell) for cell in row) for row in block.rows]
    return "\n".join(lines) + "\n"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def best_ms(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    items = blocks()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "policy.txt").write_text(as_text(items), encoding="utf-8")
        (root / "policy.docx").write_bytes(build_docx(items))
        (root / "policy.pdf").write_bytes(build_pdf(items))
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=folder))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/policy.txt"
        try:
            import pypdf

            pages = len(pypdf.PdfReader(root / "policy.pdf").pages)
            baseline = best_ms(lambda: read_policy(root / "policy.txt"))
            print(f"policy: {len(items) - 1} paragraphs + a {ROWS}-row table; PDF {pages} pages")
            print(f"{'source':<22}{'bytes':>10}{'lines':>8}{'ms':>10}{'× text':>9}")
            for name, source in (("text (baseline)", str(root / "policy.txt")),
                                 (".docx", str(root / "policy.docx")),
                                 ("PDF", str(root / "policy.pdf")),
                                 ("URL (local, text)", url)):
                size = (root / Path(source).name).stat().st_size if "://" not in source else \
                    (root / "policy.txt").stat().st_size
                lines = len(open_policy(source).text.lines)
                ms = best_ms(lambda source=source: open_policy(source))  # type: ignore[misc]
                print(f"{name:<22}{size:>10}{lines:>8}{ms:>10.1f}{ms / baseline:>9.1f}")
            plain = best_ms(lambda: [p.extract_text() for p in pypdf.PdfReader(root / "policy.pdf").pages])
            print(f"{'PDF, pypdf plain text':<22}{'':>10}{'':>8}{plain:>10.1f}{plain / baseline:>9.1f}")
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
