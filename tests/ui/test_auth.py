from __future__ import annotations

import gradio as gr
import pytest
from pydantic import SecretStr

from rag.settings import Settings
from ui.auth import MAX_FAILURES, StaffSession, check_credentials, login, require_staff, staff_enabled


def _settings(user: str = "staff", password: str = "s3cret") -> Settings:
    return Settings(staff_user=user, staff_password=SecretStr(password))


def test_staff_tab_is_off_unless_user_and_password_are_set() -> None:
    assert not staff_enabled(Settings())
    assert not staff_enabled(_settings(password=""))
    assert staff_enabled(_settings())


def test_credentials_must_both_match() -> None:
    s = _settings()
    assert check_credentials(s, "staff", "s3cret")
    assert check_credentials(s, " staff ", "s3cret")
    assert not check_credentials(s, "staff", "wrong")
    assert not check_credentials(s, "other", "s3cret")
    assert not check_credentials(Settings(), "", "")


def test_login_locks_after_repeated_failures() -> None:
    s = _settings()
    session = StaffSession()
    for _ in range(MAX_FAILURES):
        session, msg = login(s, session, "staff", "wrong")
        assert not session.logged_in and "不正确" in msg
    session, msg = login(s, session, "staff", "s3cret")
    assert not session.logged_in and "次数过多" in msg
    ok, msg = login(s, StaffSession(), "staff", "s3cret")
    assert ok.logged_in and ok.user == "staff" and msg == ""


def test_require_staff_refuses_anonymous_sessions() -> None:
    with pytest.raises(gr.Error):
        require_staff(StaffSession())
    with pytest.raises(gr.Error):
        require_staff(None)
    require_staff(StaffSession(logged_in=True, user="staff"))
