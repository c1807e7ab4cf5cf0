"""Static file URLs come from the collected manifest, worked out once per process."""

import json

import pytest

from config.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    manifest = {"paths": {"vendor/app.css": "vendor/app.3f2a9c.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_URL = "/static/"
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_collected_file_has_its_hashed_url_every_time(storage):
    assert storage.url("vendor/app.css") == "/static/vendor/app.3f2a9c.css"
    assert storage.url("vendor/app.css") == "/static/vendor/app.3f2a9c.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("vendor/missing.css")
