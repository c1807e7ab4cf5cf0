"""Hostile input: PDFs built byte by byte to cost a reader time or memory, and functions that
misbehave in a child process (inspections/sandbox.py).

Plain Python, no Django, so that a child process can import it: the tests and
bench/crafted_pdf.py build their files here.
"""

import os
import zlib

MEGABYTE = 1024 * 1024


def _pdf(stream: bytes, *, pages: int = 1) -> bytes:
    """A PDF of `pages` pages that all draw one Flate-compressed content stream, with a
    correct cross-reference table."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages)).encode()
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 " + str(4 + pages).encode() + b" 0 R >> >> >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
        b"<< /Filter /FlateDecode /Length " + str(len(stream)).encode() + b" >>\nstream\n"
        b"" + stream + b"\nendstream",
        *[page] * pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _deflate(*parts: bytes, repeat: bytes = b"", times: int = 0, tail: bytes = b"") -> bytes:
    """Compress parts + repeat * times + tail without ever holding the inflated bytes."""
    compressor = zlib.compressobj(9)
    out = [compressor.compress(part) for part in parts]
    chunk = max(1, MEGABYTE // max(1, len(repeat)))
    for start in range(0, times, chunk):
        out.append(compressor.compress(repeat * min(chunk, times - start)))
    out += [compressor.compress(tail), compressor.flush()]
    return b"".join(out)


def operator_flood(repeats: int = 190_000, operator: bytes = b"(x) Tj ") -> bytes:
    """One page whose compressed content repeats a text-showing operator `repeats` times:
    a few KB on disk, megabytes once inflated, and every operator parsed and interpreted."""
    return _pdf(
        _deflate(b"BT /F1 12 Tf 72 720 Td 14 TL ", repeat=operator, times=repeats, tail=b"ET")
    )


def operator_flood_pages(pages: int = 60, repeats: int = 40_000) -> bytes:
    """`pages` pages sharing one content stream of `repeats` line-by-line text operators: each
    page stays within a per-stream operator budget, and the whole file still takes a minute."""
    stream = _deflate(
        b"BT /F1 12 Tf 72 720 Td ", repeat=b"0 -14 Td (x) Tj ", times=repeats, tail=b"ET"
    )
    return _pdf(stream, pages=pages)


def inflated_stream(megabytes: int = 70) -> bytes:
    """One page whose content stream inflates from well under 1 MB to `megabytes` of spaces
    around a little text: a reader that inflates it whole holds all of it in memory."""
    return _pdf(
        _deflate(
            b"BT /F1 12 Tf 72 720 Td (Inspection of) Tj",
            repeat=b" ",
            times=megabytes * MEGABYTE,
            tail=b" ET",
        )
    )


# --- Functions that misbehave in a child process ------------------------------------------------


def echo(value):
    return value


def refuse(message: str):
    raise ValueError(message)


def spin(_data=None):
    """Never return."""
    while True:
        pass


def hog(megabytes: int):
    """Ask for more memory than a child is allowed."""
    return len(bytearray(megabytes * MEGABYTE))


def crash(_data=None):
    """End the process the way a crash in C code would."""
    os.abort()


def address_space_mb(_data=None) -> int:
    """The address space this process already holds, in MB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError("no VmSize in /proc/self/status")
