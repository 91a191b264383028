"""The paper ticket: PDF for 80 and 58 mm rolls with a readable QR, and ESC/POS bytes."""
from __future__ import annotations

import pytest
from escpos.printer import Dummy

from queueapp.printing import PrinterSpec, PrintFailed, TicketDocument, print_escpos, render_pdf, write_escpos

STATUS_URL = "https://antrian.example.go.id/t/Qm9uZ2thaC1rZWN1cC0xMjM"


def ticket(paper: int = 80, **changes) -> TicketDocument:
    fields = dict(office="Kantor Kecamatan Demo", service="KTP-el (Rekam / Cetak)", number="A-007",
                  issued="23-11-2026 09:00 WIB", status_url=STATUS_URL,
                  instruction="Pindai kode QR untuk memantau antrian dari ponsel Anda.",
                  details=("Antrian di depan Anda: 3", "Estimasi tunggu: 24 menit (16-32)"),
                  priority="PRIORITAS: Lansia", paper=paper)
    return TicketDocument(**(fields | changes))


def rasterise(pdf: bytes, dpi: int = 203):
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    return page.get_size(), page.render(scale=dpi / 72).to_pil(), page.get_textpage().get_text_range()


@pytest.mark.parametrize("paper", [80, 58])
def test_the_pdf_is_as_wide_as_the_roll_and_its_qr_opens_the_status_page(paper):
    import zxingcpp
    (width_pt, _), image, text = rasterise(render_pdf(ticket(paper)))
    assert round(width_pt / 72 * 25.4) == paper
    decoded = [code.text for code in zxingcpp.read_barcodes(image)]
    assert decoded == [STATUS_URL]
    for words in ("A-007", "Kantor Kecamatan Demo", "KTP-el", "23-11-2026 09:00 WIB", "Antrian di depan Anda: 3",
                  "Estimasi tunggu: 24 menit (16-32)", "PRIORITAS: Lansia", "Pindai kode QR"):
        assert words in text.replace("\r\n", " ").replace("\n", " ")


def test_a_long_office_name_wraps_instead_of_running_off_the_paper():
    import zxingcpp
    long_name = "Mal Pelayanan Publik Kabupaten Contoh - Dinas Kependudukan dan Pencatatan Sipil"
    (_, height), image, text = rasterise(render_pdf(ticket(58, office=long_name, priority=None)))
    assert "Mal Pelayanan" in text and "Pencatatan Sipil" in text
    assert "PRIORITAS" not in text
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [STATUS_URL]


def test_escpos_bytes_carry_the_native_qr_command_and_the_number():
    printer = Dummy()
    write_escpos(ticket(80), printer)
    output = printer.output
    assert b"A-007" in output
    # GS ( k, function 180 (store data, cn=49 '1', fn=80 'P', m=48 '0') followed by the URL.
    assert b"\x1d(k" in output and b"1P0" + STATUS_URL.encode() in output
    assert b"\x1d(k\x03\x001Q0" in output          # print the stored symbol
    assert output.rstrip().endswith(b"\x1dV\x00")   # paper cut


def test_a_file_printer_receives_the_ticket(tmp_path):
    device = tmp_path / "lp0"
    device.touch()
    print_escpos(ticket(58), PrinterSpec.parse(f"file:{device}"))
    written = device.read_bytes()
    assert b"A-007" in written and b"1P0" + STATUS_URL.encode() in written


def test_an_unreachable_network_printer_raises_print_failed():
    from tests.support import free_port
    with pytest.raises(PrintFailed):
        print_escpos(ticket(), PrinterSpec.parse(f"network:127.0.0.1:{free_port()}"), timeout=1)


@pytest.mark.parametrize("text, kind, target, port", [
    ("browser", "browser", "", 9100),
    (None, "browser", "", 9100),
    ("network:192.168.1.50", "network", "192.168.1.50", 9100),
    ("network:printer.lan:9101", "network", "printer.lan", 9101),
    ("usb:04b8:0e15", "usb", "04b8:0e15", 9100),
    ("file:/dev/usb/lp0", "file", "/dev/usb/lp0", 9100),
])
def test_printer_settings_are_read_from_one_line(text, kind, target, port):
    spec = PrinterSpec.parse(text)
    assert (spec.kind, spec.target, spec.port) == (kind, target, port)
    assert PrinterSpec.parse(str(spec)) == spec


@pytest.mark.parametrize("text", ["lpt1", "usb:xyz:1", "file:relative/path", "network:", "network:h:port"])
def test_unknown_printer_settings_are_refused(text):
    with pytest.raises(ValueError):
        PrinterSpec.parse(text)
