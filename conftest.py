# Fixtures for the browser tests (Chromium, axe) are available to every test module.
pytest_plugins = ["tests.browser"]
