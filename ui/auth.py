"""Staff login inside the app (Gradio's own auth would hide the public citizen tab too).

The login state lives in a per-session ``gr.State``, which Gradio keeps on the server, and
every staff handler calls :func:`require_staff` so hiding the UI is never the only guard.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass

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


def login(settings: Settings, session: StaffSession, user: str, password: str) -> tuple[StaffSession, str]:
    """Try to log in; returns the new session state and a message for the form."""
    if session.failures >= MAX_FAILURES:
        return session, f"登录失败次数过多（{MAX_FAILURES} 次）。请刷新页面后再试。"
    if check_credentials(settings, user or "", password or ""):
        log.info("staff login: %s", user.strip())
        return StaffSession(logged_in=True, user=user.strip()), ""
    log.warning("staff login failed for user %r", user)
    failed = StaffSession(failures=session.failures + 1)
    return failed, "用户名或密码不正确。"


def require_staff(session: StaffSession | None) -> None:
    """Server-side check at the top of every staff handler."""
    if session is None or not session.logged_in:
        raise gr.Error(NOT_LOGGED_IN)
