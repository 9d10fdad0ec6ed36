"""Security headers on every response, errors and static files included.

The Content-Security-Policy loads nothing from another origin: no external
script, style, image, font or connection, no plugins, no framing, forms
posting only here, and no `<base>` rewriting links.

Scripts are strict: files from this site, and inline scripts only when they
carry the response's nonce (`nonce="{{ csp_nonce }}"` in the templates, a new
one per response: `datapackage/site/nonce.py`). So inline event handlers
(`onclick=`), `javascript:` links and any script that reached a page other
than through our templates do not run. Datasette's own templates that write
inline scripts are copied into `datapackage/site/templates` with the nonce added.

Styles are held to the same rule: files from this site, `<style>` blocks
carrying the nonce, and the data dictionary's one fixed block, allowed by its
hash (it is a release file, served as written), and the one fixed block that
Datasette's SQL editor script (cm-resize) adds for its resize handle, allowed
by its hash as read from that script. Style attributes do not apply,
so Datasette's templates that write them are copied into `datapackage/site/templates`
with classes of `static/site.css` instead. Scripts may still set styles through
the DOM (menus and the SQL editor do), which the policy does not limit.
"""

import base64
import hashlib
import json
import re
from pathlib import Path

import datasette
from datasette import hookimpl

from datapackage.publish.dictionary import STYLE
from datapackage.site.nonce import nonce_of, with_nonce

RESIZE_SCRIPT = Path(datasette.__file__).parent / "static" / "cm-resize-1.0.1.min.js"


def _hash(style: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"


def _resize_handle_style() -> list[str]:
    """The hash of the style the resize script injects (a JavaScript string,
    which JSON reads), or nothing when the script is not there as expected."""
    found = re.search(r'createElement\("style"\)\)\.textContent=("(?:[^"\\]|\\.)*")',
                      RESIZE_SCRIPT.read_text(encoding="utf-8") if RESIZE_SCRIPT.is_file() else "")
    # It appends the element empty, then fills it: both contents are checked.
    return [_hash(""), _hash(json.loads(found.group(1)))] if found else []


STYLE_HASHES = " ".join([_hash(STYLE), *_resize_handle_style()])

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'nonce-{nonce}'",
    f"style-src 'self' 'nonce-{{nonce}}' {STYLE_HASHES}",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
}
POLICY_HEADER = b"content-security-policy"


def _secured(message: dict, nonce: str) -> dict:
    ours = {**HEADERS, POLICY_HEADER: POLICY.format(nonce=nonce).encode()}
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in ours]
    return dict(message, headers=headers + list(ours.items()))


@hookimpl(trylast=True)
def asgi_wrapper(datasette):
    # trylast: applied after the other wrappers, so it is the outermost and
    # also covers the answers they give themselves.
    def wrap(app):
        async def secure(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            scope, nonce = with_nonce(scope)

            async def send_secured(message):
                await send(_secured(message, nonce) if message["type"] == "http.response.start" else message)
            await app(scope, receive, send_secured)
        return secure
    return wrap


@hookimpl
def extra_template_vars(request):
    return {"csp_nonce": nonce_of(request)}
