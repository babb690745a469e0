"""The employer answers through the link in the mail: the real SMTP server, the real web
app, the real workflows, and Debian's Chromium driven by Playwright. A second submit, an
expired, a tampered and a forged link, and a form without its CSRF cookie change nothing;
no mail and no page holds the candidate's name or BSN."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import PostgresEventStore
from activities.key_store import PostgresKeyStore
from activities.links import Link, LinkSigner
from domain import future_job, trajectory
from nbm import service
from nbm import stream_service as streams
from nbm.settings import PROJECT_ROOT
from tests import factories as f
from tests.employers.conftest import (
    Mail,
    add_employer,
    add_people,
    forecast_and_request,
    settle,
)

CHROMIUM = Path("/usr/bin/chromium")
HAVE_CHROMIUM = CHROMIUM.exists()
SCREENSHOT = PROJECT_ROOT / "build" / "screenshots" / "employer-form.png"


async def first_link(env: WorkflowEnvironment, mail: Mail) -> str:
    async def arrived() -> bool:
        return bool(mail.mailbox.list())

    await settle(env, arrived, "the request is mailed")
    body = mail.mailbox.list()[0].message().get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"http://127\.0\.0\.1:\d+/antwoord/\S+", body)
    assert found is not None
    return found.group(0)


NOTES = "schuldhulpverlening loopt; twee kinderen, opvang nog niet geregeld"


def assert_no_personal_data(text: str) -> None:
    for secret in (f.CANDIDATE_NAME, f.CANDIDATE_BSN, *f.CANDIDATE_NAME.split(), NOTES):
        assert secret not in text


@pytest.fixture
async def asked(
    ts_env: WorkflowEnvironment,
    employer_worker: Worker,
    employer_page: str,
    task_queue: str,
    keys: PostgresKeyStore,
    mail: Mail,
) -> tuple[str, str, str]:
    """A real trajectory (its candidate's data sealed) attached to a future job whose
    commitment was asked for: (future job id, trajectory id, the link in the mail)."""
    await add_people(ts_env.client, task_queue, keys)
    await add_employer(ts_env.client, task_queue, keys)
    now = await ts_env.get_current_time()
    start, mapped, agreed, _ = f.ready_to_learn(now)
    # The candidate's notes go sealed into the trajectory: they must show up nowhere.
    matched = f.match(personal=f.sealed_personal(family_notes=NOTES, health_notes=NOTES))
    await service.start_trajectory(ts_env.client, task_queue, start, now=now)  # type: ignore[arg-type]
    for command in (mapped, agreed, matched):
        await service.send(ts_env.client, start.trajectory_id, command)  # type: ignore[arg-type]
    tid = start.trajectory_id
    await forecast_and_request(ts_env, task_queue, "fj-page", trajectory_id=tid)
    return "fj-page", tid, await first_link(ts_env, mail)


async def test_the_employer_answers_in_chromium_and_a_second_submit_changes_nothing(
    ts_env: WorkflowEnvironment, asked: tuple[str, str, str], mail: Mail, employer_page: str
) -> None:
    from playwright.async_api import async_playwright

    if not HAVE_CHROMIUM:  # a failure, not a skip: .ci/run installs it
        pytest.fail("Debian's chromium is missing: apt-get install chromium (see .ci/run)")
    fj, tid, link = asked
    client = ts_env.client
    requested: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = await browser.new_page(locale="nl-NL")  # as a Dutch employer sees it
        page.on("request", lambda r: requested.append(r.url))
        await page.goto(link)
        assert await page.get_attribute("html", "lang") == "nl"
        assert await page.locator("h1").inner_text() == "Uw antwoord aan het Werkbedrijf"
        # Every field has its label; the employer sees the job, never the candidate.
        for field in ("plaatsen", "datum", "reden"):
            assert await page.locator(f"label[for={field}]").count() == 1
        html = await page.content()
        assert "helpende zorg" in html and "Zorgcentrum De Linde" in html
        assert_no_personal_data(html)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOT), full_page=True)

        csrf = await page.locator("input[name=csrf]").get_attribute("value")
        await page.get_by_label("Ik geef het aantal plaatsen door").check()
        await page.fill("#plaatsen", "1")
        await page.get_by_role("button", name="Verstuur").click()
        await page.wait_for_load_state()
        assert "Dank u wel" in await page.locator("h1").inner_text()
        state = await streams.future_job_state(client, fj)
        assert state.jobs == 1 and not state.chases[tid].pending  # reduced, chase answered
        version = state.version

        async def recorded() -> bool:  # the future job tells the candidate's trajectory
            return bool((await service.state(client, tid)).employer_answers)

        await settle(ts_env, recorded, "the trajectory records the employer's answer")
        [answered] = (await service.state(client, tid)).employer_answers
        assert (answered.future_job_id, answered.answer) == (
            fj,
            trajectory.EmployerAnswer.CONFIRMED,
        )
        trajectory_version = (await service.state(client, tid)).version

        # The same form sent again (the browser's cookie, the form's own CSRF value): the
        # link is used, nothing changes. Back shows the used page too (no-store).
        again = await page.request.post(
            link, form={"antwoord": "plaatsen", "plaatsen": "1", "csrf": csrf or ""}
        )
        assert again.status == 410 and "al gebruikt" in await again.text()
        await page.go_back()
        assert "al gebruikt" in await page.locator("h1").inner_text()
        await page.goto(link)
        assert "al gebruikt" in await page.locator("h1").inner_text()
        assert (await streams.future_job_state(client, fj)).version == version
        assert (await service.state(client, tid)).version == trajectory_version
        await browser.close()
    assert requested and all(u.startswith(employer_page) for u in requested)  # no network
    assert SCREENSHOT.stat().st_size > 10_000


async def test_forged_expired_tampered_and_csrf_less_answers_change_nothing(
    ts_env: WorkflowEnvironment,
    asked: tuple[str, str, str],
    mail: Mail,
    links: LinkSigner,
    employer_page: str,
    store: PostgresEventStore,
) -> None:
    fj, tid, link = asked
    before = (await streams.future_job_state(ts_env.client, fj)).version
    token = link.rsplit("/", 1)[1]
    expired = links.token(
        Link(f"{fj}.3.commitment-request", fj, tid), made_at=int(time.time()) - 30 * 86400
    )
    forged = LinkSigner(b"another secret of thirty-two bytes!!", timedelta(days=21)).token(
        Link("x", fj, tid)
    )
    answer = {"antwoord": "bevestigen", "csrf": "x"}
    # unsafe: the jar keeps cookies of an IP address (127.0.0.1) too.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        for bad, status, title in (
            (token[:-3] + ("abc" if not token.endswith("abc") else "xyz"), 403, "klopt niet"),
            (expired, 410, "verlopen"),
            (forged, 403, "klopt niet"),
            ("not-a-token", 403, "klopt niet"),
        ):
            for method in ("GET", "POST"):
                async with http.request(
                    method, f"{employer_page}/antwoord/{bad}", data=answer
                ) as r:
                    assert r.status == status, (bad, method)
                    page = await r.text()
                    assert title in page and 'lang="nl"' in page
                    assert r.headers["Referrer-Policy"] == "no-referrer"
        # The genuine link, but the form posted without the cookie it was given.
        async with http.post(link, data=answer) as r:
            assert r.status == 403 and "Het formulier is verlopen" in await r.text()
        # With the page's cookie and a made-up CSRF value: refused as well.
        async with http.get(link) as r:
            form = await r.text()
            assert r.status == 200
            assert_no_personal_data(form)
        async with http.post(link, data=answer) as r:
            assert r.status == 403
        # The real form, with its own CSRF value, and an invalid answer: shown again.
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
        assert csrf is not None
        async with http.post(
            link, data={"antwoord": "plaatsen", "plaatsen": "9", "csrf": csrf.group(1)}
        ) as r:
            assert r.status == 422 and "tussen 0 en 2" in await r.text()
        # Errors are pages in Dutch with the page's headers, not aiohttp's plain text.
        async with http.get(f"{employer_page}/nergens") as r:
            assert r.status == 404 and 'lang="nl"' in await r.text()
            assert "default-src 'none'" in r.headers["Content-Security-Policy"]
        async with http.post(link, data={"x": "y" * 20_000}) as r:
            assert r.status == 413 and "te groot" in await r.text()
    assert (await streams.future_job_state(ts_env.client, fj)).version == before
    assert await store.pool.fetchval("SELECT count(*) FROM link_uses") == 0

    # Answered by phone meanwhile: the link shows that, and changes nothing.
    await streams.future_job_command(
        ts_env.client, fj,
        future_job.RecordCommitment(actor="am-1", trajectory_id=tid,
                                    answer=future_job.CommitmentAnswer.CONFIRMED),
    )  # fmt: skip
    async with aiohttp.ClientSession() as http, http.get(link) as r:
        assert r.status == 410 and "al bekend" in await r.text()
    for stored in mail.mailbox.list():
        assert_no_personal_data(stored.path.read_text(errors="replace"))
