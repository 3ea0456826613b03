"""Knowledge-base fixtures: small documents in every supported format, written by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

#: An EU-style regulation in Markdown: recitals, chapters, sections, articles, paragraphs, points.
EU_STYLE_MD = """# REGULATION (EU) 2099/1 ON TEST SYSTEMS

Whereas:

(1) Testing rules should protect fundamental rights.

(2) Autonomous weapons are outside the scope of this test regulation.

HAVE ADOPTED THIS REGULATION:

## CHAPTER I

### GENERAL PROVISIONS

### Article 1

**Subject matter**

This Regulation lays down rules on the testing of AI systems.

## CHAPTER II

### PROHIBITED PRACTICES

### Article 2

**Prohibited practices**

1. The following AI practices shall be prohibited:

(a) the use of AI systems that deploy subliminal techniques;

(b) the use of AI systems for social scoring;

(i) by public authorities;

(ii) by private actors;

(c) the use of biometric categorisation systems.

2. Member States shall report serious incidents to the Commission.

# ANNEX I

# List of test areas

1. Critical infrastructure:

(a) road traffic and the supply of water.
"""

#: A US-style executive order: hard-wrapped lines, inline (a) after a section title.
US_STYLE_TXT = """     By the authority vested in me, it is hereby ordered as follows:

     Section 1.  Purpose.  Artificial intelligence must be safe.

     Sec. 2.  Safety Testing.  (a)  Within 90 days, the Secretary shall
develop red-teaming guidelines for dual-use foundation models:

          (i)   covering biological weapons risks; and

          (ii)  covering cyber vulnerabilities.

     (b)  The Secretary of Defense shall report on military uses.

     Sec. 3.  Implementation.  This order takes effect today.
"""

#: A UN-style resolution: preambular paragraphs, then numbered operative paragraphs.
UN_STYLE_TXT = """The General Assembly,

Recalling its previous resolutions on information and telecommunications,

Noting the rapid development of artificial intelligence,

1. Calls upon Member States to develop confidence-building measures;

2. Requests the Secretary-General to seek views on lethal autonomous weapons systems;

3. Decides to remain seized of the matter.
"""


@pytest.fixture
def eu_md(tmp_path: Path) -> Path:
    path = tmp_path / "eu-test.md"
    path.write_text(EU_STYLE_MD, encoding="utf-8")
    return path


@pytest.fixture
def us_txt(tmp_path: Path) -> Path:
    path = tmp_path / "us-test.txt"
    path.write_text(US_STYLE_TXT, encoding="utf-8")
    return path


@pytest.fixture
def un_txt(tmp_path: Path) -> Path:
    path = tmp_path / "un-test.txt"
    path.write_text(UN_STYLE_TXT, encoding="utf-8")
    return path


@pytest.fixture
def zh_txt() -> Path:
    return DATA / "zh-regulation.txt"


@pytest.fixture
def html_file(tmp_path: Path) -> Path:
    path = tmp_path / "decl.html"
    path.write_text(
        "<html><head><title>Test Declaration on AI</title>"
        '<link rel="canonical" href="https://example.org/decl"></head><body>'
        "<nav>menu</nav><h1>Test Declaration on AI</h1>"
        "<p>We, the participants, affirm the following.</p>"
        "<h2>Article 1</h2><p>1. States shall keep human control over nuclear weapons.</p>"
        "<p>2. States <b>shall</b> test frontier models &amp; share results.</p>"
        "<script>alert('x')</script></body></html>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def docx_file(tmp_path: Path) -> Path:
    from docx import Document

    document = Document()
    document.core_properties.title = "Test Strategy"
    document.add_heading("CHAPTER I", level=1)
    document.add_heading("Article 1", level=2)
    document.add_paragraph("1. Developers shall evaluate cyber risks.")
    document.add_paragraph("(a) including malware generation;")
    document.add_heading("Article 2", level=2)
    document.add_paragraph("Export controls apply to advanced chips.")
    path = tmp_path / "strategy.docx"
    document.save(path)
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A minimal one-page PDF with one text line per entry (Helvetica), written by hand."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
    for line in lines:
        ops.append(f"({esc(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))
    return path


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    return write_pdf(
        tmp_path / "resolution.pdf",
        [
            "Resolution on AI in the military domain",
            "1. Affirms that international humanitarian law applies to AI.",
            "2. Encourages confidence-building measures between States.",
            "(a) including dialogue on autonomous weapons.",
        ],
    )
