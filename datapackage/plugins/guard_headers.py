"""Security headers on every response, errors and static files included.

The Content-Security-Policy loads nothing from another origin: no external
script, style, image, font or connection, no plugins, no framing, forms
posting only here, and no `<base>` rewriting links.

Scripts are strict: files from this site, and inline scripts only when they
carry the response's nonce (`nonce="{{ csp_nonce }}"` in the templates, a new
one per response: `datapackage/site_nonce.py`). So inline event handlers
(`onclick=`), `javascript:` links and any script that reached a page other
than through our templates do not run. Datasette's own templates that write
inline scripts are copied into `datapackage/templates` with the nonce added.

Styles still allow inline CSS: Datasette's markup has `style` attributes and
`<style>` blocks in several more templates, and CSS cannot run code; with
images, fonts and connections limited to this site, it cannot send anything
elsewhere either.
"""

from datasette import hookimpl

from datapackage.site_nonce import nonce_of, with_nonce

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'nonce-{nonce}'",
    "style-src 'self' 'unsafe-inline'",
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
