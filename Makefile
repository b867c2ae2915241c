# Bevaka: set up, build, test and run.
#
#   make run        install the system packages, build (release) and start the daemon
#   make test       install the system packages and run the test suite
#   make schemathesis  check a running daemon against its OpenAPI document (part of make test)
#   make validate   check the workflow files in Workflows/
#   make install    install into Debian's places (DESTDIR= for a scratch root); make uninstall
#
# The Swift toolchain is taken from PATH, or from /opt/swift/usr/bin when
# `swift` is not on PATH. BUILD_LOCK, empty by default, is put in front of
# every swift command, e.g. `make test BUILD_LOCK="flock /tmp/swift-build.lock"`
# on a machine where several people build at once.

SHELL := /bin/bash

ifeq ($(shell command -v swift 2>/dev/null),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif

DEB_PACKAGES := libsqlite3-dev libcurl4-openssl-dev tzdata pkg-config python3 openssl ca-certificates systemd
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD_LOCK ?=

.PHONY: deps test-peers run test fuzz schemathesis validate install uninstall

PREFIX ?= /usr
DESTDIR ?=
# The binary to install; the default is built (release) first.
BIN ?= .build/release/bevaka

## deps: install the Debian packages the build and the daemon need (no network work if they are there)
deps:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
	  dpkg -s "$$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

## test-peers: the real servers the tests talk to on loopback: aiosmtpd (SMTP) and idpyoidc (OpenID provider) from PyPI,
## or Debian's python3-aiosmtpd where pip may not install; the webhook receiver is stdlib Python;
## Graphviz, which checks that `bevaka graph --format dot` draws; nginx, which runs systemd/nginx-bevaka.conf in front of
## the daemon (the tests start their own, unprivileged; the one Debian starts on installing is stopped and disabled);
## schemathesis (PyPI), which checks a running daemon against its OpenAPI document;
## icalendar (PyPI), which reads the calendar feeds back (Tests/Peers/ics_check.py);
## Debian's postgresql, whose binaries Tests/Peers/postgres_server.py runs as a throwaway server per test process
## (the cluster Debian starts on installing is stopped and disabled);
## the browser tests' Debian chromium and chromium-driver, selenium, and axe-core (axe-selenium-python runs it;
## axe-playwright-python, installed without its Playwright dependency, brings axe-core 4)
SCHEMATHESIS_VERSION := 4.32.5
ICALENDAR_VERSION := 7.3.0
BROWSER_PYTHON := 'selenium==4.50.0' 'axe-selenium-python==2.1.6'
test-peers: deps
	@command -v dot >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y graphviz; }
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx && \
	  { [ ! -d /run/systemd/system ] || $(SUDO) systemctl disable --now nginx; }; }
	@python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet 'aiosmtpd==1.4.6' || \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-aiosmtpd
	@python3 -c 'import aiosmtpd' || { echo "aiosmtpd is missing for $$(command -v python3)"; exit 1; }
	@python3 -c 'import idpyoidc' 2>/dev/null || python3 -m pip install --quiet 'idpyoidc==5.0.0' 'cryptojwt==1.11.0' || \
	  python3 -m pip install --quiet --break-system-packages 'idpyoidc==5.0.0' 'cryptojwt==1.11.0'
	@python3 -c 'import idpyoidc' || { echo "idpyoidc (the OpenID provider the sign-in tests use) is missing for $$(command -v python3)"; exit 1; }
	@[ "$$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" = $(SCHEMATHESIS_VERSION) ] || \
	  python3 -m pip install --quiet 'schemathesis==$(SCHEMATHESIS_VERSION)' || \
	  python3 -m pip install --quiet --break-system-packages 'schemathesis==$(SCHEMATHESIS_VERSION)'
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql && \
	  { [ ! -d /run/systemd/system ] || $(SUDO) systemctl disable --now postgresql; }; }
	@{ command -v chromium && command -v chromedriver; } >/dev/null || { $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }
	@[ "$$(python3 -c 'import importlib.metadata as m; print(m.version("selenium"), m.version("axe-selenium-python"))' 2>/dev/null)" = "4.50.0 2.1.6" ] || \
	  python3 -m pip install --quiet $(BROWSER_PYTHON) || python3 -m pip install --quiet --break-system-packages $(BROWSER_PYTHON)
	@[ "$$(python3 -c 'import importlib.metadata as m; print(m.version("axe-playwright-python"))' 2>/dev/null)" = 0.1.8 ] || \
	  python3 -m pip install --quiet --no-deps 'axe-playwright-python==0.1.8' || \
	  python3 -m pip install --quiet --no-deps --break-system-packages 'axe-playwright-python==0.1.8'
	@[ "$$(python3 -c 'import importlib.metadata as m; print(m.version("icalendar"))' 2>/dev/null)" = $(ICALENDAR_VERSION) ] || \
	  python3 -m pip install --quiet 'icalendar==$(ICALENDAR_VERSION)' || \
	  python3 -m pip install --quiet --break-system-packages 'icalendar==$(ICALENDAR_VERSION)'

## run: build the release binary and start the daemon on 127.0.0.1:8080
## (database: $STATE_DIRECTORY/bevaka.sqlite if set, else ./bevaka.sqlite)
run: deps
	$(BUILD_LOCK) swift build -c release --product bevaka
	.build/release/bevaka serve --workflows Workflows

## The second pass on PostgreSQL: every suite of BevakaServerTests again, its stores, daemons and commands on a
## PostgreSQL database each (Tests/BevakaServerTests/TestStores.swift), the tests that hold only on SQLite skipped
## saying why. Not run twice: the store contract's own suites, the scenarios and the delivery service, which run on
## both stores in the first pass; the several-node and migrate-store suites, which are PostgreSQL's in the first pass;
## and the suites that open no store (configuration parsing, install, settings resolution).
POSTGRES_SKIP := MultiNodeDaemonTests|MultiNodeDeliveryTests|MultiNodeTimerTests|MigrateStoreTests|DeliveryServiceTests|ConfigurationLoaderTests|InstallTests|ServerSettingsTests

## test: fuzz the core's parsers for a bounded time (FUZZ_SECONDS each, default 15), check a running
## daemon against its OpenAPI document (schemathesis, about 30 s), then run every test, and the server suites
## again on PostgreSQL; the output ends with swift test's own summary line
test: deps test-peers fuzz schemathesis
	$(BUILD_LOCK) swift test
	BEVAKA_TEST_STORE=postgres $(BUILD_LOCK) swift test --skip-build --filter BevakaServerTests --skip '$(POSTGRES_SKIP)'

## schemathesis: build the daemon and check it, running, against its own /openapi.json with every
## schemathesis check (Tests/Peers/schemathesis_run.sh; SCHEMATHESIS_MAX_EXAMPLES, SCHEMATHESIS_SEED)
schemathesis: deps test-peers
	$(BUILD_LOCK) swift build --product bevaka
	bash Tests/Peers/schemathesis_run.sh

## fuzz: libFuzzer on the duration, date/instant, expression and workflow parsers (Fuzz/run);
## FUZZ_SECONDS=600 make fuzz for a longer run
FUZZ_SECONDS ?= 15
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash Fuzz/run

## validate: check Workflows/*.yaml completely, printing file:line:column: message per problem
validate: deps
	$(BUILD_LOCK) swift run bevaka validate Workflows

## install: the binary (/usr/bin/bevaka), the unit (/lib/systemd/system/bevaka.service),
## the workflows and templates (/usr/share/bevaka/workflows), the example configuration
## (/usr/share/doc/bevaka) and /etc/bevaka/bevaka.yaml (never overwritten: kept on upgrades)
install:
	@if [ "$(BIN)" = .build/release/bevaka ]; then $(MAKE) deps && $(BUILD_LOCK) swift build -c release --product bevaka; fi
	install -D -m 0755 "$(BIN)" "$(DESTDIR)$(PREFIX)/bin/bevaka"
	install -D -m 0644 systemd/bevaka.service "$(DESTDIR)/lib/systemd/system/bevaka.service"
	install -d "$(DESTDIR)$(PREFIX)/share/bevaka/workflows/templates"
	install -m 0644 Workflows/*.yaml "$(DESTDIR)$(PREFIX)/share/bevaka/workflows/"
	install -m 0644 Workflows/templates/*.mustache "$(DESTDIR)$(PREFIX)/share/bevaka/workflows/templates/"
	install -D -m 0644 systemd/bevaka.example.yaml "$(DESTDIR)$(PREFIX)/share/doc/bevaka/bevaka.example.yaml"
	@if [ -e "$(DESTDIR)/etc/bevaka/bevaka.yaml" ]; then echo "kept $(DESTDIR)/etc/bevaka/bevaka.yaml"; \
	else install -D -m 0644 systemd/bevaka.yaml "$(DESTDIR)/etc/bevaka/bevaka.yaml"; fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; echo "start it: systemctl enable --now bevaka"; fi

## uninstall: removes what install put in place except /etc/bevaka and the database (/var/lib/bevaka)
uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/bevaka" "$(DESTDIR)/lib/systemd/system/bevaka.service"
	rm -rf "$(DESTDIR)$(PREFIX)/share/bevaka" "$(DESTDIR)$(PREFIX)/share/doc/bevaka"
	@echo "kept $(DESTDIR)/etc/bevaka and the database under /var/lib/bevaka; remove them by hand to forget everything"
