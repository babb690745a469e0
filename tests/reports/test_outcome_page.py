"""The outcome report's page in headless Chromium (Debian's, driven by Playwright): its charts
are there, the small programme is withheld, and nothing is fetched from anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbm import i18n
from nbm.reports import html
from nbm.reports.outcomes import GroupBy, TrajectoryFacts, Window, outcome_report

from . import scenario

CHROMIUM = Path("/usr/bin/chromium")
HAVE_CHROMIUM = CHROMIUM.exists()


@pytest.fixture
def page_file(facts: list[TrajectoryFacts], tmp_path: Path) -> Path:
    report = outcome_report(facts, Window(None, None, scenario.AS_OF), by=GroupBy.PROGRAMME)
    i18n.set_language("nl")
    try:
        text = html.render(report, organisation="Werkbedrijf Lelystad", generated_on="2028-06-30")
    finally:
        i18n.set_language("en")
    path = tmp_path / "outcomes.html"
    path.write_text(text, encoding="utf-8")
    return path


async def test_the_page_in_chromium_has_its_charts_and_fetches_nothing(
    page_file: Path, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright

    if not HAVE_CHROMIUM:  # a failure, not a skip: .ci/run installs it
        pytest.fail("Debian's chromium is missing: apt-get install chromium (see .ci/run)")
    requested: list[str] = []
    url = page_file.as_uri()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = await browser.new_page(locale="nl-NL")
            page.on("request", lambda r: requested.append(r.url))
            await page.goto(url)
            await page.wait_for_load_state("networkidle")
            assert await page.get_attribute("html", "lang") == "nl"
            assert "Resultaten" in await page.locator("h1").inner_text()
            captions = await page.locator("figure figcaption").all_inner_texts()
            assert captions == [
                "Trechter: trajecten die elke stap bereikten",
                "Banen per jaar tegen het doel",
                "Tijd tot een baan (weken na de start)",
            ]
            assert await page.locator("figure svg").count() == 3
            for svg in await page.locator("figure svg").all():
                box = await svg.bounding_box()
                assert box is not None and box["width"] > 200 and box["height"] > 100
            # The chart titles are text inside the SVGs (searchable, readable).
            funnel = await page.locator("figure svg").first.inner_html()
            assert "1 toekomstige baan" in funnel and "6 reguliere baan" in funnel
            jobs = await page.locator("figure svg").nth(1).inner_html()
            assert "doel: 150 per jaar" in jobs
            # Programme B's row: every cell withheld.
            row = page.locator("tr", has_text="large-scale-growth").first
            cells = await row.locator("td.suppressed").all_inner_texts()
            assert cells and set(cells) == {"<5"}
            shot = tmp_path / "outcomes.png"
            await page.screenshot(path=str(shot), full_page=True)
        finally:
            await browser.close()
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    # Only the page itself: no font, script, style or image from anywhere.
    assert requested == [url], requested
