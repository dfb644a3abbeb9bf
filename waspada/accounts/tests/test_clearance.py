import pytest
from django.core.exceptions import PermissionDenied

from waspada.accounts import services
from waspada.accounts.models import User


@pytest.mark.django_db
class TestClearance:
    def test_it_defaults_to_terbatas_and_can_be_granted_up_to_the_actors_own(self, personas):
        admin = personas("area_admin_62")
        user = services.create_user(
            actor=admin, username="pelapor.baru", role="operator", area_codes=["62.71"]
        )
        assert user.clearance == "terbatas"
        with pytest.raises(PermissionDenied):
            services.update_user(actor=admin, user=user, clearance="rahasia")
        admin.clearance = "rahasia"
        admin.save(update_fields=["clearance"])
        admin = User.objects.get(pk=admin.pk)
        services.update_user(actor=admin, user=user, clearance="rahasia")
        assert User.objects.get(pk=user.pk).clearance == "rahasia"

    def test_nobody_changes_their_own_clearance(self, personas):
        admin = personas("national_admin")
        with pytest.raises(PermissionDenied):
            services.update_user(actor=admin, user=admin, clearance="biasa")

    def test_the_api_shows_and_sets_clearance(self, api_as, personas):
        target = personas("operator_6271")
        client = api_as("area_admin_62")
        response = client.patch(
            f"/api/v1/users/{target.pk}/", {"clearance": "biasa"}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["clearance"] == "biasa"
        bad = client.patch(f"/api/v1/users/{target.pk}/", {"clearance": "top"}, format="json")
        assert bad.status_code == 400
