"""Security headers on every response, errors and static files included.

Datasette's pages carry inline scripts and styles whose content varies per
page (facet settings, the SQL editor's schema, plugins' body scripts), so the
policy allows inline code but nothing from another origin: no external script,
style, image, font or connection, no plugins, no framing, forms posting only
here, and no `<base>` rewriting links.
"""

from datasette import hookimpl

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    b"content-security-policy": POLICY.encode(),
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
}


def _secured(message: dict) -> dict:
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in HEADERS]
    return dict(message, headers=headers + list(HEADERS.items()))


@hookimpl(trylast=True)
def asgi_wrapper(datasette):
    # trylast: applied after the other wrappers, so it is the outermost and
    # also covers the answers they give themselves.
    def wrap(app):
        async def secure(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)

            async def send_secured(message):
                await send(_secured(message) if message["type"] == "http.response.start" else message)
            await app(scope, receive, send_secured)
        return secure
    return wrap
