import pytest

pytest.importorskip("fastapi")


@pytest.fixture(scope="session")
def web_app():
    from tradepact.interfaces.web.app import create_app
    return create_app(verdict_draws=500)


@pytest.fixture(scope="session")
def client(web_app):
    from fastapi.testclient import TestClient
    with TestClient(web_app, raise_server_exceptions=False) as c:
        yield c
