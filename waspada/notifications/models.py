"""In-app notifications: each user's inbox, also the record of what was e-mailed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waspada.notifications.choices import kind_label


class Notification(models.Model):
    """One message in one user's inbox (`services.notify` writes it, and e-mails it when asked).

    `key` makes a notification land once: a second `notify` with the same key for the same user
    writes nothing (the daily reminder uses "daily-reminder:<area>:<date>"). `emailed_at` is set
    when the e-mail went out, so a repeated e-mail job sends nothing twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    # A path inside the site ("/laporan/12/"); e-mails prefix it with WASPADA_SITE_URL.
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    area_code = models.CharField(_("wilayah"), max_length=20, blank=True)
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The navigation badge: unread count of one user, on every page.
            models.Index(fields=["user", "read_at"], name="notif_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notif_user_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="uniq_notification_user_key"
            )
        ]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)
