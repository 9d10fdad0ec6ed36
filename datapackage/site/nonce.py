"""The nonce of one response. The site's Content-Security-Policy lets an
inline script run only when it carries this nonce, so the site's own inline
scripts run and a script that reaches a page any other way does not.

The outermost ASGI wrapper (`plugins/guard_headers.py`) makes a new one for
every request and keeps it in the request's scope; the policy header and the
templates (as `csp_nonce`) read it from there.
"""

from __future__ import annotations

import secrets

SCOPE_KEY = "csp_nonce"


def with_nonce(scope: dict) -> tuple[dict, str]:
    """A copy of the scope carrying a new nonce (128 bits), and the nonce."""
    nonce = secrets.token_urlsafe(16)
    return {**scope, SCOPE_KEY: nonce}, nonce


def nonce_of(request) -> str:
    """The request's nonce. Empty for a page rendered without a request:
    its inline scripts then do not run, which is safe."""
    return request.scope.get(SCOPE_KEY, "") if request is not None else ""
