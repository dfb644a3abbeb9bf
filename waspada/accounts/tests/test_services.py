import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.authtoken.models import Token

from waspada.accounts import services
from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.core.errors import InvalidInput, OutOfScope
from waspada.core.models import AuditEntry


def _codes(user):
    return sorted(user.assignments.values_list("area_id", flat=True))


def _last(action):
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()


@pytest.mark.django_db
class TestCreateUser:
    def test_it_creates_a_user_with_areas_and_an_audit_entry(self, area_admin_62):
        user = services.create_user(
            actor=area_admin_62,
            username="baru",
            role=Role.OPERATOR,
            area_codes=["62.71"],
            password="Sandi-kuat-2026",
            email="baru@example.go.id",
        )
        assert _codes(user) == ["62.71"]
        assert user.check_password("Sandi-kuat-2026")
        entry = _last("user.created")
        assert entry.object_id == str(user.pk)
        assert entry.area_code == "62.71"
        assert "password" not in entry.after

    def test_it_refuses_an_area_outside_the_admins_scope(self, area_admin_62, targets):
        with pytest.raises(OutOfScope):
            services.create_user(
                actor=area_admin_62, username="x1", role=Role.OPERATOR, area_codes=["63.71"]
            )
        assert not User.objects.filter(username="x1").exists()

    def test_it_refuses_a_role_above_the_admins_own(self, area_admin_62):
        with pytest.raises(PermissionDenied):
            services.create_user(
                actor=area_admin_62, username="x2", role=Role.NATIONAL_ADMIN, area_codes=[]
            )

    def test_it_reports_unknown_areas_and_malformed_usernames(self, national_admin):
        with pytest.raises(InvalidInput) as exc:
            services.create_user(
                actor=national_admin, username="dua kata", role=Role.OPERATOR, area_codes=["62.99"]
            )
        assert "username" in exc.value.errors
        with pytest.raises(InvalidInput) as exc:
            services.create_user(
                actor=national_admin, username="ok", role=Role.OPERATOR, area_codes=["62.99"]
            )
        assert "areas" in exc.value.errors

    def test_it_refuses_a_password_the_policy_refuses(self, national_admin):
        with pytest.raises(InvalidInput) as exc:
            services.create_user(
                actor=national_admin,
                username="lemah",
                role=Role.OPERATOR,
                area_codes=["62.71"],
                password="hanyahurufsaja",
            )
        assert exc.value.errors["password"]
        assert not User.objects.filter(username="lemah").exists()


@pytest.mark.django_db
class TestUpdateUser:
    def test_it_changes_details_role_and_areas_with_before_and_after(self, area_admin_62, targets):
        user = services.update_user(
            actor=area_admin_62,
            user=targets.t6271,
            role=Role.ANALYST,
            area_codes=["62.01", "62.71"],
            full_name="Tari Baru",
            phone="0812",
        )
        fresh = User.objects.get(pk=user.pk)
        assert (fresh.role, fresh.full_name, fresh.phone) == (Role.ANALYST, "Tari Baru", "0812")
        assert _codes(fresh) == ["62.01", "62.71"]
        entry = _last("user.updated")
        assert entry.before["role"] == Role.OPERATOR
        assert entry.after["role"] == Role.ANALYST
        assert entry.after["areas"] == ["62.01", "62.71"]
        assert entry.area_code == "62.01"

    def test_it_writes_nothing_when_nothing_changes(self, area_admin_62, targets):
        services.update_user(actor=area_admin_62, user=targets.t6271, full_name="Tari Palangka")
        assert _last("user.updated") is None

    def test_an_area_admin_cannot_touch_a_user_of_another_province(self, area_admin_62, targets):
        with pytest.raises(OutOfScope):
            services.update_user(actor=area_admin_62, user=targets.t63, full_name="X")

    def test_an_area_admin_cannot_touch_a_user_with_any_area_outside_its_scope(
        self, area_admin_62, targets
    ):
        with pytest.raises(OutOfScope):
            services.update_user(actor=area_admin_62, user=targets.tmixed, full_name="X")
        with pytest.raises(OutOfScope):
            services.update_user(actor=area_admin_62, user=targets.tnational, full_name="X")

    def test_an_area_admin_cannot_move_a_user_out_of_its_scope(self, area_admin_62, targets):
        with pytest.raises(OutOfScope):
            services.update_user(actor=area_admin_62, user=targets.t6271, area_codes=["63.71"])
        assert _codes(targets.t6271) == ["62.71"]

    def test_an_area_admin_cannot_grant_a_role_above_its_own(self, area_admin_62, targets):
        with pytest.raises(PermissionDenied):
            services.update_user(
                actor=area_admin_62, user=targets.t6271, role=Role.NATIONAL_ADMIN, area_codes=[]
            )

    def test_nobody_edits_themselves_into_more_rights(self, area_admin_62):
        with pytest.raises(PermissionDenied):
            services.update_user(
                actor=area_admin_62, user=area_admin_62, role=Role.NATIONAL_ADMIN, area_codes=[]
            )
        with pytest.raises(OutOfScope):
            services.update_user(actor=area_admin_62, user=area_admin_62, area_codes=["62", "63"])
        assert _codes(area_admin_62) == ["62"]

    def test_an_operator_may_not_manage_users(self, personas, targets):
        with pytest.raises(PermissionDenied):
            services.update_user(actor=personas("operator_6271"), user=targets.t6271, full_name="X")

    def test_it_reports_bad_input_per_field(self, national_admin, targets):
        with pytest.raises(InvalidInput) as exc:
            services.update_user(
                actor=national_admin, user=targets.t6271, email="bukan-email", area_codes=[]
            )
        assert set(exc.value.errors) == {"email", "areas"}
        with pytest.raises(InvalidInput) as exc:
            services.update_user(actor=national_admin, user=targets.t6271, area_codes=["62.99"])
        assert "areas" in exc.value.errors

    def test_a_national_admin_has_no_areas(self, national_admin, targets):
        with pytest.raises(InvalidInput):
            services.update_user(actor=national_admin, user=targets.t6271, role="national_admin")
        services.update_user(
            actor=national_admin, user=targets.t6271, role=Role.NATIONAL_ADMIN, area_codes=[]
        )
        assert _codes(targets.t6271) == []


@pytest.mark.django_db
class TestSetUserActive:
    def test_it_deactivates_and_reactivates_with_audit(self, area_admin_62, targets):
        services.set_user_active(actor=area_admin_62, user=targets.t6271, active=False)
        assert not User.objects.get(pk=targets.t6271.pk).is_active
        assert _last("user.deactivated").object_id == str(targets.t6271.pk)
        services.set_user_active(actor=area_admin_62, user=targets.t6271, active=True)
        assert User.objects.get(pk=targets.t6271.pk).is_active
        assert _last("user.reactivated") is not None

    def test_repeating_it_changes_nothing(self, area_admin_62, targets):
        services.set_user_active(actor=area_admin_62, user=targets.t6271, active=False)
        services.set_user_active(actor=area_admin_62, user=targets.t6271, active=False)
        assert AuditEntry.objects.filter(action="user.deactivated").count() == 1

    def test_an_admin_cannot_deactivate_itself(self, area_admin_62):
        with pytest.raises(InvalidInput):
            services.set_user_active(actor=area_admin_62, user=area_admin_62, active=False)

    def test_it_respects_scope(self, area_admin_62, targets):
        with pytest.raises(OutOfScope):
            services.set_user_active(actor=area_admin_62, user=targets.t63, active=False)


@pytest.mark.django_db
class TestPasswords:
    def test_an_admin_sets_a_password_that_the_policy_accepts(self, area_admin_62, targets):
        services.set_password_by_admin(
            actor=area_admin_62, user=targets.t6271, password="Kata-sandi-77"
        )
        assert User.objects.get(pk=targets.t6271.pk).check_password("Kata-sandi-77")
        entry = _last("user.password_set_by_admin")
        assert entry.actor_id == area_admin_62.pk
        assert "password" not in entry.after

    def test_the_policy_refuses_weak_passwords(self, area_admin_62, targets):
        for weak in ["pendek1", "12345678901234", "hurufsemuanya", "password123"]:
            with pytest.raises(InvalidInput) as exc:
                services.set_password_by_admin(
                    actor=area_admin_62, user=targets.t6271, password=weak
                )
            assert exc.value.errors["password"], weak

    def test_an_admin_changes_its_own_password_only_with_the_old_one(self, area_admin_62):
        with pytest.raises(InvalidInput):
            services.set_password_by_admin(
                actor=area_admin_62, user=area_admin_62, password="Kata-sandi-77"
            )
        with pytest.raises(InvalidInput) as exc:
            services.change_own_password(
                actor=area_admin_62, old_password="salah", new_password="Kata-sandi-77"
            )
        assert "old_password" in exc.value.errors

    def test_out_of_scope_users_are_out_of_reach(self, area_admin_62, targets):
        with pytest.raises(OutOfScope):
            services.set_password_by_admin(
                actor=area_admin_62, user=targets.t63, password="Kata-sandi-77"
            )


@pytest.mark.django_db
class TestApiTokens:
    def test_it_creates_replaces_and_revokes_a_token_without_logging_the_key(self, analyst_62):
        first = services.create_api_token(actor=analyst_62)
        second = services.create_api_token(actor=analyst_62)
        assert first.key != second.key
        assert list(Token.objects.filter(user=analyst_62)) == [second]
        for entry in AuditEntry.objects.filter(action="user.api_token_created"):
            assert first.key not in str(entry.after) and second.key not in str(entry.after)
        assert services.revoke_api_token(actor=analyst_62) is True
        assert services.revoke_api_token(actor=analyst_62) is False
        assert AuditEntry.objects.filter(action="user.api_token_revoked").count() == 1
