import pytest


@pytest.mark.django_db
class TestRequestPlumbing:
    def test_it_refuses_an_oversized_body_with_413_and_a_clear_message(self, client, settings):
        settings.WASPADA_MAX_BODY_BYTES = 1000
        response = client.post("/akun/masuk/", data="x" * 2000, content_type="text/plain")
        assert response.status_code == 413
        assert "terlalu besar" in response.json()["detail"]

    def test_it_echoes_a_request_id(self, client):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef123456")
        assert response["X-Request-ID"] == "abcdef123456"
        assert response.json() == {"status": "ok"}

    def test_it_replaces_a_malformed_request_id(self, client):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")
        assert response["X-Request-ID"] != "bad id\n"
        assert len(response["X-Request-ID"]) == 32

    def test_an_unknown_page_answers_404_in_indonesian(self, web_as):
        response = web_as("operator_6271").get("/tidak-ada/")
        assert response.status_code == 404
        assert "tidak ditemukan" in response.content.decode().lower()


@pytest.mark.django_db
def test_the_api_schema_and_docs_need_a_signed_in_user(api_as, web_as):
    from waspada.core.testing.access import check_access

    for url in ("/api/v1/schema/", "/api/v1/docs/"):
        check_access(api_as, "get", url, {"anonymous": 401, "operator_6271": 200})
