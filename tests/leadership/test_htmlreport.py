"""`martechgov report`: a self-contained, escaped HTML catalog, opened in a real browser.

The browser test drives Debian's chromium (/usr/bin/chromium) with Playwright and skips
only when that binary is absent. It saves a screenshot under pytest's tmp dir; with
MARTECHGOV_UPDATE_SCREENSHOT=1 it also refreshes docs/report.png for the README.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from martechgov.cli import main

from ..conftest import DATA, ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HOSTILE = "<script>alert(1)</script>"
SHOT = 60_000  # ms: a full-page screenshot on a busy 2-core machine can take a while
_URL_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|xlink:href|poster|data)\s*=\s*
                                (?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.VERBOSE | re.I)


def write_report(runner: CliRunner, out: Path, *paths: str) -> str:
    result = runner.invoke(main, ["report", *paths, "-o", str(out), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {out / 'index.html'}\n"
    return (out / "index.html").read_text(encoding="utf-8")


def hostile_requests(directory: Path) -> Path:
    """The fixtures plus a request whose name, vendor and owner try to inject HTML."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in (DATA / "leadership").glob("*.yaml"):
        text = path.read_text()
        if path.name == "brand-survey.yaml":
            text = (text.replace("name: Brand Survey", f"name: {json.dumps(HOSTILE)}")
                    .replace("vendor: Umfrage GmbH", "vendor: <img src=x onerror=alert(2)>"))
        (directory / path.name).write_text(text)
    return directory


def test_the_report_fetches_nothing_from_anywhere(runner: CliRunner, in_root: Path,
                                                  tmp_path: Path) -> None:
    page = write_report(runner, tmp_path / "site")
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["index.html"]
    links = [next(v for v in match.groups() if v is not None)
             for match in _URL_ATTRIBUTE.finditer(page)]
    assert links, "expected in-page links"
    assert all(link.startswith(("#", "data:")) for link in links), links
    assert not re.search(r"https?://", " ".join(links))
    assert "@import" not in page and "url(http" not in page
    assert "default-src 'none'" in page  # the browser refuses any request we missed
    assert page.count("<script") == 1 and page.count("<style") == 1


def test_the_report_shows_inventory_due_map_and_findings(runner: CliRunner, in_root: Path,
                                                         tmp_path: Path) -> None:
    page = write_report(runner, tmp_path / "site")
    assert page.count('<tr data-decision="') == 13
    assert '<select id="decision">' in page and '<input id="filter"' in page
    due = page[page.index('id="due"'):page.index('id="inventory"')]
    assert "2026-12-02 cancel by, 2027-01-31 renews" in due and "HubSpot" in due
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count('<g class="node ') == 8 + 4  # allowed tools and their systems
    assert svg.count('<g class="edge personal">') == 11
    assert 'marker-start="url(#arrow-personal)"' in svg  # inbound: arrow at the tool
    # Mailchimp (denied) is in the findings with its fix, but not on the map.
    assert "Mailchimp Standard" not in svg
    assert "Ask the vendor to enable SAML or OIDC SSO" in page
    assert page.count('<details class="request"') == 13


def test_the_headline_is_what_the_stack_costs(runner: CliRunner, in_root: Path,
                                              tmp_path: Path) -> None:
    page = write_report(runner, tmp_path / "site")
    header = page[page.index("<header>"):page.index("</header>")]
    # The five approved requests: 1,980 EUR and 31,900 USD. Never the 184,300 USD of
    # every request together, which added 31,200 USD denied and 121,200 USD in review.
    assert '<li class="headline"><b>1,980 EUR<br>31,900 USD</b>per year: what the stack ' \
           "costs (5 in use or approved)</li>" in header
    assert "<b>121,200 USD</b>in review, not counted (3)" in header
    assert "<b>5,000 EUR; 31,200 USD</b>denied or invalid, not counted (5)" in header
    assert "184,300" not in page and "6,980" not in page
    money = page[page.index('id="money"'):page.index('id="due"')]
    assert '<td data-label="team">Demand Generation</td>' in money
    assert "No discovery results were given" in page  # the shadow-IT section says how


def test_the_report_escapes_untrusted_text(runner: CliRunner, tmp_path: Path) -> None:
    page = write_report(runner, tmp_path / "site", str(hostile_requests(tmp_path / "req")),
                        "--include-denied")
    assert HOSTILE not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert page.count("<script") == 1


def test_an_unwritable_output_is_exit_2(runner: CliRunner, in_root: Path,
                                        tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = runner.invoke(main, ["report", "-o", str(blocker / "site")])
    assert result.exit_code == 2
    assert result.stderr.startswith("martechgov: error: cannot write the report to ")
    assert "Traceback" not in result.output


# --- in a real browser ---------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; .ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page that records console errors, page errors, dialogs and every request."""

    def __init__(self, browser: Any, width: int = 1400, height: int = 1000) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.page.set_default_timeout(5000)  # a missing element fails fast
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"),
                                          d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        return self.page

    def check_clean(self, path: Path) -> None:
        assert self.errors == []
        # The page itself (once per visit) and nothing else: no CDN, font, favicon...
        assert set(self.requests) == {path.resolve().as_uri()}, self.requests


def sort_by(page: Any, column: str) -> None:
    page.locator("#inventory-table thead button",
                 has_text=re.compile(f"^{re.escape(column)}$")).click()


def visible_tools(page: Any) -> list[str]:
    return page.locator("#inventory-table tbody tr:visible td:first-child").all_inner_texts()


def test_the_report_works_in_chromium(browser: Any, runner: CliRunner, in_root: Path,
                                      tmp_path: Path) -> None:
    write_report(runner, tmp_path / "site")
    index = tmp_path / "site" / "index.html"
    watched = Watched(browser)
    page = watched.open(index)
    table, svg = page.locator("#inventory-table"), page.locator("#flow-map")
    assert table.is_visible() and svg.is_visible()
    assert svg.bounding_box()["height"] > 300
    assert page.locator("#flow-map g.edge.personal").count() == 11
    assert len(visible_tools(page)) == 13

    sort_by(page, "tool")
    tools = visible_tools(page)
    assert tools == sorted(tools, key=str.lower) and tools[0] == "Google Analytics 4"
    sort_by(page, "tool")
    assert visible_tools(page)[0] == "ZoomInfo SalesOS"
    header = page.locator("#inventory-table th").first
    assert header.get_attribute("aria-sort") == "descending"
    sort_by(page, "cancel by")  # dates; empty cells last
    assert visible_tools(page)[:2] == ["HubSpot Marketing Hub", "Semrush"]

    page.fill("#filter", "zoom")
    assert sorted(visible_tools(page)) == ["Zoom Webinars", "ZoomInfo SalesOS"]
    assert page.inner_text("#shown") == "2 of 13 shown"
    page.select_option("#decision", "review")
    assert visible_tools(page) == ["ZoomInfo SalesOS"]
    page.fill("#filter", "")
    assert sorted(visible_tools(page)) == ["HubSpot Marketing Hub", "Twilio Segment",
                                           "ZoomInfo SalesOS"]
    page.select_option("#decision", "")

    page.locator("#flow-map a").first.click()  # a tool on the map opens its findings
    assert page.evaluate("location.hash").startswith("#req-")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True, timeout=SHOT)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    watched.check_clean(index)


def save_readme_screenshot(watched: Watched, index: Path) -> None:
    """docs/report.png: the page from its title down to the end of the shadow-IT list."""
    page = watched.open(index)
    bottom = page.evaluate("document.getElementById('shadow').getBoundingClientRect().bottom")
    page.screenshot(path=str(ROOT / "docs" / "report.png"), full_page=True, timeout=SHOT,
                    clip={"x": 0, "y": 0, "width": 1400, "height": bottom + 16})


def test_hostile_text_stays_text_in_chromium(browser: Any, runner: CliRunner,
                                             tmp_path: Path) -> None:
    write_report(runner, tmp_path / "site", str(hostile_requests(tmp_path / "req")),
                 "--include-denied")
    index = tmp_path / "site" / "index.html"
    watched = Watched(browser)
    page = watched.open(index)
    assert HOSTILE in visible_tools(page)
    assert page.locator("#flow-map").inner_html().count("&lt;script&gt;") >= 1
    assert page.locator("img").count() == 0
    watched.check_clean(index)  # no alert() dialog, no error, no request


# --- with discovery's results, at desktop and phone width ----------------------------

SAMPLES = [DATA / "exports" / name for name in
           ("okta-app-usage.csv", "google-oauth-token-audit.csv", "expenses.csv")]
# Why an element is not fully readable, or "" when it is: inside the viewport, not cut
# off by a scrolling or clipping frame (a table wrapper, the map), not covered by
# another element (the pinned inventory column).
_UNREADABLE = """(el) => {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) { return "no box"; }
  if (r.left < -0.5 || r.right > window.innerWidth + 0.5) {
    return "outside the viewport: " + r.left + " to " + r.right; }
  for (let a = el.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX !== "visible") {
      const b = a.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5) {
        return "cut off by " + a.tagName + "." + a.className; }
    }
  }
  const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  if (!hit || !(el.contains(hit) || hit.contains(el))) {
    return "covered by " + (hit ? hit.tagName + "." + hit.className : "nothing"); }
  return "";
}"""


@pytest.fixture(scope="module")
def shadow_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example requests' report with the sample exports' shadow IT."""
    out = tmp_path_factory.mktemp("shadow")
    runner = CliRunner()
    found = runner.invoke(main, ["discover", *map(str, SAMPLES), "--requests",
                                 str(ROOT / "requests"), "--policies", str(ROOT / "policies"),
                                 "--as-of", "2026-11-23", "--format", "json"])
    assert found.exit_code == 1, found.output  # shadow IT found
    (out / "shadow.json").write_text(found.stdout)
    result = runner.invoke(main, ["report", str(ROOT / "requests"), "--policies",
                                  str(ROOT / "policies"), "-o", str(out / "site"),
                                  "--as-of", "2026-11-23", "--discover",
                                  str(out / "shadow.json")])
    assert result.exit_code == 0, result.output
    return out / "site" / "index.html"


def test_the_report_lists_shadow_it_and_what_is_in_use(shadow_site: Path) -> None:
    page = shadow_site.read_text(encoding="utf-8")
    shadow = page[page.index('id="shadow"'):page.index('id="lifecycle"')]
    assert "11 tools in use without an approved request" in shadow
    assert '<td data-label="tool">Canva</td>' in shadow
    assert '<td data-label="request">hotjar (deny)</td>' in shadow
    assert '<li class="alert"><b>11</b>tools used without approval</li>' in page
    # Approved and seen in the exports: in use (Typeform, Semrush, Zoom Webinars).
    assert page.count('data-status="in-use"') == 3
    assert '<li><b>3</b>in use</li>' in page


def _readable(page: Any, locator: Any) -> str:
    element = locator.element_handle()
    assert element is not None
    # Scroll the page only vertically: scrolling frames sideways would hide the problem.
    page.evaluate("(el) => window.scrollTo(0, el.getBoundingClientRect().top + "
                  "window.scrollY - window.innerHeight / 3)", element)
    return str(page.evaluate(_UNREADABLE, element))


@pytest.mark.parametrize("width", [1400, 390])
def test_key_text_is_readable_on_desktop_and_phone(browser: Any, shadow_site: Path,
                                                   tmp_path: Path, width: int) -> None:
    watched = Watched(browser, width, 844 if width < 500 else 1000)
    page = watched.open(shadow_site)
    # Nothing makes the page wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    due = page.locator("#due tbody tr").first
    key_text = {
        "what the stack costs": page.locator("li.headline b"),
        "not counted": page.locator(".cards li", has_text="in review, not counted"),
        "due: what": due.locator("td").nth(1),
        "due: cost": due.locator("td", has_text="43,200 USD"),
        "due: owner": due.locator("td", has_text="priya.raman@example.com"),
        "top risk": page.locator("#risk tbody tr").first.locator("td").first,
        "its reason": page.locator("#risk tbody tr").first.locator("td").nth(3),
        "shadow tool": page.locator("#shadow tbody td", has_text="Canva").first,
        "its spend": page.locator("#shadow tbody tr").first.locator("td").nth(3),
        "inventory tool": page.locator("#inventory-table tbody td.tool").first,
        "inventory status": page.locator("#inventory-table tbody tr").first.locator(
            ".status"),
        "first tool on the map": page.locator("#flow-map g.node text.n").first,
    }
    problems = {what: why for what, locator in key_text.items()
                if (why := _readable(page, locator))}
    assert problems == {}
    frame = page.locator(".map-wrap")
    box = frame.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    scrolls = page.evaluate("(el) => el.scrollWidth > el.clientWidth", frame.element_handle())
    assert scrolls == (width < 900)  # on a phone the map scrolls inside its frame
    page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True,
                    timeout=SHOT)
    if width > 1000 and os.environ.get("MARTECHGOV_UPDATE_SCREENSHOT") == "1":
        save_readme_screenshot(watched, shadow_site)
    watched.check_clean(shadow_site)


def test_flows_of_denied_tools_are_grey(runner: CliRunner, in_root: Path,
                                        tmp_path: Path) -> None:
    page = write_report(runner, tmp_path / "site", "--include-denied")
    svg = page[page.index("<svg"):page.index("</svg>")]
    # Meta Pixel and Hotjar are denied: their flows carry personal data but are grey.
    assert svg.count('<g class="edge denied">') >= 2
    assert 'stroke="#98a2b3" stroke-width="1.3" stroke-dasharray="6 4"' in svg
    assert "stored in us" in svg and "stored in eu, us" in svg
