"""Issue 15's pages in headless Chromium against a real `constellation serve`: the health
score explained on the overview, who convenes what by goal, sortable headers that are
buttons with aria-sort on every page, funding seen from one funder, and the front page's
guide for each kind of user."""

from __future__ import annotations

import httpx

from .conftest import shoot
from .test_map_page import _frame
from .test_pages import open_page, sign_in

W = "/api/workspaces"


def _get(live, path, **params):
    answer = httpx.get(f"{live[0]}{W}/{path}", params=params, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _cells(page, selector, column):
    rows = page.locator(f"{selector} tbody tr")
    return [rows.nth(i).locator("td").nth(column).inner_text() for i in range(rows.count())]


# ------------------------------------------------------------------ the score explained


def test_the_overview_shows_each_checks_term_of_the_score_most_points_lost_first(page, live):
    open_page(page, live, "index.html")
    summary = _get(live, "la-compact/audit")["summary"]
    parts = summary["health"]["by_check"]
    titles = {c["id"]: c["title"] for c in summary["checks"]}
    rows = page.locator("#score-parts tbody tr")
    assert rows.count() == len(parts) > 3
    shown = [rows.nth(i).get_attribute("data-check") for i in range(rows.count())]
    lost = [parts[c]["points_lost"] for c in shown]
    assert lost == sorted(lost, reverse=True) and lost[0] > 0
    for i, check in enumerate(shown):
        part = parts[check]
        cells = [rows.nth(i).locator("td").nth(j).inner_text() for j in range(5)]
        assert cells == [
            titles[check],
            str(part["findings"]),
            f"{part['population']} {part['of']}",
            str(part["weight"]),
            f"{part['points_lost']:g}",
        ]
    # the points lost add up to what the score misses of 100
    missed = round(sum(p["points_lost"] for p in parts.values()))
    assert f"{missed} points the score misses of 100" in page.inner_text("#score-parts")
    assert 100 - int(page.inner_text("#score")) - missed in (-1, 0, 1)  # rounding
    # the table says it is sorted by points lost; a check with findings links to them
    header = page.locator("#score-parts th", has_text="Points lost")
    assert header.get_attribute("aria-sort") == "descending"
    page.locator("#score-parts tbody tr").first.locator("a").click()
    assert page.evaluate("location.hash") == f"#check-{shown[0]}"
    page.locator("#score-parts").scroll_into_view_if_needed()
    shoot(page, "overview-score-parts")
    assert page.console_errors == []


# ------------------------------------------------------------------ who convenes what


def test_who_convenes_what_by_goal_lists_each_goal_and_marks_the_unserved(page, live):
    base, _, _ = live
    page.goto(f"{base}/conveners.html?w=achieve-escambia")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.check("#view-goal")
    page.wait_for_selector("#goal-table tbody tr")
    assert page.locator("#table").is_hidden() and page.locator("#by-goal").is_visible()
    assert page.locator("#constellation-filters").is_hidden()
    assert "by=goal" in page.url
    expected = _get(live, "achieve-escambia/conveners/by-goal")
    rows = page.locator("#goal-table tbody tr")
    assert [rows.nth(i).get_attribute("data-id") for i in range(rows.count())] == [
        r["goal"]["id"] for r in expected
    ]
    unserved = [r for r in expected if not r["served"]]
    assert len(unserved) == 2  # seed 002: two of the four networks were yet to launch
    flagged = page.locator("#goal-table tr.flag-unserved")
    assert flagged.count() == 2
    assert [flagged.nth(i).get_attribute("data-id") for i in range(2)] == [
        r["goal"]["id"] for r in unserved
    ]
    assert flagged.first.locator(".badge", has_text="unserved").count() == 1
    # each goal's groups with their status and their conveners' load, in the table itself
    for r in expected:
        row = page.locator(f"#goal-table tr[data-id='{r['goal']['id']}']")
        for g in r["constellations"]:
            item = row.locator(f"ul.groups > li[data-id='{g['constellation']['id']}']")
            assert g["status"] in item.locator(".badge.status").inner_text()
            for c in g["conveners"]:
                load = item.locator(f"ul.conveners li[data-id='{c['id']}'] .load").inner_text()
                assert f"load {c['load']:g}" in load
                assert f"{c['active_constellations']} active" in load
    shoot(page, "conveners-by-goal")
    page.check("#unserved")
    assert rows.count() == 2
    assert page.inner_text("#goals-shown").startswith("2 of ")
    # the address holds the view: opened again, it shows the goals
    page.goto(page.url)
    page.wait_for_selector("#goal-table tbody tr")
    assert page.is_checked("#view-goal") and page.locator("#table").is_hidden()
    page.check("#view-constellation")
    assert page.locator("#table").is_visible() and "by=goal" not in page.url
    assert page.locator("#constellation-filters").is_visible()
    assert page.console_errors == []


def test_the_table_by_constellation_shows_each_conveners_load(page, live):
    open_page(page, live, "conveners.html")
    rows = _get(live, "la-compact/conveners")
    data = next(r for r in rows if r["constellation"]["label"] == "L.A. Compact Data Workgroup")
    unite = data["conveners"][0]
    cell = page.locator(f"#table tr[data-id='{data['constellation']['id']}'] td").nth(1)
    text = cell.inner_text()
    assert f"{unite['active_constellations']} active groups, load {unite['load']:g}" in text
    if unite["capacity"] is not None:
        assert f"of {unite['capacity']:g}" in text
    assert "overloaded" in text
    shoot(page, "conveners-load")


# ------------------------------------------------------------------ sortable headers


def _sortable_headers_are_buttons(scope):
    """Every sortable header in `scope` holds a button and carries aria-sort."""
    headers = scope.locator("th:has(button.sort)")
    assert headers.count() >= 1
    for i in range(headers.count()):
        assert headers.nth(i).get_attribute("aria-sort") in ("none", "ascending", "descending")
    assert scope.locator("th.sortable:not(:has(button))").count() == 0
    return headers.count()


def test_sortable_headers_are_buttons_with_aria_sort_that_the_keyboard_reaches(page, live):
    open_page(page, live, "conveners.html")
    partners = page.locator("#table th", has_text="Partners")
    assert partners.get_attribute("aria-sort") == "none"
    # from the search box, Tab goes through the headers of the table, one button each
    page.focus("#search")
    for _ in range(5):  # Constellation, Conveners, Goals, Status, Partners
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Partners"
    page.keyboard.press("Enter")
    assert partners.get_attribute("aria-sort") == "ascending"
    counts = [int(x) for x in _cells(page, "#table", 4)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    page.keyboard.press("Space")
    assert partners.get_attribute("aria-sort") == "descending"
    assert [int(x) for x in _cells(page, "#table", 4)] == sorted(counts, reverse=True)
    # only one column is sorted at a time
    sorted_now = "#table th[aria-sort=descending], #table th[aria-sort=ascending]"
    assert page.locator(sorted_now).count() == 1
    shoot(page, "conveners-sorted")
    _sortable_headers_are_buttons(page.locator("#table"))
    _sortable_headers_are_buttons(page.locator("#overlap"))
    page.check("#view-goal")
    page.wait_for_selector("#goal-table tbody tr")
    _sortable_headers_are_buttons(page.locator("#goal-table"))
    assert page.console_errors == []


def test_every_pages_sortable_headers_are_buttons(page, live):
    base, _, _ = live
    open_page(page, live, "index.html")
    assert _sortable_headers_are_buttons(page.locator("#score-parts")) == 5
    page.goto(f"{base}/map.html?w=la-compact&view=table")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    frame = _frame(page)
    frame.locator("#records-table tbody tr").first.wait_for()
    _sortable_headers_are_buttons(frame.locator("#records-table"))
    frame.locator("#records-table th button.sort", has_text="Ties").focus()
    page.keyboard.press("Enter")
    assert frame.locator("#records-table thead th", has_text="Ties").get_attribute("aria-sort") in (
        "ascending",
        "descending",
    )
    for name in ("commitments.html", "whatif.html", "find.html", "funding.html", "duplicates.html"):
        open_page(page, live, name)
        # no header sorts on a click without being a button
        assert page.locator("th.sortable:not(:has(button))").count() == 0
    assert page.console_errors == []


# ------------------------------------------------------------------ funding by funder


def test_picking_a_funder_changes_all_three_lists_to_its_view(page, live):
    open_page(page, live, "funding.html")
    page.wait_for_selector("#joint .entry")
    whole = _get(live, "la-compact/funding")
    # the picker lists the organizations that fund something, not every organization
    options = page.locator("#funder option")
    listed = [options.nth(i).get_attribute("value") for i in range(options.count())][1:]
    assert listed == [f["id"] for f in whole["funders"]] and len(listed) >= 2
    organizations = _get(live, "la-compact/nodes", kind="organization", limit=1)["total"]
    assert len(listed) < organizations
    for f in whole["funders"]:
        assert f["grants"] >= 1
    funder = "california-community-foundation"
    assert funder in listed
    name = next(f["label"] for f in whole["funders"] if f["id"] == funder)
    seen = _get(live, "la-compact/funding", funder=funder)
    page.select_option("#funder", funder)
    page.wait_for_selector("#seen-from")
    assert f"funder={funder}" in page.url
    lists = [("joint", "joint_opportunities"), ("unfunded", "unfunded")]
    lists.append(("cofunders", "co_funders"))
    for box, key in lists:
        heading = page.inner_text(f"#{box} h2")
        assert name in heading and heading.endswith(f"({len(seen[key])})"), heading
        keys = page.locator(f"#{box} .entry")
        assert [keys.nth(i).get_attribute("data-key") for i in range(keys.count())] == [
            f["key"] for f in seen[key]
        ]
    # the funder's view is not the workspace's: at least its co-funders and unfunded differ
    assert [f["key"] for f in seen["unfunded"]] != [f["key"] for f in whole["unfunded"]]
    assert all(funder in [s["id"] for s in f["subjects"]] for f in seen["co_funders"])
    for card in page.locator("#joint .entry").all():
        assert name in card.locator(".funder-note").inner_text()
    shoot(page, "funding-by-funder")
    # the address holds the funder: a shared link opens its view
    page.goto(page.url)
    page.wait_for_selector("#seen-from")
    assert page.input_value("#funder") == funder
    assert page.inner_text("#unfunded h2").endswith(f"({len(seen['unfunded'])})")
    page.select_option("#funder", "")
    page.wait_for_function("() => !document.getElementById('seen-from')")
    assert page.inner_text("#unfunded h2") == (
        f"Active constellations with no funding ({len(whole['unfunded'])})"
    )
    assert "funder=" not in page.url
    assert page.console_errors == []


# ------------------------------------------------------------------ the front page guides


def test_the_front_page_tells_each_kind_of_user_where_to_start_and_where_to_sign_in(page, live):
    open_page(page, live, "index.html")
    lines = page.locator("#start li")
    assert [lines.nth(i).get_attribute("data-who") for i in range(lines.count())] == [
        "Stewardship group",
        "Backbone staff",
        "Partner organization",
        "Funder",
    ]
    targets = {
        "Stewardship group": "conveners.html",
        "Partner organization": "find.html",
        "Funder": "funding.html",
    }
    for who, target in targets.items():
        href = page.locator(f"#start li[data-who='{who}'] a").first.get_attribute("href")
        assert href.startswith(f"{target}?") and "w=la-compact" in href
    staff = page.locator("#start li[data-who='Backbone staff'] a")
    assert staff.first.get_attribute("href") == "#score-parts"
    assert staff.nth(1).get_attribute("href").startswith("edit.html?")
    assert "sign in at the top right" in page.inner_text("#where-sign-in")
    assert page.locator("#signin #token").is_visible()
    shoot(page, "overview-start")
    # each link opens its page
    page.click("#start li[data-who='Funder'] a")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert page.url.split("?")[0].endswith("/funding.html")
    open_page(page, live, "index.html")
    sign_in(page, live)
    assert "You are signed in as" in page.inner_text("#where-sign-in")
    assert page.console_errors == []
