"""The changes page in headless Chromium against a real `constellation serve`: what began and
ended between two demo dates by label, the findings that appeared and were resolved, the
change log with its filters, and a record's history where an editor restores an older
version (a new version; a version conflict said plainly)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import httpx

from ..browser import SCREENSHOTS
from .test_pages import open_page, sign_in

LA = "/api/workspaces/la-compact"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def compared(page):
    page.wait_for_selector("body[data-compared]", state="attached")
    page.wait_for_load_state("networkidle")


def labels_in(page, selector: str) -> list[str]:
    spans = page.locator(f"{selector} li .label")
    return [spans.nth(i).text_content() for i in range(spans.count())]


def editor(live) -> dict[str, str]:
    return {"Authorization": f"Bearer {live[2]}"}


def test_the_changes_between_two_demo_dates_are_listed_by_label_and_kind(page, live):
    base = live[0]
    open_page(page, live, "changes.html", **{"from": "2016-01-01", "to": "2019-01-01"})
    compared(page)
    assert page.locator("header.top nav a[aria-current=page]").text_content() == "Changes"
    d = httpx.get(
        f"{base}{LA}/audit/diff", params={"from": "2016-01-01", "to": "2019-01-01"}
    ).json()
    assert d["nodes"]["added"] and d["edges"]["added"] and d["findings"]["appeared"]
    # records by label, under their kind's title
    for n in d["nodes"]["added"]:
        li = page.locator(f"#added li[data-id='{n['id']}']")
        assert li.locator(".label").text_content() == n["label"]
    assert (
        page.locator("#added-nodes-constellation summary")
        .text_content()
        .startswith(
            f"Constellations ({sum(n['kind'] == 'constellation' for n in d['nodes']['added'])})"
        )
    )
    # ties by the labels of their two ends, never by their ids
    said = sorted(
        f"{e['source_label']} {e['kind'].replace('_', ' ')} {e['target_label']}"
        for e in d["edges"]["added"]
    )
    assert sorted(labels_in(page, "#added [id^=added-edges-]")) == said
    ended = sorted(
        f"{e['source_label']} {e['kind'].replace('_', ' ')} {e['target_label']}"
        for e in d["edges"]["ended"]
    )
    assert sorted(labels_in(page, "#ended [id^=ended-edges-]")) == ended
    shown = page.text_content("#between")
    assert not any(e["id"] in shown for e in d["edges"]["added"])
    # the findings with their messages, grouped under each check's title
    assert page.locator("#appeared li.finding").count() == len(d["findings"]["appeared"])
    assert page.locator("#resolved li.finding").count() == len(d["findings"]["resolved"])
    first = d["findings"]["appeared"][0]
    group = page.locator(f"#appeared-{first['check']}")
    assert group.locator("summary").text_content().startswith(d["checks"][first["check"]])
    assert first["message"] in group.text_content()
    assert page.text_content("#health-from") == str(d["health"]["from"])
    assert page.text_content("#health-to") == str(d["health"]["to"])
    # the map's changes mode over the same dates
    href = page.get_attribute("#map-link", "href")
    assert href == "map.html?w=la-compact#from=2016-01-01&to=2019-01-01"
    assert page.console_errors == []
    path = SCREENSHOTS / "changes.png"
    page.screenshot(path=str(path), full_page=False)
    shutil.copyfile(path, DOCS / "changes.png")


def test_dates_the_page_picks_and_dates_it_refuses(page, live):
    open_page(page, live, "changes.html")
    compared(page)
    today = dt.date.today()
    year_before = (
        today.replace(year=today.year - 1)
        if (today.month, today.day) != (2, 29)
        else (today.replace(year=today.year - 1, day=28))
    )
    assert page.input_value("#to") == today.isoformat()
    assert page.input_value("#from") == year_before.isoformat()
    assert "a year before To" in page.text_content("#dates-note")
    assert f"from={year_before}" in page.url and f"to={today}" in page.url
    # a later From than To is named, and nothing is compared
    page.fill("#from", "2020-01-01")
    page.fill("#to", "2018-01-01")
    page.dispatch_event("#to", "change")
    page.wait_for_selector("#dates-problem")
    assert "must come before" in page.text_content("#dates-problem")
    assert page.locator("#between").is_hidden()
    # a date in another shape in the link
    open_page(page, live, "changes.html", **{"from": "01/05/2016", "to": "2019-01-01"})
    compared(page)
    assert "use YYYY-MM-DD, e.g. 2024-05-01" in page.text_content("#date-problem")
    assert page.input_value("#from") == "2018-01-01" and page.input_value("#to") == "2019-01-01"
    assert page.console_errors == []


def test_the_change_log_filters_by_record_and_who_and_opens_a_history(page, live):
    base = live[0]
    made = httpx.post(
        f"{base}{LA}/nodes",
        json={"kind": "organization", "label": "Logbook Literacy League"},
        headers=editor(live),
    ).json()
    open_page(page, live, "changes.html")
    compared(page)
    page.wait_for_selector("body[data-log-loaded]", state="attached")
    # anonymous readers see no names, and are told why
    assert "Sign in" in page.text_content("#who-note")
    assert page.locator("#log tbody tr").count() == 25
    newest = httpx.get(f"{base}{LA}/changes", params={"limit": 26}).json()
    assert page.text_content("#page-note") == "changes 1–25"
    page.click("#older")
    page.wait_for_function(
        "document.querySelector('#page-note').textContent.startsWith('changes 26')"
    )
    first_of_second = page.locator("#log tbody tr").first
    assert first_of_second.get_attribute("data-id") == newest[25]["entity_id"]
    sign_in(page, live)
    compared(page)
    page.fill("#log-record", "Logbook")
    page.click(f"#log-record-options li[data-id='{made['id']}']")
    page.wait_for_function("[...document.querySelectorAll('#log tbody tr')].length === 1")
    row = page.locator("#log tbody tr")
    assert row.get_attribute("data-id") == made["id"]
    assert "added" in row.text_content() and "Logbook Literacy League" in row.text_content()
    assert "browser test" in row.text_content()  # who: the editor token's name
    # who: only changes made by that name
    page.click("#log-record-chosen button.remove")
    page.fill("#log-who", "browser test")
    page.wait_for_function(
        "(rows => rows.length > 0 && rows.every(r => r.textContent.includes('browser test')))"
        "([...document.querySelectorAll('#log tbody tr')])"
    )
    assert page.locator("#log tbody tr").count() >= 1
    # a change opens the record's history
    page.click(f"#log tbody tr[data-id='{made['id']}'] a.history-link")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_selector("#versions li")
    assert page.text_content("#title") == "History of Logbook Literacy League"
    assert f"record={made['id']}" in page.url
    assert page.console_errors == []


def test_restoring_an_older_version_brings_its_values_back_with_a_new_version(page, live):
    base = live[0]
    v1 = httpx.post(
        f"{base}{LA}/nodes",
        json={
            "kind": "organization",
            "label": "Bayside Mentors",
            "properties": {"sector": "non-profit", "staff_capacity": 2},
        },
        headers=editor(live),
    ).json()
    url = f"{base}{LA}/nodes/{v1['id']}"
    v2 = httpx.patch(
        url,
        json={"label": "Bayside Mentoring Network", "properties": {"staff_capacity": 6}},
        headers=editor(live) | {"If-Match": f'"{v1["version"]}"'},
    ).json()
    assert v2["version"] == 2
    # anonymous readers see the history but no button
    open_page(page, live, "changes.html", record=v1["id"])
    page.wait_for_selector("#versions li")
    assert page.locator("button.restore").count() == 0
    assert "sign in" in page.text_content("#restore-note")
    sign_in(page, live)
    page.wait_for_selector("#versions li")
    assert page.text_content("#title") == "History of Bayside Mentoring Network"
    older = page.locator("#versions li[data-version='1']")
    assert older.locator("tr[data-field=label] .now").text_content() == "Bayside Mentors"
    assert page.locator("#versions li[data-version='2'] button.restore").count() == 0  # current
    older.locator("button.restore").click()
    page.wait_for_selector("#restored")
    assert "now version 3" in page.text_content("#restored")
    now = httpx.get(url).json()
    assert now["version"] == 3
    assert now["label"] == "Bayside Mentors" and now["properties"]["staff_capacity"] == 2
    assert page.locator("#versions li").first.get_attribute("data-version") == "3"
    assert page.locator("#versions li[data-version='3'] .badge.current").count() == 1
    assert "now version 3" in page.text_content("#history-about")
    assert "back to the values of version 1" in page.text_content(
        "#versions li[data-version='3'] .version-head"
    )
    page.screenshot(path=str(SCREENSHOTS / "changes-history.png"), full_page=True)
    # someone else changes it while the page is open: the page says so, nothing is restored
    httpx.patch(
        url, json={"label": "Bayside Mentors of LA"}, headers=editor(live) | {"If-Match": '"3"'}
    ).raise_for_status()
    page.locator("#versions li[data-version='2'] button.restore").click()
    page.wait_for_selector("#conflict")
    assert "Someone changed this record since you opened its history" in page.text_content(
        "#conflict"
    )
    after = httpx.get(url).json()
    assert (after["version"], after["label"]) == (4, "Bayside Mentors of LA")
    # the browser reports the refused request itself; nothing else went wrong
    assert [e for e in page.console_errors if "412" not in e] == []


def test_a_ties_history_names_its_ends_by_label_and_restores_them(page, live):
    base = live[0]
    org = httpx.post(
        f"{base}{LA}/nodes",
        json={"kind": "organization", "label": "Crenshaw Coding Club"},
        headers=editor(live),
    ).json()
    tie = httpx.post(
        f"{base}{LA}/edges",
        json={"kind": "participates_in", "source": org["id"], "target": "la-regional-stem-hub"},
        headers=editor(live),
    ).json()
    url = f"{base}{LA}/edges/{tie['id']}"
    httpx.patch(
        url,
        json={"target": "la-educator-pathways-partnership", "valid_to": "2025-12-31"},
        headers=editor(live) | {"If-Match": '"1"'},
    ).raise_for_status()
    labels = {
        n: httpx.get(f"{base}{LA}/nodes/{n}").json()["label"]
        for n in ("la-regional-stem-hub", "la-educator-pathways-partnership")
    }
    open_page(page, live, "changes.html", record=tie["id"], entity="edge")
    sign_in(page, live)
    page.wait_for_selector("#versions li[data-version='2']")
    assert page.text_content("#title") == (
        f"History of Crenshaw Coding Club → {labels['la-educator-pathways-partnership']}"
    )
    moved = page.locator("#versions li[data-version='2'] tr[data-field=target]")
    assert moved.locator(".was").text_content() == labels["la-regional-stem-hub"]
    assert moved.locator(".now").text_content() == labels["la-educator-pathways-partnership"]
    page.click("#versions li[data-version='1'] button.restore")
    page.wait_for_selector("#restored")
    now = httpx.get(url).json()
    assert (now["version"], now["target"], now["valid_to"]) == (3, "la-regional-stem-hub", None)
    assert page.console_errors == []
