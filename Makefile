# Bevaka: set up, build, test and run.
#
#   make run        install the system packages, build (release) and start the daemon
#   make test       install the system packages and run the test suite
#   make validate   check the workflow files in Workflows/
#
# The Swift toolchain is taken from PATH, or from /opt/swift/usr/bin when
# `swift` is not on PATH. BUILD_LOCK, empty by default, is put in front of
# every swift command, e.g. `make test BUILD_LOCK="flock /tmp/swift-build.lock"`
# on a machine where several people build at once.

SHELL := /bin/bash

ifeq ($(shell command -v swift 2>/dev/null),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif

DEB_PACKAGES := libsqlite3-dev libcurl4-openssl-dev tzdata pkg-config python3 openssl ca-certificates
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD_LOCK ?=

.PHONY: deps test-peers run test validate

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

## test-peers: the real servers the tests talk to on loopback: aiosmtpd (SMTP) from PyPI,
## or Debian's python3-aiosmtpd where pip may not install; the webhook receiver is stdlib Python
test-peers: deps
	@python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet 'aiosmtpd==1.4.6' || \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-aiosmtpd
	@python3 -c 'import aiosmtpd' || { echo "aiosmtpd is missing for $$(command -v python3)"; exit 1; }

## run: build the release binary and start the daemon on 127.0.0.1:8080
## (database: $STATE_DIRECTORY/bevaka.sqlite if set, else ./bevaka.sqlite)
run: deps
	$(BUILD_LOCK) swift build -c release --product bevaka
	.build/release/bevaka serve --workflows Workflows

## test: run every test; the output ends with swift test's own summary line
test: deps test-peers
	$(BUILD_LOCK) swift test

## validate: check Workflows/*.yaml completely, printing file:line:column: message per problem
validate: deps
	$(BUILD_LOCK) swift run bevaka validate Workflows
