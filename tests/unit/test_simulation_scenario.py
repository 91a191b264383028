"""Scenario files of the office-day simulator: the shipped ones parse, bad ones say why."""
import pytest

from queueapp.simulation import scenario


def test_the_shipped_scenarios_parse():
    assert {"kecamatan-small", "dukcapil-busy", "mpp"} <= set(scenario.names())
    small = scenario.load("kecamatan-small")
    assert len(small.counters) == 2 and small.tickets == 150
    busy = scenario.load("dukcapil-busy")
    assert len(busy.counters) == 6 and busy.tickets == 600 and busy.day.isoweekday() == 5
    mpp = scenario.load("mpp")
    assert len(mpp.counters) == 20 and len(mpp.zones) == 4 and mpp.tickets == 2500


def test_a_counters_breaks_default_to_the_offices():
    small = scenario.load("kecamatan-small")
    assert small.counters[0].breaks == ((12 * 60.0, 13 * 60.0),)


def test_fixed_arrivals_set_the_day_by_hand():
    parsed = scenario.parse({
        "office": {"date": "2026-03-05", "opens": "07:55", "closes": "12:00"},
        "services": [{"code": "a", "share": 1, "minutes": {"median": 5, "sigma": 0}}],
        "counters": [{"number": 1, "services": {"A": 1}}],
        "arrivals": {"fixed": [{"at": "08:00", "service": "A"}, {"at": "08:01", "service": "a"}]}})
    assert parsed.tickets == 2 and parsed.fixed == ((480.0, "A", None), (481.0, "A", None))


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("counters"), "missing field counters"),
    (lambda d: d["counters"][0]["services"].update(Z=1), "unknown service Z"),
    (lambda d: d["office"].update(opens="8 pagi"), "office.opens"),
    (lambda d: d["arrivals"].update(by_hour={8: 0}), "weights must be positive"),
])
def test_a_bad_scenario_names_the_field_at_fault(change, message):
    document = {"office": {"date": "2026-03-05", "opens": "08:00", "closes": "12:00"},
                "services": [{"code": "A", "share": 1, "minutes": {"median": 5}}],
                "counters": [{"number": 1, "services": {"A": 1}}],
                "arrivals": {"tickets": 10, "by_hour": {8: 1}}}
    change(document)
    with pytest.raises(scenario.ScenarioError, match=message):
        scenario.parse(document)


def test_an_unknown_scenario_lists_the_shipped_ones():
    with pytest.raises(scenario.ScenarioError, match="kecamatan-small"):
        scenario.load("kelurahan-besar")
