"""Who may change the data from the browser: public (read-only) mode and optional admins.

An operator who publishes the app turns on public mode with ``OBLASTWATCH_PUBLIC=1`` or, in
``.streamlit/secrets.toml``::

    [oblastwatch]
    public = true
    admins = ["editor@example.org"]   # optional, needs [auth] below

In public mode no page offers an upload, a URL or local-path import, a fetch or a removal; the
operator updates the data with the CLI on the server. Readers' sessions pick the new data up on
their next rerun (the loaders are keyed on the data's fingerprint, and every save is an atomic
swap, so no session reads half-written files).

Browser imports can be kept for named people through Streamlit's own authentication
(``st.login`` with an OpenID Connect provider configured under ``[auth]`` in the secrets):
a logged-in user whose e-mail address is in ``admins`` (or ``OBLASTWATCH_ADMINS``,
comma-separated) gets the import widgets back. There is no password scheme of our own.

Every function that writes (:func:`oblastwatch.ui.imports.run_import`,
:func:`~oblastwatch.ui.imports.remove_imported`, :func:`oblastwatch.ui.fetch.run_fetch`) asks
:func:`can_write` itself, so a crafted session state or URL cannot reach a write that the page
did not offer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st

from oblastwatch.i18n import N_
from oblastwatch.ui.language import t

PUBLIC_ENV = "OBLASTWATCH_PUBLIC"
ADMINS_ENV = "OBLASTWATCH_ADMINS"
SECRETS_SECTION = "oblastwatch"
# Marked here, shown through read_only_message() in the session's language.
READ_ONLY_MESSAGE = N_(
    "This is a public, read-only copy of oblastwatch: its operator updates the data on the "
    "server (`oblastwatch fetch mma`, `oblastwatch import`)."
)
_TRUE = frozenset({"1", "true", "yes", "on"})


def writer_allowed(
    *,
    public: bool,
    auth_configured: bool,
    logged_in: bool,
    email: str | None,
    admins: Iterable[str],
) -> bool:
    """Whether this session may import, fetch or remove data.

    >>> writer_allowed(public=False, auth_configured=False, logged_in=False, email=None, admins=())
    True
    >>> writer_allowed(public=True, auth_configured=True, logged_in=True, email="A@x.org",
    ...                admins=["a@x.org"])
    True
    >>> writer_allowed(public=True, auth_configured=False, logged_in=True, email="a@x.org",
    ...                admins=["a@x.org"])
    False
    """
    if not public:
        return True
    if not (auth_configured and logged_in and email):
        return False
    return email.strip().lower() in {admin.strip().lower() for admin in admins if admin.strip()}


def _section() -> Mapping[str, Any]:
    try:
        section = st.secrets.get(SECRETS_SECTION, {})
    except (OSError, ValueError):  # StreamlitSecretNotFoundError is a FileNotFoundError
        return {}  # no secrets.toml: the environment decides
    return section if isinstance(section, Mapping) else {}


def public_mode() -> bool:
    """Public (read-only) mode, from ``OBLASTWATCH_PUBLIC`` or ``[oblastwatch] public``."""
    if os.environ.get(PUBLIC_ENV, "").strip().lower() in _TRUE:
        return True
    value = _section().get("public", False)
    return value is True or str(value).strip().lower() in _TRUE


def auth_configured() -> bool:
    """Whether the operator configured Streamlit's authentication (``[auth]`` in secrets)."""
    try:
        return "auth" in st.secrets
    except (OSError, ValueError):  # StreamlitSecretNotFoundError is a FileNotFoundError
        return False


def admins() -> tuple[str, ...]:
    """The e-mail addresses allowed to write in public mode."""
    from_env = [a for a in os.environ.get(ADMINS_ENV, "").split(",") if a.strip()]
    listed = _section().get("admins", [])
    from_secrets = [str(a) for a in listed] if isinstance(listed, list | tuple) else []
    return tuple(from_env + from_secrets)


def can_write() -> bool:
    """Whether this session may change the data (see the module doc)."""
    public = public_mode()
    if not public:
        return True
    configured = auth_configured()
    logged_in = bool(configured and getattr(st.user, "is_logged_in", False))
    email = st.user.get("email") if logged_in else None
    return writer_allowed(
        public=public,
        auth_configured=configured,
        logged_in=logged_in,
        email=str(email) if email else None,
        admins=admins(),
    )


def read_only_message() -> str:
    """:data:`READ_ONLY_MESSAGE` in the session's language."""
    return t().gettext(READ_ONLY_MESSAGE)


def admin_login() -> None:
    """In public mode with authentication configured: log in or out, for the admins."""
    if not (public_mode() and auth_configured()):
        return
    _ = t().gettext
    if getattr(st.user, "is_logged_in", False):
        email = st.user.get("email") or _("unknown")
        st.caption(_("Logged in as {email}.").format(email=email))
        if st.button(_("Log out"), key="admin_logout"):
            st.logout()
    elif st.button(_("Log in (admins)"), key="admin_login"):
        st.login()
