"""The status page as the server renders it (also without JavaScript): only the section of
the ticket's state is shown, and a waiting ticket names the counters serving its service."""
from __future__ import annotations

import re

from queueapp.services import counters as counter_ops
from queueapp.services import tickets as ticket_ops
from ..support import pair_browser
from .test_status_page import counter_id, take


def shown_sections(html: str) -> set[str]:
    """The ids of the state sections rendered without the hidden attribute."""
    sections = re.finditer(r'<section id="([\w-]+)" class="phase [^"]*" data-phase="\w+"\s*([^>]*)>', html)
    return {m.group(1) for m in sections if "hidden" not in m.group(2)}


def test_a_waiting_ticket_shows_its_place_the_counters_and_the_way_out(client, demo):
    pair_browser(client, demo)
    html = client.get(f"/t/{take(client)['token']}").get_data(as_text=True)
    assert shown_sections(html) == {"phase-waiting"}
    assert "Dilayani di" in html
    served_at = html[html.index('id="serving-counters"'):]
    served_at = served_at[:served_at.index("</p>")]
    assert [name for name in ("Loket 1", "Loket 2", "Loket 3", "Loket 4", "Loket 5") if name in served_at] == [
        "Loket 1", "Loket 2", "Loket 5"]
    assert 'id="leave"' in html and "Anda boleh menunggu di luar" in html


def test_a_called_ticket_shows_only_the_counter(client, demo, clerk, clock):
    pair_browser(client, demo)
    mine = take(client)
    counter_ops.call_next(demo, clerk, counter_id(client, 1), now=clock())
    html = client.get(f"/t/{mine['token']}").get_data(as_text=True)
    assert shown_sections(html) == {"called"}
    assert 'id="leave"' not in html


def test_a_finished_ticket_ends_with_a_thank_you(client, demo, clerk, clock):
    pair_browser(client, demo)
    mine = take(client)
    counter_ops.call_next(demo, clerk, counter_id(client, 1), now=clock())
    ticket_ops.finish(demo, clerk, mine["id"], now=clock())
    html = client.get(f"/t/{mine['token']}").get_data(as_text=True)
    assert shown_sections(html) == {"phase-finished"}
    assert "Terima kasih atas kunjungan Anda" in html and 'id="finished-extras"' in html


def test_a_no_show_says_what_happened_and_what_to_do(client, demo, clerk, clock):
    pair_browser(client, demo)
    mine = take(client)
    counter_ops.call_next(demo, clerk, counter_id(client, 1), now=clock())
    ticket_ops.no_show(demo, clerk, mine["id"], now=clock())
    html = client.get(f"/t/{mine['token']}").get_data(as_text=True)
    assert shown_sections(html) == {"phase-ended"}
    assert re.search(r'id="ended-no-show" data-status="no_show"\s*>', html)
    assert "ambil nomor baru di kios" in html
