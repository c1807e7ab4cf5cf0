"""The fixed cast of every story: two councils and a person in each role."""

import importlib
import os

import pytest
from django.apps import apps
from django.core.cache import caches

from config.celery import app as celery_app
from councils.models import Role
from scripts.kill_worker import purge_broker

from .factories import CouncilFactory, MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: data versions repeat across rolled-back tests."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Files the council uploads go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per test and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frameworks(db):
    """The frameworks the migrations seed; a transactional test's flush removes them."""
    importlib.import_module("inspections.migrations.0002_frameworks").seed(apps, None)
    importlib.import_module("inspections.migrations.0007_cycle_rules_data").seed_frameworks(
        apps, None
    )


@pytest.fixture
def deadline_rules(db):
    """The deadline rules the migrations seed; a transactional test's flush removes them."""
    importlib.import_module("inspections.migrations.0004_deadline_rules").seed(apps, None)
    importlib.import_module("inspections.migrations.0007_cycle_rules_data").seed_rules(apps, None)


@pytest.fixture
def scilly(db):
    return CouncilFactory(name="Isles of Scilly", slug="isles-of-scilly", dfe_code="420")


@pytest.fixture
def nottingham(db):
    return CouncilFactory(name="Nottingham", slug="nottingham", dfe_code="892")


def _member(username, council, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, council=council, role=role)
    return user


@pytest.fixture
def alice(scilly):
    """Improvement officer at Isles of Scilly."""
    return _member("alice", scilly, Role.OFFICER)


@pytest.fixture
def bob(scilly):
    """Lead member for children at Isles of Scilly: reads everything, changes nothing."""
    return _member("bob", scilly, Role.LEAD_MEMBER)


@pytest.fixture
def sam(scilly):
    """Scrutiny committee member at Isles of Scilly."""
    return _member("sam", scilly, Role.SCRUTINY)


@pytest.fixture
def dina(scilly):
    """Admin role at Isles of Scilly."""
    return _member("dina", scilly, Role.ADMIN)


@pytest.fixture
def charlie(nottingham):
    """Improvement officer at Nottingham, who must not see Isles of Scilly's data."""
    return _member("charlie", nottingham, Role.OFFICER)


@pytest.fixture
def helen(db):
    """Platform admin: every council."""
    return UserFactory(username="helen", is_superuser=True, is_staff=True)


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def broker(frameworks, deadline_rules):
    """This process publishes to the test Redis instead of running tasks in-process."""
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    celery_app._after_fork()  # drop producers bound to another broker URL
    purge_broker(REDIS_URL)
    yield REDIS_URL
    purge_broker(REDIS_URL)
    celery_app.conf.update(saved)
    celery_app._after_fork()
