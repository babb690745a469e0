"""The employer's answer page: one form behind a signed, expiring, single-use link.

    python -m nbm.employer_page [--port PORT] [--host HOST]

`GET /antwoord/<token>` shows what the employer may see (the organisation, the function and
the expected date; never anything about the candidate) and a form: confirm, report the
number of places, decline with a reason from a list, or propose another date. `POST` the
same address sends the answer to the future job's workflow as an update whose request id
is the link's, so a retried or double submit is applied once, and records the link as used.
A forged, changed, expired or used link gets a page in Dutch (English below) and changes
nothing. Plain HTML: no JavaScript, labelled fields, `lang` set; CSRF by a double-submit
cookie bound to the link (an HMAC of both under the link secret).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import logging
import secrets
import signal
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from aiohttp import web
from jinja2 import DictLoader, Environment, StrictUndefined
from temporalio.client import Client

from activities import PostgresEventStore
from activities.links import Link, LinkRefused, LinkSigner
from activities.mail import COMMITMENT_NL, dutch_date
from domain import employer, future_job
from domain.shared import COACH_TIME_ZONE, DomainError

from . import stream_service as streams
from .localize import localized
from .logs import configure_logging, get_logger
from .service import ServiceError
from .settings import ConfigError, load_settings
from .temporal import connect

log = get_logger("nbm.employer_page")
CSRF_COOKIE = "nbm_csrf"
MAX_FORM_BYTES = 16 * 1024

DECLINE_REASONS = {
    "geen-vacature": ("Er komt geen vacature", "There will be no vacancy"),
    "minder-plaatsen": ("Minder plaatsen dan verwacht", "Fewer places than expected"),
    "past-niet": ("De baan past niet bij de kandidaat", "The job does not suit the candidate"),
    "anders": ("Een andere reden (wij bellen u)", "Another reason (we will call you)"),
}

_BASE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} – Werkbedrijf</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
fieldset { border: 1px solid #888; margin: 1rem 0; padding: 0.5rem 1rem; }
label { display: block; margin: 0.4rem 0; }
input[type=number], input[type=date], select { font-size: 1rem; padding: 0.2rem; }
button { font-size: 1rem; padding: 0.4rem 1.2rem; margin-top: 1rem; }
.en { color: #444; border-top: 1px solid #ccc; margin-top: 2rem; padding-top: 1rem; }
.error { border-left: 4px solid #b00020; padding-left: 0.8rem; }
</style>
</head>
<body>
<main>
{% block main %}{% endblock %}
</main>
</body>
</html>
"""

_FORM = """{% extends "base.html" %}
{% block title %}Uw antwoord{% endblock %}
{% block main %}
<h1>Uw antwoord aan het Werkbedrijf</h1>
<p><span lang="en">Your answer to the Werkbedrijf</span></p>
<dl>
<dt>Werkgever <span lang="en">(employer)</span></dt><dd>{{ organisation }}</dd>
<dt>Functie <span lang="en">(job)</span></dt><dd>{{ function }}</dd>
<dt>Verwacht per <span lang="en">(expected from)</span></dt><dd>{{ expected_on }}</dd>
<dt>Toezegging <span lang="en">(commitment)</span></dt><dd>{{ commitment }}</dd>
<dt>Plaatsen <span lang="en">(places)</span></dt><dd>{{ jobs }}</dd>
</dl>
{% if problem %}<p class="error" role="alert">{{ problem }}</p>{% endif %}
<form method="post" action="{{ action }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
<fieldset>
<legend>Wat is uw antwoord? <span lang="en">(What is your answer?)</span></legend>
<label><input type="radio" name="antwoord" value="bevestigen" required>
 Ik bevestig de toezegging <span lang="en">(I confirm the commitment)</span></label>
<label><input type="radio" name="antwoord" value="plaatsen">
 Ik geef het aantal plaatsen door <span lang="en">(I report the number of places)</span></label>
<label><input type="radio" name="antwoord" value="andere-datum">
 Ik stel een andere datum voor <span lang="en">(I propose another date)</span></label>
<label><input type="radio" name="antwoord" value="afwijzen">
 Ik kan de toezegging niet geven <span lang="en">(I cannot give the commitment)</span></label>
</fieldset>
<label for="plaatsen">Aantal plaatsen <span lang="en">(number of places)</span></label>
<input type="number" id="plaatsen" name="plaatsen" min="0" max="{{ jobs }}" value="{{ jobs }}">
<label for="datum">Andere datum <span lang="en">(another date)</span></label>
<input type="date" id="datum" name="datum" min="{{ tomorrow }}" max="{{ latest }}">
<label for="reden">Reden als u de toezegging niet kunt geven
 <span lang="en">(reason if you cannot give it)</span></label>
<select id="reden" name="reden">
<option value="">–</option>
{% for value, (nl, en) in reasons.items() %}
<option value="{{ value }}">{{ nl }} / {{ en }}</option>
{% endfor %}
</select>
<div><button type="submit">Verstuur <span lang="en">(Send)</span></button></div>
</form>
<p class="en">Deze pagina toont alleen de baan en de datum. De link in uw mail werkt één
keer, tot {{ valid_days }} dagen na de mail.</p>
<p lang="en">This page shows only the job and its date. The link in your mail works once,
for {{ valid_days }} days after the mail.</p>
{% endblock %}
"""

_MESSAGE = """{% extends "base.html" %}
{% block title %}{{ title_nl }}{% endblock %}
{% block main %}
<h1>{{ title_nl }}</h1>
<p>{{ text_nl }}</p>
<div class="en" lang="en"><h2>{{ title_en }}</h2><p>{{ text_en }}</p></div>
{% endblock %}
"""

PAGES = Environment(
    loader=DictLoader({"base.html": _BASE, "form.html": _FORM, "message.html": _MESSAGE}),
    autoescape=True,
    undefined=StrictUndefined,
)

REFUSALS = {
    "forged": (
        "Deze link klopt niet",
        "De link is niet door het Werkbedrijf gemaakt of is veranderd. Er is niets "
        "vastgelegd. Gebruik de link uit uw mail, of bel uw accountmanager.",
        "This link is not valid",
        "The link was not made by the Werkbedrijf or was changed. Nothing was recorded.",
    ),
    "malformed": (
        "Deze link klopt niet",
        "Dit is geen link van het Werkbedrijf. Er is niets vastgelegd.",
        "This link is not valid",
        "This is not a Werkbedrijf link. Nothing was recorded.",
    ),
    "expired": (
        "Deze link is verlopen",
        "De link in uw mail is niet meer geldig. Er is niets vastgelegd. Uw accountmanager "
        "neemt contact met u op, of u belt zelf.",
        "This link has expired",
        "The link in your mail is no longer valid. Nothing was recorded.",
    ),
    "used": (
        "Deze link is al gebruikt",
        "Met deze link is al geantwoord; een link werkt één keer. Er is niets veranderd.",
        "This link was used already",
        "This link was used to answer before; a link works once. Nothing was changed.",
    ),
    "csrf": (
        "Het formulier is verlopen",
        "Open de link uit uw mail opnieuw en verstuur het formulier nog eens. Er is niets "
        "vastgelegd.",
        "The form has expired",
        "Open the link in your mail again and send the form once more. Nothing was recorded.",
    ),
    "answered": (
        "Uw antwoord is al bekend",
        "Het Werkbedrijf heeft uw antwoord op deze vraag al (bijvoorbeeld telefonisch). Er "
        "is niets veranderd.",
        "Your answer is known already",
        "The Werkbedrijf has your answer to this question already (by phone, perhaps). "
        "Nothing was changed.",
    ),
    "closed": (
        "Deze baan is afgesloten",
        "Voor deze baan kan niets meer worden vastgelegd. Er is niets veranderd.",
        "This job is closed",
        "Nothing more can be recorded for this job. Nothing was changed.",
    ),
}


@dataclass(frozen=True)
class PageConfig:
    links: LinkSigner
    secret: bytes
    secure_cookies: bool
    valid_days: int


def _headers(response: web.Response) -> web.Response:
    response.headers.update(
        {
            "Content-Security-Policy": (
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                "frame-ancestors 'none'; base-uri 'none'"
            ),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",  # the token is in the address
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
        }
    )
    return response


def _page(template: str, status: int = 200, **values: Any) -> web.Response:
    html = PAGES.get_template(template).render(values)
    return _headers(
        web.Response(text=html, content_type="text/html", charset="utf-8", status=status)
    )


def _refused(reason: str, status: int) -> web.Response:
    title_nl, text_nl, title_en, text_en = REFUSALS[reason]
    return _page(
        "message.html", status,
        title_nl=title_nl, text_nl=text_nl, title_en=title_en, text_en=text_en,
    )  # fmt: skip


def _csrf_for(secret: bytes, cookie: str, token: str) -> str:
    return hmac.new(secret, f"{cookie}|{token}".encode(), hashlib.sha256).hexdigest()


ERRORS = {
    404: ("Deze pagina bestaat niet", "Gebruik de link uit uw mail.", "Page not found",
          "Use the link in your mail."),
    405: ("Dit kan hier niet", "Gebruik het formulier uit uw mail.", "Not allowed here",
          "Use the form of your mail."),
    413: ("Het formulier is te groot", "Er is niets vastgelegd.", "The form is too large",
          "Nothing was recorded."),
    500: ("Er ging iets mis", "Er is niets vastgelegd. Probeer het later opnieuw.",
          "Something went wrong", "Nothing was recorded. Please try again later."),
}  # fmt: skip


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Every error as a page in Dutch with the page's headers (not aiohttp's plain text,
    which would also echo the address, and with it the token)."""
    try:
        return await handler(request)  # type: ignore[no-any-return]
    except web.HTTPException as err:
        if err.status < 400:
            raise
        status = err.status if err.status in ERRORS else 404 if err.status < 500 else 500
        title_nl, text_nl, title_en, text_en = ERRORS[status]
    except Exception as err:  # a bug: logged by kind, never with the request
        log.error("page failed", error=type(err).__name__)
        status = 500
        title_nl, text_nl, title_en, text_en = ERRORS[500]
    return _page("message.html", status, title_nl=title_nl, text_nl=text_nl,
                 title_en=title_en, text_en=text_en)  # fmt: skip


def build_app(client: Client, store: PostgresEventStore, config: PageConfig) -> web.Application:
    app = web.Application(client_max_size=MAX_FORM_BYTES, middlewares=[_errors])

    async def link_of(token: str) -> Link | web.Response:
        try:
            link = config.links.check(token)
        except LinkRefused as err:
            log.info("link refused", reason=err.reason)
            return _refused(err.reason, 410 if err.reason == "expired" else 403)
        used = await store.pool.fetchval("SELECT 1 FROM link_uses WHERE link_id = $1", link.link_id)
        if used:
            return _refused("used", 410)
        return link

    async def what_they_see(link: Link) -> tuple[future_job.FutureJob, employer.Employer] | None:
        events = await store.read(link.future_job_id)
        job = future_job.fold(e for e in events if isinstance(e, future_job.Event))
        if job is None:
            return None
        events = await store.read(job.employer_id)
        boss = employer.fold(e for e in events if isinstance(e, employer.Event))
        return (job, boss) if boss is not None else None

    def form(
        request: web.Request, link: Link, job: future_job.FutureJob, boss: employer.Employer,
        token: str, problem: str | None = None, status: int = 200,
    ) -> web.Response:  # fmt: skip
        cookie = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        today = datetime.now(COACH_TIME_ZONE).date()
        response = _page(
            "form.html",
            status,
            organisation=boss.organisation,
            function=job.function,
            expected_on=dutch_date(job.expected_on),
            commitment=COMMITMENT_NL[job.commitment.value],
            jobs=job.jobs,
            action=f"/antwoord/{token}",
            csrf=_csrf_for(config.secret, cookie, token),
            tomorrow=(today + timedelta(days=1)).isoformat(),
            latest=date(today.year + 2, today.month, min(today.day, 28)).isoformat(),
            reasons=DECLINE_REASONS,
            valid_days=config.valid_days,
            problem=problem,
        )
        response.set_cookie(
            CSRF_COOKIE, cookie, httponly=True, samesite="Strict", secure=config.secure_cookies,
            path="/antwoord/",
        )  # fmt: skip
        return response

    async def show(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        link = await link_of(token)
        if isinstance(link, web.Response):
            return link
        seen = await what_they_see(link)
        if seen is None:
            return _refused("forged", 403)
        job, boss = seen
        if job.closed:
            return _refused("closed", 410)
        if not _open_question(job, link):
            return _refused("answered", 410)
        return form(request, link, job, boss, token)

    async def answer(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        link = await link_of(token)
        if isinstance(link, web.Response):
            return link
        data = await request.post()
        cookie = request.cookies.get(CSRF_COOKIE, "")
        sent = str(data.get("csrf", ""))
        if not cookie or not hmac.compare_digest(sent, _csrf_for(config.secret, cookie, token)):
            log.info("answer refused", reason="csrf")
            return _refused("csrf", 403)
        seen = await what_they_see(link)
        if seen is None:
            return _refused("forged", 403)
        job, boss = seen
        if job.closed:
            return _refused("closed", 410)
        if not _open_question(job, link):
            return _refused("answered", 410)
        try:
            commands = _commands(link, job, data)
            _check(job, commands)
        except ValueError as err:
            return form(request, link, job, boss, token, problem=str(err), status=422)
        try:
            for command in commands:
                await streams.future_job_command(client, link.future_job_id, command)
        except ServiceError as err:
            log.warning("answer not applied", future_job_id=link.future_job_id, code=err.code)
            if err.code in ("closed", "future-job-closed"):
                return _refused("closed", 410)
            return _page(
                "message.html", 409,
                title_nl="Uw antwoord is niet vastgelegd",
                text_nl="Het Werkbedrijf kon uw antwoord nu niet vastleggen. Uw accountmanager "
                "neemt contact met u op.",
                title_en="Your answer was not recorded",
                text_en="The Werkbedrijf could not record your answer now; your account "
                "manager will contact you.",
            )  # fmt: skip
        await store.pool.execute(
            "INSERT INTO link_uses (link_id, stream_id, request_id) VALUES ($1, $2, $3) "
            "ON CONFLICT (link_id) DO NOTHING",
            link.link_id,
            link.future_job_id,
            f"link-{link.link_id}",
        )
        log.info("answer recorded", future_job_id=link.future_job_id, commands=len(commands))
        return _page(
            "message.html",
            title_nl="Dank u wel",
            text_nl="Uw antwoord is vastgelegd. U hoeft verder niets te doen.",
            title_en="Thank you",
            text_en="Your answer has been recorded. There is nothing more you need to do.",
        )

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_get("/antwoord/{token}", show)
    app.router.add_post("/antwoord/{token}", answer)
    app.router.add_get("/health", health)
    return app


def _open_question(job: future_job.FutureJob, link: Link) -> bool:
    """Whether the question of this link still waits for an answer."""
    chase = job.chases.get(link.trajectory_id)
    return chase is not None and chase.answer is None


def _check(job: future_job.FutureJob, commands: list[future_job.AnyCommand]) -> None:
    """The domain's own check of the answer, here, so a refusal is shown in the form.

    Raises:
        ValueError: the domain's reason (in the form, above the fields).
    """
    state: future_job.FutureJob | None = job
    now = datetime.now(UTC)
    for command in commands:
        try:
            state = future_job.fold(future_job.decide(state, command, now), state)
        except DomainError as err:
            raise ValueError(f"Dit antwoord kan niet worden vastgelegd: {localized(err)}") from None


def _commands(link: Link, job: future_job.FutureJob, data: Any) -> list[future_job.AnyCommand]:
    """The commands of one submitted form; `ValueError` (in Dutch) if it does not add up."""
    actor = f"employer:{job.employer_id}"[:64]
    base = f"link-{link.link_id}"[:60]
    tid = link.trajectory_id
    choice = str(data.get("antwoord", ""))
    confirmed = future_job.RecordCommitment(
        actor=actor, request_id=f"{base}.c", trajectory_id=tid,
        answer=future_job.CommitmentAnswer.CONFIRMED,
    )  # fmt: skip
    if choice == "bevestigen":
        return [confirmed]
    if choice == "plaatsen":
        try:
            places = int(str(data.get("plaatsen", "")))
        except ValueError:
            raise ValueError("Vul het aantal plaatsen in als getal. / Enter a number.") from None
        if not 0 <= places <= job.jobs:
            raise ValueError(f"Het aantal plaatsen ligt tussen 0 en {job.jobs}.")
        if places == 0:
            return [_declined(actor, base, tid, "geen-vacature")]
        if places == job.jobs:
            return [confirmed]
        return [
            future_job.ReduceJobs(
                actor=actor, request_id=f"{base}.r", jobs=places,
                reason="opgegeven door de werkgever",
            ),
            confirmed,
        ]  # fmt: skip
    if choice == "andere-datum":
        try:
            day = date.fromisoformat(str(data.get("datum", "")))
        except ValueError:
            raise ValueError("Kies een datum. / Choose a date.") from None
        return [
            future_job.MoveExpectedDate(
                actor=actor, request_id=f"{base}.d", expected_on=day,
                reason="voorgesteld door de werkgever",
            ),
            confirmed,
        ]  # fmt: skip
    if choice == "afwijzen":
        reason = str(data.get("reden", ""))
        if reason not in DECLINE_REASONS:
            raise ValueError("Kies een reden. / Choose a reason.")
        return [_declined(actor, base, tid, reason)]
    raise ValueError("Kies een antwoord. / Choose an answer.")


def _declined(actor: str, base: str, tid: str, reason: str) -> future_job.RecordCommitment:
    return future_job.RecordCommitment(
        actor=actor, request_id=f"{base}.n", trajectory_id=tid,
        answer=future_job.CommitmentAnswer.DECLINED, reason=reason,
    )  # fmt: skip


async def serve(host: str, port: int) -> None:
    settings = load_settings()
    configure_logging(settings.log_format, settings.log_level)
    secret = settings.resolved_link_secret()
    config = PageConfig(
        links=LinkSigner(secret, timedelta(days=settings.link_days)),
        secret=secret,
        secure_cookies=settings.resolved_employer_page_url().startswith("https://"),
        valid_days=settings.link_days,
    )
    # aiohttp's own server log prints a malformed request with its address (the token):
    # those requests get their 400 and nothing more; our handlers log by kind.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    store = await PostgresEventStore.connect(settings.resolved_database_url(), max_size=4)
    client = await connect(settings)
    runner = web.AppRunner(build_app(client, store, config), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("employer page started", host=host, port=port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="The employer's answer page")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    try:
        port = args.port if args.port is not None else load_settings().employer_page_port
        asyncio.run(serve(args.host, port))
    except (ConfigError, asyncpg.PostgresError, OSError) as err:
        get_logger("nbm.employer_page").error("cannot start", problem=str(err))
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
