"""The mails to employers, Dutch first with an English version below, as Jinja2 templates.

Autoescaped in HTML. What a template may show is what the employer may see: the
organisation, the function, the date, the Werkbedrijf's reference of the trajectory. Never a
candidate's name, BSN, health, debts or family matters: the templates get none of them.
"""

from __future__ import annotations

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

_TEXT_FOOT = """
--
Werkbedrijf · Nieuwe Banen Methodiek
Kenmerk / reference: {{ future_job_id }} / {{ trajectory_id }}
"""

_HTML_HEAD = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{{ subject }}</title></head><body>
"""
_HTML_FOOT = """<hr><p><small>Werkbedrijf · Nieuwe Banen Methodiek ·
Kenmerk / reference: {{ future_job_id }} / {{ trajectory_id }}</small></p></body></html>
"""

TEMPLATES: dict[str, str] = {
    "commitment-request.subject": (
        "Verzoek om uw toezegging: {{ function }} / Request for your commitment"
    ),
    "commitment-request.txt": """Beste {{ contact_name }},

{{ organisation }} verwacht per {{ expected_on_nl }} de functie "{{ function }}" te
kunnen bieden. Een kandidaat gaat deze baan bij u leren. Wilt u uw toezegging
({{ commitment_nl }}) bevestigen, het aantal plaatsen doorgeven of een andere datum
voorstellen? Dat kan met deze persoonlijke link (geldig tot {{ valid_until }}, één keer
te gebruiken):

{{ link }}

Dear {{ contact_name }},

{{ organisation }} expects to offer the job "{{ function }}" from {{ expected_on }}. A
candidate will learn this job with you. Please confirm your commitment
({{ commitment_en }}), report the number of places or propose another date with the
personal link above (valid until {{ valid_until }}, single use).
"""
    + _TEXT_FOOT,
    "commitment-request.html": _HTML_HEAD
    + """<p>Beste {{ contact_name }},</p>
<p>{{ organisation }} verwacht per {{ expected_on_nl }} de functie „{{ function }}” te
kunnen bieden. Een kandidaat gaat deze baan bij u leren. Wilt u uw toezegging
({{ commitment_nl }}) bevestigen, het aantal plaatsen doorgeven of een andere datum
voorstellen?</p>
<p><a href="{{ link }}">Geef uw antwoord</a> (geldig tot {{ valid_until }}, één keer te
gebruiken)</p>
<hr lang="en">
<p lang="en">Dear {{ contact_name }}, {{ organisation }} expects to offer the job
“{{ function }}” from {{ expected_on }}. A candidate will learn this job with you. Please
<a href="{{ link }}">confirm your commitment</a> ({{ commitment_en }}), report the number
of places or propose another date (valid until {{ valid_until }}, single use).</p>
"""
    + _HTML_FOOT,
    "commitment-reminder.subject": (
        "Herinnering {{ reminder }}: uw toezegging voor {{ function }} / Reminder"
    ),
    "commitment-reminder.txt": """Beste {{ contact_name }},

Wij hebben nog geen antwoord op ons verzoek om uw toezegging ({{ commitment_nl }}) voor
de functie "{{ function }}" per {{ expected_on_nl }}. Dit is herinnering {{ reminder }}.
Uw antwoord geeft u met deze link (geldig tot {{ valid_until }}, één keer te gebruiken):

{{ link }}

Dear {{ contact_name }},

We have not yet had your answer to our request for your commitment ({{ commitment_en }})
to the job "{{ function }}" from {{ expected_on }}. This is reminder {{ reminder }}.
Please answer with the link above (valid until {{ valid_until }}, single use).
"""
    + _TEXT_FOOT,
    "commitment-reminder.html": _HTML_HEAD
    + """<p>Beste {{ contact_name }},</p>
<p>Wij hebben nog geen antwoord op ons verzoek om uw toezegging ({{ commitment_nl }})
voor de functie „{{ function }}” per {{ expected_on_nl }}. Dit is herinnering
{{ reminder }}.</p>
<p><a href="{{ link }}">Geef uw antwoord</a> (geldig tot {{ valid_until }}, één keer te
gebruiken)</p>
<hr lang="en">
<p lang="en">Dear {{ contact_name }}, we have not yet had your answer to our request for
your commitment ({{ commitment_en }}) to the job “{{ function }}” from {{ expected_on }}.
This is reminder {{ reminder }}. <a href="{{ link }}">Answer here</a> (valid until
{{ valid_until }}, single use).</p>
"""
    + _HTML_FOOT,
}

MAIL_TEMPLATES = ("commitment-request", "commitment-reminder")

ENVIRONMENT = Environment(
    loader=DictLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,  # a missing value is an error, not an empty hole in a mail
    keep_trailing_newline=True,
)


def render(template: str, values: dict[str, object]) -> tuple[str, str, str]:
    """The subject, the text and the HTML of `template` with `values`."""
    subject = ENVIRONMENT.get_template(f"{template}.subject").render(values)
    text = ENVIRONMENT.get_template(f"{template}.txt").render(values)
    html = ENVIRONMENT.get_template(f"{template}.html").render({**values, "subject": subject})
    return " ".join(subject.split()), text, html
