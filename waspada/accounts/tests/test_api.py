import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from waspada.accounts.models import User
from waspada.accounts.roles import Role
from waspada.accounts.testing import make_user
from waspada.core.testing.access import check_access

READERS_62 = {"anonymous": 401, "analyst_62": 200, "leader_62": 200, "area_admin_62": 200}
NON_MANAGERS = {
    "operator_6271": 403,
    "operator_6201": 403,
    "analyst_62": 403,
    "analyst_63": 403,
    "leader_62": 403,
}
_counter = itertools.count()


def _url(user, suffix=""):
    return f"/api/v1/users/{user.pk}/{suffix}"


@pytest.mark.django_db
class TestUsersAccessMatrix:
    def test_list(self, api_as, targets):
        check_access(
            api_as,
            "get",
            "/api/v1/users/",
            {
                "anonymous": 401,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_retrieve_a_user_of_62_71(self, api_as, targets):
        check_access(
            api_as,
            "get",
            _url(targets.t6271),
            {
                **READERS_62,
                "operator_6271": 200,
                "operator_6201": 404,
                "analyst_63": 404,
                "national_admin": 200,
            },
        )

    def test_retrieve_a_user_of_62_01(self, api_as, targets):
        check_access(
            api_as,
            "get",
            _url(targets.t6201),
            {
                **READERS_62,
                "operator_6271": 404,
                "operator_6201": 200,
                "analyst_63": 404,
                "national_admin": 200,
            },
        )

    def test_retrieve_a_user_of_63(self, api_as, targets):
        check_access(
            api_as,
            "get",
            _url(targets.t63),
            {
                "anonymous": 401,
                "operator_6271": 404,
                "operator_6201": 404,
                "analyst_62": 404,
                "analyst_63": 200,
                "leader_62": 404,
                "area_admin_62": 404,
                "national_admin": 200,
            },
        )

    def test_retrieve_a_national_admin(self, api_as, targets):
        check_access(
            api_as,
            "get",
            _url(targets.tnational),
            {
                "anonymous": 401,
                "operator_6271": 404,
                "analyst_62": 404,
                "analyst_63": 404,
                "area_admin_62": 404,
                "national_admin": 200,
            },
        )

    def test_partial_update_inside_62(self, api_as, targets):
        check_access(
            api_as,
            "patch",
            _url(targets.t6271),
            {**NON_MANAGERS, "anonymous": 401, "area_admin_62": 200, "national_admin": 200},
            {"full_name": "Nama Baru"},
        )

    def test_partial_update_of_a_user_of_63_or_of_two_provinces(self, api_as, targets):
        for target in (targets.t63, targets.tmixed):
            check_access(
                api_as,
                "patch",
                _url(target),
                {
                    "anonymous": 401,
                    "operator_6271": 403,
                    "analyst_63": 403,
                    "area_admin_62": 404,
                    "national_admin": 200,
                },
                {"full_name": "Nama Baru"},
            )

    def test_create_inside_62(self, api_as, targets):
        def payload():
            return {"username": f"baru{next(_counter)}", "role": "operator", "areas": ["62.71"]}

        check_access(
            api_as,
            "post",
            "/api/v1/users/",
            {**NON_MANAGERS, "anonymous": 401, "area_admin_62": 201, "national_admin": 201},
            payload,
        )

    def test_create_in_63_or_above_the_admins_rank(self, api_as, targets):
        def in_63():
            return {"username": f"baru{next(_counter)}", "role": "operator", "areas": ["63.71"]}

        check_access(
            api_as,
            "post",
            "/api/v1/users/",
            {"area_admin_62": 404, "national_admin": 201, "analyst_63": 403},
            in_63,
        )

        def national():
            return {"username": f"baru{next(_counter)}", "role": "national_admin", "areas": []}

        check_access(
            api_as,
            "post",
            "/api/v1/users/",
            {"area_admin_62": 403, "national_admin": 201},
            national,
        )

    def test_deactivate(self, api_as, targets):
        check_access(
            api_as,
            "post",
            _url(targets.t6271, "deactivate/"),
            {**NON_MANAGERS, "anonymous": 401, "area_admin_62": 200, "national_admin": 200},
        )
        check_access(
            api_as,
            "post",
            _url(targets.t63, "deactivate/"),
            {"operator_6271": 403, "area_admin_62": 404, "national_admin": 200},
        )

    def test_import(self, api_as, targets):
        def upload():
            name = f"imp{next(_counter)}"
            content = f"username,role,areas\n{name},operator,62.71\n".encode()
            return {"file": SimpleUploadedFile("u.csv", content), "dry_run": "true"}

        check_access(
            api_as,
            "post",
            "/api/v1/users/import/",
            {**NON_MANAGERS, "anonymous": 401, "area_admin_62": 200, "national_admin": 200},
            upload,
            fmt="multipart",
        )

    def test_me(self, api_as):
        check_access(
            api_as,
            "get",
            "/api/v1/me/",
            {
                "anonymous": 401,
                "operator_6271": 200,
                "operator_6201": 200,
                "analyst_62": 200,
                "analyst_63": 200,
                "leader_62": 200,
                "area_admin_62": 200,
                "national_admin": 200,
            },
        )

    def test_a_role_without_users_view_cannot_list(self, db):
        client = APIClient()
        client.force_authenticate(make_user("fkdm_6271", Role.FKDM, ["62.71"]))
        assert client.get("/api/v1/users/").status_code == 403
        assert client.get("/api/v1/me/").status_code == 200

    def test_put_and_delete_are_not_offered(self, api_as, targets):
        client = api_as("national_admin")
        assert client.put(_url(targets.t6271), {}, format="json").status_code == 405
        assert client.delete(_url(targets.t6271)).status_code == 405


@pytest.mark.django_db
class TestUsersApi:
    def test_the_list_is_scoped_filtered_and_shows_areas(self, api_as, targets):
        body = api_as("area_admin_62").get("/api/v1/users/").json()
        names = {u["username"] for u in body["results"]}
        assert {"t6271", "t6201", "tmixed"} <= names
        assert not names & {"t63", "tnational"}
        tmixed = next(u for u in body["results"] if u["username"] == "tmixed")
        assert [a["code"] for a in tmixed["areas"]] == ["62.71", "63.71"]
        assert tmixed["areas"][0]["path_name"] == "Kota Palangka Raya, Kalimantan Tengah"
        assert "password" not in tmixed
        filtered = api_as("area_admin_62").get("/api/v1/users/?area=62.01&q=tono").json()
        assert [u["username"] for u in filtered["results"]] == ["t6201"]
        by_role = api_as("national_admin").get("/api/v1/users/?role=analyst").json()
        assert {u["role"] for u in by_role["results"]} == {"analyst"}

    def test_a_malformed_area_filter_is_a_400(self, api_as, targets):
        response = api_as("area_admin_62").get("/api/v1/users/?area=62-71")
        assert response.status_code == 400

    def test_the_list_runs_a_fixed_number_of_queries(
        self, api_as, targets, django_assert_max_num_queries
    ):
        for n in range(15):
            make_user(f"massal{n}", Role.OPERATOR, ["62.71", "62.01"])
        client = api_as("area_admin_62")
        with django_assert_max_num_queries(8):
            response = client.get("/api/v1/users/")
        assert response.json()["count"] >= 18

    def test_create_returns_the_new_user_and_reports_bad_fields(self, api_as, targets):
        client = api_as("area_admin_62")
        created = client.post(
            "/api/v1/users/",
            {
                "username": "dewi",
                "role": "analyst",
                "areas": ["62.01"],
                "email": "dewi@example.go.id",
                "password": "Dewi-sandi-2026",
            },
            format="json",
        )
        assert created.status_code == 201, created.json()
        assert created.json()["areas"][0]["code"] == "62.01"
        assert User.objects.get(username="dewi").check_password("Dewi-sandi-2026")
        bad = client.post(
            "/api/v1/users/",
            {"username": "dewi", "role": "operator", "areas": ["62.71"], "password": "abc"},
            format="json",
        )
        assert bad.status_code == 400
        assert "username" in bad.json()["errors"]
        unknown = client.post(
            "/api/v1/users/",
            {"username": "eko", "role": "operator", "areas": ["62.99"]},
            format="json",
        )
        assert unknown.status_code == 400
        assert "areas" in unknown.json()["errors"]
        malformed = client.post(
            "/api/v1/users/", {"username": "eko", "role": "raja", "areas": ["x"]}, format="json"
        )
        assert malformed.status_code == 400
        assert {"role", "areas"} <= set(malformed.json())

    def test_partial_update_changes_only_what_is_sent(self, api_as, targets):
        client = api_as("area_admin_62")
        response = client.patch(
            _url(targets.t6271), {"areas": ["62.01"], "phone": "0812"}, format="json"
        )
        assert response.status_code == 200
        body = response.json()
        assert [a["code"] for a in body["areas"]] == ["62.01"]
        assert (body["phone"], body["full_name"]) == ("0812", "Tari Palangka")

    def test_an_admin_cannot_raise_its_own_role(self, api_as, personas):
        me = personas("area_admin_62")
        response = api_as("area_admin_62").patch(
            _url(me), {"role": "national_admin", "areas": []}, format="json"
        )
        assert response.status_code == 403

    def test_deactivate_then_reactivate(self, api_as, targets):
        client = api_as("area_admin_62")
        assert client.post(_url(targets.t6271, "deactivate/")).json()["is_active"] is False
        assert client.post(_url(targets.t6271, "reactivate/")).json()["is_active"] is True

    def test_import_is_all_or_nothing_and_reports_every_problem(self, api_as, targets):
        client = api_as("area_admin_62")
        bad = b"username,role,areas\nok1,operator,62.71\nbad1,operator,63.71\nbad2,raja,62.71\n"
        response = client.post(
            "/api/v1/users/import/",
            {"file": SimpleUploadedFile("u.csv", bad)},
            format="multipart",
        )
        assert response.status_code == 400
        body = response.json()
        assert body["ok"] is False and body["created"] == 0
        assert {(p["row"], p["column"]) for p in body["problems"]} == {
            (3, "areas"),
            (4, "role"),
        }
        assert not User.objects.filter(username="ok1").exists()
        good = b"username,role,areas\nok1,operator,62.71\nok2,analyst,62.01\n"
        preview = client.post(
            "/api/v1/users/import/",
            {"file": SimpleUploadedFile("u.csv", good), "dry_run": "true"},
            format="multipart",
        )
        assert preview.status_code == 200
        assert [r["username"] for r in preview.json()["rows"]] == ["ok1", "ok2"]
        assert not User.objects.filter(username="ok1").exists()
        done = client.post(
            "/api/v1/users/import/",
            {"file": SimpleUploadedFile("u.csv", good)},
            format="multipart",
        )
        assert done.status_code == 201
        assert done.json()["created"] == 2
        assert User.objects.filter(username__in=["ok1", "ok2"]).count() == 2

    def test_me_shows_role_areas_with_names_and_time_zone(self, api_as, personas):
        body = api_as("operator_6271").get("/api/v1/me/").json()
        assert body["username"] == "operator_6271"
        assert body["role"] == "operator"
        assert body["areas"] == [
            {
                "code": "62.71",
                "name": "Kota Palangka Raya",
                "level": 2,
                "path_name": "Kota Palangka Raya, Kalimantan Tengah",
            }
        ]
        assert body["time_zone"] == "WIB"
        assert api_as("analyst_63").get("/api/v1/me/").json()["time_zone"] == "WITA"
        national = api_as("national_admin").get("/api/v1/me/").json()
        assert national["areas"] == [] and national["national_scope"] is True


@pytest.mark.django_db
class TestTokenAuthentication:
    def test_drf_create_token_makes_a_token_that_authenticates_api_calls(self, personas):
        user = personas("analyst_62")
        call_command("drf_create_token", "analyst_62")
        token = Token.objects.get(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        response = client.get("/api/v1/me/")
        assert response.status_code == 200
        assert response.json()["username"] == "analyst_62"

    def test_a_deactivated_users_token_stops_working(self, personas, national_admin):
        from waspada.accounts import services

        user = personas("analyst_62")
        token = services.create_api_token(actor=user)
        services.set_user_active(actor=national_admin, user=user, active=False)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert client.get("/api/v1/me/").status_code == 401

    def test_a_wrong_token_is_a_401(self, db):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
        assert client.get("/api/v1/users/").status_code == 401
