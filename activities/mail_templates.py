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
    "vacancy-confirmation.subject": (
        "Is de baan er per {{ job_on_nl }}? {{ function }} / Is the job there?"
    ),
    "vacancy-confirmation.txt": """Beste {{ contact_name }},

Over enkele weken rondt de kandidaat het inleren voor de functie "{{ function }}" bij
{{ organisation }} af. Is de baan er per {{ job_on_nl }}? Bevestig het, of laat het ons
weten als dat niet zo is, met deze link (geldig tot {{ valid_until }}, één keer te
gebruiken):

{{ link }}

Dear {{ contact_name }},

In a few weeks the candidate completes learning the job "{{ function }}" at
{{ organisation }}. Is the job there from {{ job_on }}? Please confirm, or tell us if it
is not, with the link above (valid until {{ valid_until }}, single use).
"""
    + _TEXT_FOOT,
    "vacancy-confirmation.html": _HTML_HEAD
    + """<p>Beste {{ contact_name }},</p>
<p>Over enkele weken rondt de kandidaat het inleren voor de functie „{{ function }}” bij
{{ organisation }} af. Is de baan er per {{ job_on_nl }}?</p>
<p><a href="{{ link }}">Geef uw antwoord</a> (geldig tot {{ valid_until }}, één keer te
gebruiken)</p>
<hr lang="en">
<p lang="en">Dear {{ contact_name }}, in a few weeks the candidate completes learning the
job “{{ function }}” at {{ organisation }}. Is the job there from {{ job_on }}?
<a href="{{ link }}">Answer here</a> (valid until {{ valid_until }}, single use).</p>
"""
    + _HTML_FOOT,
    "check-in.subject": "Even bijpraten: {{ function }} / Checking in",
    "check-in.txt": """Beste {{ contact_name }},

Er leren nu {{ learning }} kandida(a)t(en) voor de functie "{{ function }}" bij
{{ organisation }} (verwacht per {{ expected_on_nl }}). Uw accountmanager belt u deze
week voor een kort gesprek: hoe gaat het, en staat de baan nog?

Dear {{ contact_name }},

{{ learning }} candidate(s) now learn the job "{{ function }}" at {{ organisation }}
(expected from {{ expected_on }}). Your account manager will call you this week: how is
it going, and is the job still there?
"""
    + _TEXT_FOOT,
    "check-in.html": _HTML_HEAD
    + """<p>Beste {{ contact_name }},</p>
<p>Er leren nu {{ learning }} kandida(a)t(en) voor de functie „{{ function }}” bij
{{ organisation }} (verwacht per {{ expected_on_nl }}). Uw accountmanager belt u deze week
voor een kort gesprek: hoe gaat het, en staat de baan nog?</p>
<hr lang="en">
<p lang="en">Dear {{ contact_name }}, {{ learning }} candidate(s) now learn the job
“{{ function }}” at {{ organisation }} (expected from {{ expected_on }}). Your account
manager will call you this week.</p>
"""
    + _HTML_FOOT,
    "evaluation-invitation.subject": (
        "Uitnodiging evaluatie {{ due_on_nl }}: {{ function }} / Invitation to the evaluation"
    ),
    "evaluation-invitation.txt": """Beste {{ contact_name }},

U bent uitgenodigd voor de evaluatie van het inleertraject voor de functie
"{{ function }}" bij {{ organisation }}, in de week van {{ due_on_nl }}. De werkcoach
neemt contact op om een tijd af te spreken.

Dear {{ contact_name }},

You are invited to the evaluation of the learning period for the job "{{ function }}" at
{{ organisation }}, in the week of {{ due_on }}. The work coach will be in touch to
agree a time.
"""
    + _TEXT_FOOT,
    "evaluation-invitation.html": _HTML_HEAD
    + """<p>Beste {{ contact_name }},</p>
<p>U bent uitgenodigd voor de evaluatie van het inleertraject voor de functie
„{{ function }}” bij {{ organisation }}, in de week van {{ due_on_nl }}. De werkcoach neemt
contact op om een tijd af te spreken.</p>
<hr lang="en">
<p lang="en">Dear {{ contact_name }}, you are invited to the evaluation of the learning
period for the job “{{ function }}” at {{ organisation }}, in the week of {{ due_on }}.</p>
"""
    + _HTML_FOOT,
}

MAIL_TEMPLATES = (
    "commitment-request", "commitment-reminder", "vacancy-confirmation", "check-in",
    "evaluation-invitation",
)  # fmt: skip
LINKED = frozenset({"commitment-request", "commitment-reminder", "vacancy-confirmation"})
"""The mails that carry an answer link."""

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
