"""Messages the domain code raises in Chinese (the parts not yet on `cradle.errors`), and the services'
notifications stored in Chinese, declared here by their English message ids so that errors, flash messages and
stored texts can be shown in the request's language.

The zh catalogue maps each id to the exact Chinese the domain code says; a message with `%(name)s` parts is
matched as a pattern (the zh text with each part a wildcard) and its parts are carried into the translation.
`translate` is applied at response time: by the error handler (web/errors.py, which every API refusal is raised into)
and by the templates' `finalize` (terms.localize) for messages shown on pages.
"""

from __future__ import annotations

from cradle.web.nav import N_

MESSAGES = [
    N_("Required"),
    N_("Required (required)"),
    N_("Should be an object"),
    N_("Should be a whole number"),
    N_("Enter the date as YYYY-MM-DD"),
    N_("The file is empty"),
    N_("The form has expired or was not sent from this site; refresh the page and try again."),
    N_("Unknown region code %(code)s"),
    N_("Should be between %(lo)s and %(hi)s"),
    N_("No more than %(n)s characters"),
    # services/bundle.py: the applicant's in-app and SMS texts (SMS go out in Chinese, the default)
    N_(
        "Your birth bundle has been received (%(bundle)s); each department handles its part, and you can follow progress under “My matters”."
    ),
    N_("Birth bundle · %(task)s: %(status)s. Reason: %(reason)s"),
    N_("Birth bundle · %(task)s: %(status)s"),
    N_("Should be one of %(choices)s"),
    N_("Should be a %(level)s region code"),
    N_("Unknown payment frequency %(frequency)s"),
]
