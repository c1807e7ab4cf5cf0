# The two commands a new user needs: `make run` and `make test`. Everything else is set-up.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# Tests run against the local PostgreSQL and Redis (see .ci/run, which starts them if down).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ofsted_tracker
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test install static lint format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/app.css: node_modules/.package-lock.json static/src/app.scss
	npm run --silent build

static: static/vendor/app.css

# The demo runs as in production (no debug pages, static files from WhiteNoise's manifest),
# over plain HTTP on this machine only; emails are printed in this terminal.
RUN_ENV = DEBUG=0 SECRET_KEY="$$(cat var/secret-key)" ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

var/secret-key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: install static var/secret-key
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install static lint
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-deploy-only-$$(date +%s)-not-a-real-key-for-production-use-at-all \
		ALLOWED_HOSTS=tracker.example.org DATABASE_URL=$(TEST_DATABASE_URL) \
		$(PY) manage.py check --deploy --fail-level WARNING
	DEBUG=1 DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
