"""Who is calling: a bearer API token (RAG_API_TOKEN) makes a caller staff; everyone else is a citizen.

The token is compared in constant time (``hmac.compare_digest``). A request parameter can ask for
``audience=staff`` but never grants it: without the token that request is refused, so internal
documents stay behind the credential, not behind a form field.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rag.settings import Settings

bearer = HTTPBearer(auto_error=False, description="RAG_API_TOKEN，工作人员接口需要。")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

NO_TOKEN_CONFIGURED = "工作人员接口未启用：请在服务器上设置 RAG_API_TOKEN 后重启 rag serve。"
BAD_TOKEN = "需要工作人员凭据：请在请求头中加入 Authorization: Bearer <RAG_API_TOKEN>。"


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def is_staff(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> bool:
    expected = settings.api_token.get_secret_value()
    if not expected or credentials is None:
        return False
    return hmac.compare_digest(credentials.credentials.encode("utf-8"), expected.encode("utf-8"))


def require_staff(request: Request, credentials: Credentials) -> None:
    """Dependency of every staff route."""
    settings = settings_of(request)
    if not settings.api_token.get_secret_value():
        raise HTTPException(status.HTTP_403_FORBIDDEN, NO_TOKEN_CONFIGURED)
    if not is_staff(settings, credentials):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, BAD_TOKEN, headers={"WWW-Authenticate": "Bearer"})


def audience_for(
    requested: Literal["citizen", "staff"], request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Literal["citizen", "staff"]:
    """The audience a request gets: citizen unless it asks for staff and holds the token."""
    if requested == "staff":
        require_staff(request, credentials)
        return "staff"
    return "citizen"
