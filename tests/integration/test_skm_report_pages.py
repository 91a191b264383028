"""The staff SKM report: supervisors and admins of the office (a zone's member: its zone)
read it in the regulation's layout, with profile counts, follow-up elements and the
comments, paged; clerks and other offices may not; the CSV and PDF carry the same figures."""
from __future__ import annotations

import io

import pypdfium2
import pytest

from queueapp.queries import skm_report
from queueapp.services.survey import answer_survey

from ..support import log_in
from .catalog_fixtures import cast
from .skm_support import answers, serve

# The worked example of tests/unit/test_skm_index.py: IKM 3.25, converted 81.25, B.
EXAMPLE = [(4, 4, 3, 4, 3, 4, 4, 3, 3), (3, 3, 3, 4, 3, 3, 4, 3, 2), (4, 3, 2, 4, 3, 4, 4, 2, 3),
           (3, 3, 3, 4, 3, 3, 3, 3, 3)]
MONTH = "/reports/demo/skm?period=month&value=2026-11"


@pytest.fixture
def surveyed(demo, clock):
    profiles = [{"sex": "female", "age_group": "30_39"}, {"sex": "male"}, {}, {"sex": "female", "education": "s1"}]
    for n, (scores, profile) in enumerate(zip(EXAMPLE, profiles)):
        answer_survey(demo, serve(demo, clock, "A"), answers(*scores), profile,
                      f"Komentar nomor {n + 1}" if n != 2 else None, now=clock.advance(minutes=1))
    serve(demo, clock, "B")
    return demo


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_a_supervisor_reads_the_report_in_the_regulations_layout(client, surveyed):
    log_in(client, "supervisor")
    html = text_of(client.get(MONTH))
    assert 'id="skm-ikm">3,25<' in html and 'id="skm-converted">81,25<' in html
    assert 'id="skm-category">B (baik)<' in html
    assert 'id="skm-respondents">4<' in html and 'id="skm-served">5<' in html and 'id="skm-sample">5<' in html
    assert "Persyaratan" in html and "Sarana dan prasarana" in html
    assert html.count('class="lowest"') == 3 and "rencana tindak lanjut" in html.lower()
    assert "Komentar nomor 4" in html and "Komentar nomor 1" in html
    profile = html.split('id="skm-profile-sex"')[1].split("</table>")[0]
    assert "perempuan</th><td>2<" in profile and "laki-laki</th><td>1<" in profile


def test_the_page_is_in_english_when_asked(client, surveyed):
    log_in(client, "admin")
    html = text_of(client.get(MONTH + "&lang=en"))
    assert 'id="skm-category">B (good)<' in html and "Requirements" in html and 'id="skm-ikm">3.25<' in html


def test_the_default_period_is_this_month(client, surveyed):
    log_in(client, "supervisor")
    html = text_of(client.get("/reports/demo/skm"))
    assert "November 2026" in html and 'id="skm-respondents">4<' in html


def test_the_reports_page_links_to_the_skm_report(client, surveyed):
    log_in(client, "supervisor")
    assert 'href="/reports/demo/skm" id="skm-link"' in text_of(client.get("/reports/demo"))


@pytest.mark.parametrize("who, status", [("clerk", 403), ("other-admin", 403), ("other-supervisor", 403)])
def test_clerks_and_other_offices_may_not_read_it(client, surveyed, who, status):
    cast(surveyed)
    log_in(client, {"clerk": "loket1"}.get(who, who))
    for path in (MONTH, "/reports/demo/skm/skm.csv?month=2026-11", "/reports/demo/skm/skm.pdf?month=2026-11"):
        response = client.get(path)
        assert response.status_code == status and "Komentar nomor" not in text_of(response)


def test_without_logging_in_it_asks_for_a_log_in(client, surveyed):
    assert client.get(MONTH).status_code in (302, 401)


def test_a_zones_member_sees_only_its_zone(app, client, surveyed):
    people = cast(surveyed)
    log_in(client, "dukcapil-admin")
    html = text_of(client.get(MONTH))
    assert 'id="skm-respondents">0<' in html and "Komentar nomor" not in html
    other_zone = client.get(MONTH + f"&zone={people['zones']['Imigrasi']}")
    assert other_zone.status_code == 403
    admin = app.test_client()
    log_in(admin, "admin")
    assert 'id="skm-respondents">0<' in text_of(admin.get(MONTH + f"&zone={people['zones']['Dukcapil']}"))
    assert 'id="skm-respondents">4<' in text_of(admin.get(MONTH + "&service=A"))
    assert admin.get(MONTH + "&zone=999999").status_code == 404


def test_comments_are_paged_newest_first(client, surveyed, monkeypatch):
    monkeypatch.setattr(skm_report, "COMMENTS_PER_PAGE", 2)
    log_in(client, "supervisor")
    first = text_of(client.get(MONTH))
    assert "Komentar nomor 4" in first and "Komentar nomor 2" in first and "Komentar nomor 1" not in first
    assert 'id="comments-next"' in first
    second = text_of(client.get(MONTH + "&page=2"))
    assert "Komentar nomor 1" in second and "Komentar nomor 4" not in second


def test_the_csv_and_pdf_carry_the_figures_and_all_comments(client, surveyed, monkeypatch):
    monkeypatch.setattr(skm_report, "COMMENTS_PER_PAGE", 1)
    log_in(client, "supervisor")
    body = text_of(client.get("/reports/demo/skm/skm.csv?month=2026-11"))
    assert "3.250" in body and "81.25" in body and "B (baik)" in body
    assert all(f"Komentar nomor {n}" in body for n in (1, 2, 4))
    response = client.get("/reports/demo/skm/skm.pdf?month=2026-11&signer=Budi")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    pdf = pypdfium2.PdfDocument(io.BytesIO(response.data))
    words = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    assert "81,25" in words and "3,250" in words and "Survei Kepuasan Masyarakat" in words and "Komentar nomor 1" in words
