"""The nonce of one response. The site's Content-Security-Policy lets an
inline script run only when it carries this nonce, so the site's own inline
scripts run and a script that reaches a page any other way does not.

The outermost ASGI wrapper (`plugins/guard_headers.py`) makes a new one for
every request and keeps it in the request's scope; the policy header and the
templates (as `csp_nonce`) read it from there. A page the site kept and
answers again (`serve.PageCache`) gets a new one too (`renewed`): a nonce
that stayed the same could be read from one answer and written into a
script that reached the next.
"""

from __future__ import annotations

import re
import secrets

SCOPE_KEY = "csp_nonce"
POLICY = b"content-security-policy"
IN_POLICY = re.compile(rb"'nonce-([\w-]+)'")


def with_nonce(scope: dict) -> tuple[dict, str]:
    """A copy of the scope carrying a new nonce (128 bits), and the nonce."""
    nonce = secrets.token_urlsafe(16)
    return {**scope, SCOPE_KEY: nonce}, nonce


def nonce_of(request) -> str:
    """The request's nonce. Empty for a page rendered without a request:
    its inline scripts then do not run, which is safe."""
    return request.scope.get(SCOPE_KEY, "") if request is not None else ""


def renewed(start: dict, body: bytes) -> tuple[dict, bytes]:
    """A kept answer with its nonce, in the policy and wherever the page
    wrote it, replaced by a new one of the same length."""
    policy = next((value for name, value in start.get("headers", []) if name.lower() == POLICY), b"")
    found = IN_POLICY.search(policy)
    if found is None:
        return start, body
    old, new = found.group(1), secrets.token_urlsafe(16).encode()
    headers = [(name, value.replace(old, new) if name.lower() == POLICY else value)
               for name, value in start["headers"]]
    return dict(start, headers=headers), body.replace(old, new)
