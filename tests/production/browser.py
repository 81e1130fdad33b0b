"""A browser's part in the multi-host test and the burst bench: cookies, CSRF, forms, files.

The standard library only (urllib), so a host is reached as a user's browser reaches it.
"""

import http.cookiejar
import re
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
Fields = Mapping[str, str | list[str]]


@dataclass
class Page:
    status: int
    url: str
    body: bytes
    location: str = ""  # of a redirect not followed

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def csrf(self) -> str:
        found = CSRF_FIELD.search(self.text)
        assert found, f"no CSRF token on {self.url} ({self.status})"
        return found.group(1)


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the redirect comes back as the answer


class Browser:
    """One user's browser on one host; `cookies` shared with another means the same session.

    With `follow=False` a redirect is the answer (its `location`), so a submission is
    timed alone, without the page it leads to.
    """

    def __init__(
        self, base: str, cookies: http.cookiejar.CookieJar | None = None, *, follow: bool = True
    ) -> None:
        self.base = base
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        handlers: list[urllib.request.BaseHandler] = [
            urllib.request.HTTPCookieProcessor(self.cookies)
        ]
        if not follow:
            handlers.append(_Stay())
        self.opener = urllib.request.build_opener(*handlers)

    def open(
        self, path: str, data: bytes | None = None, content_type: str = "", timeout: float = 120
    ) -> Page:
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 — our own host
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Page(response.status, response.geturl(), response.read())
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "") if error.headers else ""
            return Page(error.code, error.geturl() or path, error.read(), location)

    def get(self, path: str) -> Page:
        return self.open(path)

    def post(
        self,
        path: str,
        fields: Fields,
        files: dict[str, tuple[str, bytes]] | None = None,
        *,
        form_page: str = "",
        csrf: str = "",
    ) -> Page:
        """Submit a form as the page that shows it (`form_page`, by default `path`) would:
        with that page's CSRF token (or `csrf`, read from it before), the fields and files."""
        token = csrf or self.get(form_page or path).csrf()
        fields = {"csrfmiddlewaretoken": token, **fields}
        if files is None:
            form = urlencode(fields, doseq=True).encode()
            return self.open(path, form, "application/x-www-form-urlencoded")
        body, content_type = multipart(fields, files)
        return self.open(path, body, content_type)

    def login(self, username: str, password: str) -> Page:
        return self.post("/accounts/login/", {"username": username, "password": password})


def multipart(fields: Fields, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts: list[bytes] = []
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            parts.append(head.encode() + one.encode() + b"\r\n")
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
