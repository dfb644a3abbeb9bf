"""E-mails about accounts, rendered from templates and sent through Django's mail."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from waspada.accounts.models import User


def reset_link(user: User) -> str:
    """The one-use password reset link for `user`, on the configured site address."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return str(settings.WASPADA_SITE_URL).rstrip("/") + path


def send_password_reset_email(user_id: int) -> bool:
    """Send the reset e-mail to an active user with an address; False when there is none to send.

    The link is built now, from the user's current password hash, so a link from an earlier
    e-mail stops working once a new password is set.
    """
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    site = urlsplit(str(settings.WASPADA_SITE_URL)).netloc
    context = {"user": user, "link": reset_link(user), "site": site}
    subject = "".join(
        render_to_string("accounts/email/password_reset_subject.txt", context).splitlines()
    )
    body = render_to_string("accounts/email/password_reset_body.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
