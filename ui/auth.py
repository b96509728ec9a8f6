"""Staff login inside the app (Gradio's own auth would hide the public citizen tab too).

The login state lives in a per-session ``gr.State``, which Gradio keeps on the server, and
every staff handler calls :func:`require_staff` so hiding the UI is never the only guard.
Wrong passwords are counted per account and per client address in one process-wide
:class:`LoginThrottle` (a new browser session does not reset them), with a lockout that
doubles on every further failure.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from rag.settings import Settings

log = logging.getLogger(__name__)

MAX_FAILURES = 5
NOT_LOGGED_IN = "请先登录员工工作台。"
DISABLED_NOTE = (
    "员工工作台未启用。管理员设置环境变量 **RAG_STAFF_USER** 和 **RAG_STAFF_PASSWORD** 后重启服务即可启用"
    "（例如 `RAG_STAFF_USER=admin RAG_STAFF_PASSWORD=… rag ui`）。市民问答不受影响。"
)


@dataclass
class StaffSession:
    logged_in: bool = False
    user: str = ""
    failures: int = 0


def staff_enabled(settings: Settings) -> bool:
    """On only when both a user and a password are configured."""
    return bool(settings.staff_user.strip()) and bool(settings.staff_password.get_secret_value())


def check_credentials(settings: Settings, user: str, password: str) -> bool:
    """Constant-time comparison of both fields; always False when the staff tab is not configured."""
    if not staff_enabled(settings):
        return False
    user_ok = hmac.compare_digest(user.strip().encode("utf-8"), settings.staff_user.strip().encode("utf-8"))
    pass_ok = hmac.compare_digest(password.encode("utf-8"), settings.staff_password.get_secret_value().encode("utf-8"))
    return user_ok and pass_ok


@dataclass
class LoginThrottle:
    """Failures per key (``user:<name>``, ``ip:<address>``); after ``max_failures`` a key is locked for
    ``lockout_s``, doubling with each further failure. Even the right password waits out a lockout."""

    max_failures: int = MAX_FAILURES
    lockout_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, int] = field(default_factory=dict)
    _until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        return cls(max_failures=settings.login_max_failures, lockout_s=settings.login_lockout_s)

    @staticmethod
    def keys(user: str, client: str) -> list[str]:
        keys = [f"user:{user.strip().lower()}"]
        if client:
            keys.append(f"ip:{client}")
        return keys

    def wait_s(self, keys: list[str]) -> float:
        """Seconds until these keys may try again (0: now)."""
        now = self.clock()
        with self._lock:
            return max([self._until.get(k, 0.0) - now for k in keys] + [0.0])

    def failed(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                n = self._failures.get(k, 0) + 1
                self._failures[k] = n
                if n >= self.max_failures:
                    self._until[k] = now + self.lockout_s * 2 ** (n - self.max_failures)

    def succeeded(self, keys: list[str]) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
                self._until.pop(k, None)


def login(
    settings: Settings,
    session: StaffSession,
    user: str,
    password: str,
    *,
    throttle: LoginThrottle | None = None,
    client: str = "",
) -> tuple[StaffSession, str]:
    """Try to log in; returns the new session state and a message for the form.

    With a ``throttle`` (the app passes one shared by all sessions), failures count per account and
    per client address; without one, per session only (as before)."""
    keys = LoginThrottle.keys(user or "", client)
    if throttle is not None:
        wait = throttle.wait_s(keys)
        if wait > 0:
            log.warning("staff login refused during lockout: user %r from %s", user, client or "?")
            return session, f"登录失败次数过多，已暂时锁定。请 {int(wait) + 1} 秒后再试。"
    elif session.failures >= MAX_FAILURES:
        return session, f"登录失败次数过多（{MAX_FAILURES} 次）。请刷新页面后再试。"
    if check_credentials(settings, user or "", password or ""):
        log.info("staff login: %s", user.strip())
        if throttle is not None:
            throttle.succeeded(keys)
        return StaffSession(logged_in=True, user=user.strip()), ""
    log.warning("staff login failed for user %r from %s", user, client or "?")
    if throttle is not None:
        throttle.failed(keys)
    failed = StaffSession(failures=session.failures + 1)
    return failed, "用户名或密码不正确。"


def require_staff(session: StaffSession | None) -> None:
    """Server-side check at the top of every staff handler."""
    if session is None or not session.logged_in:
        raise gr.Error(NOT_LOGGED_IN)


SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(app: Any) -> None:
    """Add :data:`SECURITY_HEADERS` to every response of a FastAPI/Starlette app (call before it starts).

    Gradio builds its own app inside ``launch``, too late for middleware; the server that mounts the
    Gradio app (``rag serve``) calls this on its FastAPI app."""

    @app.middleware("http")
    async def _headers(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
