#!/usr/bin/env python3
"""Drives Bevaka's pages in a real browser (issue 13's "Done when").

Run by Tests/BevakaServerTests/BrowserTests.swift against a real daemon with
OpenID Connect sign-in at the loopback provider (Tests/Peers/oidc_provider.py):

    python3 browser_check.py CONFIG.json

CONFIG names the daemon (`base`), the folder for screenshots, the browser and
its driver, and the cases each pass works on (see `main`). Every page of
Bevaka's that is visited is

  * saved as a full-page PNG screenshot (1280 px wide),
  * checked with axe-core: any violation of impact "serious" or "critical"
    fails the run (all violations are printed: rule, impact, target, help),

and the whole path is walked twice, side by side: in Chromium with
JavaScript, and on cases of its own in a second Chromium with JavaScript
switched off (the content setting
`profile.managed_default_content_settings.javascript: 2`; WebDriver's own
script calls still run there, but no timer fires, so axe checks the document
that browser got in a third, checking browser with JavaScript).

The path (one pass): sign in as a case officer at the provider's login page,
find the Kalmar case on "Mina ärenden", classify it (allvarlighetsgrad 2,
avsteg 3), send the request for correction with a date typed as 30 February
(a date input holds no such day, so it sends nothing and the daemon says the
date is missing: 400, the error beside the field, nothing changed), then with
a plan date before the request date (refused by the workflow's condition,
nothing changed), then rightly (today and two weeks ahead), and see the new
deadline with its Swedish date and countdown on "Mina ärenden"; visit the
register, the traffic light and the reports, and on "Kalenderlänkar" make a
calendar feed, see its address once (fetched as a calendar program would:
text/calendar), renew it (the old address 404 at once) and revoke it. Then, on a
sudden-termination case, communications signs in and ticks its checklist
items with a note on the case page, and finance ticks its item from "Mina
uppgifter". Last, the case officer keeps the register: previews a CSV import
with a problem (400, the problem with its line in Swedish, nothing saved),
previews and imports the right one, has a word for a unit's listed patients
refused beside the field and saves a number, and opens the boards' report as
its printable page.

Exit status 0 when every check held, 1 when one failed, 2 for a bad
configuration, 3 when selenium, axe-core or the browser is missing. The last
line of output is `RESULT <json>` with the pages visited, the axe findings
and the timings.

Needs (installed by .ci/run and `make test-peers`): Debian's chromium and
chromium-driver; from PyPI selenium 4.50.0 (4.53 wants a newer certifi than
the index here has), axe-selenium-python 2.1.6 (injects and runs axe) and
axe-playwright-python 0.1.8 installed with --no-deps, only for the axe-core
4.12.1 file it ships.
"""

import base64
import datetime
import importlib.util
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from zoneinfo import ZoneInfo

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoSuchElementException, TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
    from axe_selenium_python import Axe
except ImportError as error:  # pragma: no cover - reported to the Swift test
    print(f"MISSING: {error}: install selenium and axe-selenium-python from PyPI (see .ci/run)", flush=True)
    sys.exit(3)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]
FAILING_IMPACTS = ("serious", "critical")
WAIT = 30  # seconds for a page to load; generous, as the whole test suite may run beside it


class CheckFailed(Exception):
    """A check of the path did not hold; the pass stops there."""


def swedish_date(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def anchor(prefix, *names):
    """An id as the pages make them (BevakaWeb's HTMLIdentifier): ASCII letters, digits and '-' kept,
    anything else as _hex_, the names joined by '__'."""
    def encode(name):
        return "".join(c if (c.isascii() and (c.isalnum() or c == "-")) else f"_{ord(c):x}_" for c in name)
    return prefix + "-" + "__".join(encode(name) for name in names)


def axe_script():
    """axe-core 4.x: axe-playwright-python ships it as a file, installed without its Playwright
    dependency only for that file (axe-selenium-python, whose `Axe` injects and runs it, carries
    axe-core 3.1 from 2018, which knows too few of WCAG 2.1's rules)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    path = os.path.join(list(spec.submodule_search_locations)[0], "axe.min.js") if spec else ""
    if not os.path.exists(path):
        print("MISSING: axe-core 4 (pip install --no-deps axe-playwright-python, see .ci/run)", flush=True)
        sys.exit(3)
    return path


class Run:
    """The state of one run: findings, pages, screenshots, timings."""

    def __init__(self, config):
        self.config = config
        self.base = config["base"].rstrip("/")
        self.shots = config["screenshots"]
        os.makedirs(self.shots, exist_ok=True)
        self.axe_path = config.get("axe") or axe_script()
        self.axe_version = None
        self.pages = []          # {mode, name, url, status, violations: [...]}
        self.failures = []       # text
        self.notes = []          # findings that are not failures
        self.timings = {}
        self.counters = {}       # mode → screenshots taken
        self.drivers = []        # every browser started, for quitting them all when out of time
        self.checking = None
        self.seen = set()
        self.today = datetime.datetime.now(STOCKHOLM).date()

    # MARK: browsers

    def browser(self, javascript):
        options = webdriver.ChromeOptions()
        options.binary_location = self.config["chromium"]
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,900", "--lang=sv-SE", "--no-first-run", "--disable-extensions",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--password-store=basic", "--use-mock-keychain"]:
            options.add_argument(argument)
        prefs = {"intl.accept_languages": "sv-SE,sv", "credentials_enable_service": False,
                 "profile.password_manager_enabled": False}
        if not javascript:
            prefs["profile.managed_default_content_settings.javascript"] = 2
        options.add_experimental_option("prefs", prefs)
        # The main document's HTTP status comes from the performance log (Network.responseReceived).
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        service = Service(self.config["chromedriver"])
        driver = webdriver.Chrome(service=service, options=options)
        self.drivers.append(driver)
        driver.set_page_load_timeout(20)
        # JavaScript really is on or off for pages (WebDriver's own calls are not pages' scripts).
        driver.get("data:text/html;charset=utf-8,<title>x</title><script>document.title='js'</script>")
        if (driver.title == "js") != javascript:
            driver.quit()
            raise CheckFailed(f"the browser's JavaScript is {'on' if driver.title == 'js' else 'off'}, expected "
                              f"{'on' if javascript else 'off'}")
        driver.get_log("performance")
        return driver

    # MARK: what a page is

    def document_status(self, driver):
        """The HTTP status of the last main document the browser received (after redirects: the final one)."""
        status = None
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
                status = message["params"]["response"]["status"]
        return status

    def navigate(self, driver, action, url_part=None):
        """Does `action` (a click that leaves the page) and waits for the next page to have loaded."""
        old = driver.find_element(By.TAG_NAME, "html")
        action()
        def gone(_):
            try:
                old.tag_name
                return False
            except WebDriverException:  # stale, or (mid-navigation) "does not belong to the document"
                return True
        try:
            WebDriverWait(driver, WAIT, poll_frequency=0.05).until(gone)
        except TimeoutException:
            raise CheckFailed(f"the click did not leave {driver.current_url}")
        self.wait_loaded(driver, url_part)

    def wait_loaded(self, driver, url_part=None):
        try:
            WebDriverWait(driver, WAIT).until(
                lambda d: d.execute_script("return document.readyState") == "complete"
                and (url_part is None or (d.current_url.startswith(url_part) if url_part.startswith("http")
                                          else url_part in d.current_url)))
        except TimeoutException:
            raise CheckFailed(f"page did not load (expected '{url_part}' in the address, at {driver.current_url})")

    def screenshot(self, driver, mode, name):
        self.counters[mode] = self.counters.get(mode, 0) + 1
        path = os.path.join(self.shots, f"{mode}-{self.counters[mode]:02d}-{name}.png")
        try:
            metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": 1280, "height": max(900, int(size["height"])), "scale": 1}})
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        except WebDriverException:
            driver.save_screenshot(path)
        return path

    def checker(self):
        """A browser with JavaScript for axe on the pages the browser without it got: axe-core needs
        timers, and a page whose JavaScript is switched off runs none, not even WebDriver's."""
        if self.checking is None:
            self.checking = self.browser(True)
            self.checking.set_script_timeout(30)
        return self.checking

    def axe(self, driver, javascript):
        target = driver
        if not javascript:
            # The same document: as the browser without JavaScript has it, written into a blank page.
            html = driver.page_source
            if not html.lstrip().lower().startswith("<!doctype"):
                html = "<!DOCTYPE html>" + html
            target = self.checker()
            target.get("about:blank")
            target.execute_script("document.open(); document.write(arguments[0]); document.close();", html)
        checker = Axe(target, script_url=self.axe_path)
        checker.inject()
        results = checker.run()
        self.axe_version = results.get("testEngine", {}).get("version", self.axe_version)
        found = []
        for violation in results.get("violations", []):
            for node in violation.get("nodes", []):
                found.append({"rule": violation["id"], "impact": node.get("impact") or violation.get("impact"),
                              "target": " ".join(map(str, node.get("target", []))), "help": violation.get("help", ""),
                              "html": node.get("html", "")[:200], "summary": node.get("failureSummary", "")[:300]})
        return found

    def page(self, driver, mode, name, status=200, heading=None, errors=()):
        """Checks the page the browser is on: its status, its h1, a screenshot, axe; on Bevaka's pages
        also that no field but those in `errors` (None: any) is marked in error, and no Swift
        optional shows through ("nil", "Optional(") nor an empty value ("()", "Skäl:" with nothing)."""
        started = time.monotonic()
        got = self.document_status(driver)
        url = driver.current_url
        record = {"mode": mode, "name": name, "url": url, "status": got, "violations": []}
        self.pages.append(record)
        record["screenshot"] = os.path.basename(self.screenshot(driver, mode, name))
        if url.startswith(self.base):
            record["violations"] = self.axe(driver, mode == "js")
            for v in record["violations"]:
                line = (f"AXE {mode} {name} ({urllib.parse.urlsplit(url).path}): {v['rule']} [{v['impact']}] "
                        f"at {v['target']}: {v['help']} -- {v['html']}")
                print(line, flush=True)
                if v["impact"] in FAILING_IMPACTS:
                    self.failures.append(line)
        record["ms"] = int((time.monotonic() - started) * 1000)
        print(f"PAGE {mode} {name}: {url} status {got}, {len(record['violations'])} axe finding(s), "
              f"{record['ms']} ms", flush=True)
        if status is not None and got != status:
            raise CheckFailed(f"{name}: status {got}, expected {status} ({url})")
        if heading is not None:
            h1 = self.text(driver, "h1")
            if h1 != heading:
                raise CheckFailed(f"{name}: h1 is '{h1}', expected '{heading}'")
        if url.startswith(self.base):
            self.check_content(driver, mode, name, errors)
        return record

    def check_content(self, driver, mode, name, errors):
        where = f"{mode} {name} ({urllib.parse.urlsplit(driver.current_url).path})"
        text = self.body(driver)
        for pattern, what in [(r"\bnil\b", "'nil'"), (r"Optional\(", "'Optional('"), (r"\(\)", "empty '()'"),
                              (r"(?m)Skäl:\s*$", "'Skäl:' with nothing after it"),
                              (r"(?m)gällde från\s*$", "'gällde från' with nothing after it")]:
            found = re.findall(r"(?m)^.*" + pattern.replace("(?m)", "") + r".*$", text)
            if found and (mode, what) not in self.seen:
                self.seen.add((mode, what))  # once per pass, at the first page it is on
                self.fail(f"{where}: {what} shows on the page, {len(found)} time(s), e.g. {found[0].strip()!r}")
        if errors is None:
            return
        messages = sorted(e.get_attribute("id") or "(no id)" for e in driver.find_elements(By.CSS_SELECTOR, ".error-message"))
        wanted = sorted(f"f-{field}-fel" for field in errors)
        if messages != wanted:
            self.fail(f"{where}: error messages {messages}, expected {wanted}")
        invalid = sorted(e.get_attribute("id") or "(no id)" for e in driver.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]"))
        if invalid != sorted(f"f-{field}" for field in errors):
            self.fail(f"{where}: aria-invalid on {invalid}, expected {sorted(f'f-{field}' for field in errors)}")

    def fail(self, text):
        """A failure that does not stop the pass (what follows does not depend on it)."""
        print(f"FAIL {text}", flush=True)
        self.failures.append(text)

    # MARK: small helpers

    def text(self, driver_or_element, css):
        try:
            return driver_or_element.find_element(By.CSS_SELECTOR, css).text.strip()
        except NoSuchElementException:
            raise CheckFailed(f"no '{css}' on {getattr(driver_or_element, 'current_url', 'the element')}")

    def body(self, driver):
        return driver.find_element(By.TAG_NAME, "body").text

    def expect(self, condition, message):
        if not condition:
            raise CheckFailed(message)

    def form_of(self, driver, title):
        """The `<details>` whose summary is the event's title: opened (a click on the summary, which
        needs no script), and its form."""
        for details in driver.find_elements(By.CSS_SELECTOR, "details"):
            summary = details.find_element(By.CSS_SELECTOR, "summary")
            if summary.text.strip() == title:
                if details.get_attribute("open") is None:
                    summary.click()
                self.expect(details.get_attribute("open") is not None, f"'{title}' did not open on a click")
                return details.find_element(By.CSS_SELECTOR, "form")
        titles = [s.text.strip() for s in driver.find_elements(By.CSS_SELECTOR, "details > summary")]
        raise CheckFailed(f"no form '{title}' on {driver.current_url}; there are {titles}")

    def field(self, form, name):
        """The input `f.<name>`, with id `f-<name>` and a label for it."""
        try:
            element = form.find_element(By.NAME, f"f.{name}")
        except NoSuchElementException:
            raise CheckFailed(f"no input f.{name} in the form")
        self.expect(element.get_attribute("id") == f"f-{name}", f"f.{name} has id '{element.get_attribute('id')}'")
        labels = form.find_elements(By.CSS_SELECTOR, f"label[for='f-{name}']")
        self.expect(len(labels) == 1, f"f-{name} has {len(labels)} labels")
        return element

    def submit(self, driver, form, title, url_part):
        buttons = [b for b in form.find_elements(By.CSS_SELECTOR, "button[type=submit], button:not([type])")
                   if b.text.strip() == title]
        self.expect(len(buttons) == 1, f"no button '{title}' in the form")
        self.navigate(driver, buttons[0].click, url_part)

    def type_date(self, driver, element, year, month, day):
        """Types a date the way a person does, field by field in the browser's order (a date input
        shows day, month and year in the browser's locale; Debian's chromium without chromium-l10n
        is en-US: mm/dd/yyyy). Returns the input's value afterwards."""
        order = driver.execute_script(
            "return new Intl.DateTimeFormat(undefined, {year:'numeric', month:'2-digit', day:'2-digit'})"
            ".formatToParts(new Date(2001, 10, 22)).filter(p => p.type != 'literal').map(p => p.type)")
        parts = {"year": f"{year:04d}", "month": f"{month:02d}", "day": f"{day:02d}"}
        keys = []
        for index, kind in enumerate(order):
            keys.append(parts[kind])
            if kind == "year" and index < len(order) - 1:
                keys.append(Keys.ARROW_RIGHT)  # a year takes up to six digits: move on by hand
        element.click()
        element.send_keys(*keys)
        return element.get_attribute("value")

    def fill_date(self, driver, element, day):
        value = self.type_date(driver, element, day.year, day.month, day.day)
        self.expect(value == day.isoformat(), f"typed {day.isoformat()} into {element.get_attribute('id')}, it holds '{value}'")

    def history_count(self, driver):
        return len(driver.find_elements(By.CSS_SELECTOR, "ol[reversed] > li"))

    def state_line(self, driver):
        for paragraph in driver.find_elements(By.CSS_SELECTOR, "main p"):
            if paragraph.text.startswith("Läge:"):
                return paragraph.text
        raise CheckFailed(f"no 'Läge:' on {driver.current_url}")

    # MARK: the path

    def sign_in(self, driver, user, mode, first_page="/"):
        """Opens a page signed out: sent to the provider's login page, signs in as `user`, back to the page."""
        driver.get(self.base + first_page)
        self.wait_loaded(driver)
        self.expect(not driver.current_url.startswith(self.base),
                    f"signed out, {first_page} did not send the browser to sign in: {driver.current_url}")
        self.page(driver, mode, f"inloggning-{user}")
        field = driver.find_element(By.NAME, "username")
        field.send_keys(user)
        self.navigate(driver, field.find_element(By.XPATH, "ancestor::form//button").click, self.base)
        path = urllib.parse.urlsplit(driver.current_url)
        self.expect(path.path + (("?" + path.query) if path.query else "") == first_page,
                    f"signed in as {user}, the browser is at {driver.current_url}, not {first_page}")

    def case_link(self, driver, reference):
        links = [a for a in driver.find_elements(By.CSS_SELECTOR, "main table a") if a.text.strip() == reference]
        self.expect(len(links) == 1, f"{len(links)} links with the text {reference} on {driver.current_url}")
        return links[0]

    def kalmar(self, mode, user, case):
        ident, reference = case["id"], case["reference"]
        case_path = f"/arenden/{ident}"
        driver = self.browser(mode == "js")
        try:
            self.sign_in(driver, user, mode)
            self.page(driver, mode, "mina-arenden", heading="Mina ärenden")
            self.navigate(driver, self.case_link(driver, reference).click, case_path)
            self.page(driver, mode, "arende", heading=f"Ärende {reference}")
            self.expect("Händelse registrerad" in self.state_line(driver), f"the case is not new: {self.state_line(driver)}")

            # Classify: 2 × 3 = 6, yellow: a decision on what to do next.
            form = self.form_of(driver, "Klassificera händelsen")
            self.field(form, "allvarlighetsgrad").send_keys("2")
            self.field(form, "avsteg").send_keys("3")
            self.screenshot(driver, mode, "klassificera-ifyllt")
            self.submit(driver, form, "Klassificera händelsen", case_path + "?klart=klassificera")
            self.page(driver, mode, "klassificerat", heading=f"Ärende {reference}")
            state = self.state_line(driver)
            self.expect("Beslut om vidare åtgärd" in state, f"after classifying: {state}")
            fields = self.body(driver)
            self.expect("gul" in fields, "the case's colour (gul) is not shown after classifying")
            before = self.history_count(driver)

            request = "Skicka begäran om rättelse med datum för handlingsplan"
            # 30 February: the date input holds no such day, so it sends the field empty;
            # the daemon answers 400 with the problem beside the field and changes nothing.
            form = self.form_of(driver, request)
            self.fill_date(driver, self.field(form, "begaranSkickad"), self.today)
            plan = self.field(form, "planSenast")
            held = self.type_date(driver, plan, self.today.year + 1, 2, 30)
            bad = driver.execute_script("return arguments[0].validity.badInput", plan)
            self.expect(held == "" and bad, f"a date input took 30 February: '{held}'")
            self.screenshot(driver, mode, "ogiltigt-datum-ifyllt")
            self.submit(driver, form, request, case_path + "/handelse")
            self.page(driver, mode, "ogiltigt-datum", status=400, heading=f"Ärende {reference}",
                      errors=["planSenast"])
            self.check_field_error(driver, "planSenast", request)
            self.check_unchanged(driver, before, "Beslut om vidare åtgärd", "30 February")
            form = self.form_of(driver, request)
            self.expect(self.field(form, "begaranSkickad").get_attribute("value") == self.today.isoformat(),
                        "the request date typed is not kept in the form shown again")

            # A plan date before the request date: a day the input takes, refused by the workflow.
            form = self.form_of(driver, request)
            for name in ("begaranSkickad", "planSenast"):
                self.field(form, name).clear()
            self.fill_date(driver, self.field(form, "begaranSkickad"), self.today)
            self.fill_date(driver, self.field(form, "planSenast"), self.today - datetime.timedelta(days=3))
            self.submit(driver, form, request, case_path + "/handelse")
            record = self.page(driver, mode, "plan-fore-begaran", status=None, heading=f"Ärende {reference}", errors=None)
            self.expect(record["status"] in (400, 409), f"a plan date before the request: status {record['status']}")
            self.check_summary(driver)
            self.check_unchanged(driver, before, "Beslut om vidare åtgärd", "a plan date before the request")
            if not driver.find_elements(By.ID, "f-planSenast-fel") and not driver.find_elements(By.ID, "f-begaranSkickad-fel"):
                self.note(f"{mode}: a plan date before the request date is refused (status {record['status']}) with the "
                          f"problem in the summary only, not beside planSenast or begaranSkickad: the workflow's "
                          f"condition names no field")

            # Rightly: today, and the plan two weeks ahead.
            plan_day = self.today + datetime.timedelta(days=14)
            form = self.form_of(driver, request)
            for name in ("begaranSkickad", "planSenast"):
                self.field(form, name).clear()
            self.fill_date(driver, self.field(form, "begaranSkickad"), self.today)
            self.fill_date(driver, self.field(form, "planSenast"), plan_day)
            self.screenshot(driver, mode, "begaran-ifyllt")
            self.submit(driver, form, request, case_path + "?klart=skickaBegaranOmRattelse")
            self.page(driver, mode, "begaran-skickad", heading=f"Ärende {reference}")
            state = self.state_line(driver)
            self.expect("Inväntar handlingsplan" in state, f"after the request: {state}")
            self.expect(self.history_count(driver) == before + 1, "the request is not one more entry in the history")
            due = f"{swedish_date(plan_day)} kl. 17.00"
            rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "main table tr")
                    if "Handlingsplanen ska ha inkommit" in r.text]
            self.expect(rows and due in rows[0] and re.search(r"om \d+ arbetsdag(ar)?", rows[0]),
                        f"the case page's deadlines show no 'Handlingsplanen ska ha inkommit', {due}, 'om N arbetsdagar': {rows}")
            countdown = re.search(r"om \d+ arbetsdag(ar)?", rows[0]).group(0)

            # Mina ärenden: the case with what is due and when.
            self.navigate(driver, self.nav(driver, "Mina ärenden").click, self.base + "/")
            self.page(driver, mode, "mina-arenden-med-frist", heading="Mina ärenden")
            row = self.case_link(driver, reference).find_element(By.XPATH, "ancestor::tr").text
            for wanted in ("Handlingsplanen ska ha inkommit", due, countdown, "Inväntar handlingsplan"):
                self.expect(wanted in row, f"Mina ärenden's row for {reference} lacks '{wanted}': {row!r}")

            # The register and the team's traffic light, as the case officer sees them.
            self.navigate(driver, self.nav(driver, "Vårdgivare").click, "/register")
            self.page(driver, mode, "register", heading="Vårdgivare och avtal")
            self.navigate(driver, self.nav(driver, "Trafikljus").click, "/trafikljus")
            self.page(driver, mode, "trafikljus", heading="Trafikljus")
            self.navigate(driver, self.nav(driver, "Rapporter").click, "/rapporter")
            self.page(driver, mode, "rapporter", heading="Rapporter")
            self.kalender(driver, mode)
        finally:
            driver.quit()

    def kalender(self, driver, mode):
        """The calendar page: the case officer makes a feed of their cases, sees its address once
        (a calendar program gets text/calendar there), renews it (the old address is 404 at once)
        and revokes it (the new one too)."""
        self.navigate(driver, self.nav(driver, "Kalender").click, "/kalender")
        self.page(driver, mode, "kalender", heading="Kalenderlänkar")
        self.expect(not driver.find_elements(By.ID, "kalenderlank"), "the calendar page shows an address before one is made")
        make = "Skapa en kalenderlänk för mina ärenden"
        self.submit(driver, self.form_with_button(driver.find_element(By.TAG_NAME, "main"), make), make, "/kalender")
        self.page(driver, mode, "kalender-skapad", heading="Kalenderlänkar")
        url, feed = self.shown_address(driver)
        self.expect_feed(url, 200, "the address just made")
        self.expect("Länken är personlig, som ett lösenord." in self.body(driver), "no warning that the address is personal")
        self.expect("Prenumerera från webben" in self.body(driver), "no instructions for Outlook")

        # Shown once: the page again lists the feed, without its address.
        self.navigate(driver, self.nav(driver, "Kalender").click, "/kalender")
        self.page(driver, mode, "kalender-listad", heading="Kalenderlänkar")
        self.expect(url not in driver.page_source and not driver.find_elements(By.ID, "kalenderlank"),
                    "the calendar page shows the address again")
        row = driver.find_element(By.ID, f"lank-{feed}")
        self.expect("Mina ärenden" in row.text, f"the feed's row says {row.text!r}")

        self.submit(driver, self.form_with_button(row, "Förnya länken"), "Förnya länken", f"/kalender/{feed}/fornya")
        self.page(driver, mode, "kalender-fornyad", heading="Kalenderlänkar")
        renewed, same = self.shown_address(driver)
        self.expect(same == feed and renewed != url, f"renewing {feed} showed {renewed} of {same}")
        self.expect_feed(url, 404, "the address renewed away")
        self.expect_feed(renewed, 200, "the renewed address")

        row = driver.find_element(By.ID, f"lank-{feed}")
        self.submit(driver, self.form_with_button(row, "Återkalla länken"), "Återkalla länken", "/kalender?klart=aterkallad")
        self.page(driver, mode, "kalender-aterkallad", heading="Kalenderlänkar")
        self.expect("Kalenderlänken är återkallad." in self.body(driver), "no word that the feed is revoked")
        self.expect(not driver.find_elements(By.ID, f"lank-{feed}"), "the revoked feed is still listed")
        self.expect_feed(renewed, 404, "the revoked address")

    def form_with_button(self, within, title):
        forms = [f for f in within.find_elements(By.CSS_SELECTOR, "form[method=post]")
                 if any(b.text.strip() == title for b in f.find_elements(By.CSS_SELECTOR, "button"))]
        self.expect(len(forms) == 1, f"{len(forms)} forms with a button '{title}'")
        self.expect(forms[0].find_elements(By.CSS_SELECTOR, "input[type=hidden][name='_csrf']"), f"the form '{title}' has no _csrf")
        return forms[0]

    def shown_address(self, driver):
        """The address the page shows this once, and the id of its feed (the link to its row)."""
        areas = driver.find_elements(By.ID, "kalenderlank")
        self.expect(len(areas) == 1, "no address shown (#kalenderlank)")
        url = (areas[0].get_attribute("value") or "").strip()
        self.expect(url.startswith(self.base + "/calendar/") and url.endswith(".ics"), f"the address shown is {url!r}")
        labels = driver.find_elements(By.CSS_SELECTOR, "label[for='kalenderlank']")
        self.expect(len(labels) == 1, "the address has no label")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "div.notice a[href*='#lank-']")]
        self.expect(len(links) == 1, "the address's box does not link to its feed's row")
        return url, links[0].split("#lank-", 1)[1]

    def expect_feed(self, url, status, what):
        """Asks for the feed as a calendar program does (no cookie, nothing but the address)."""
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/calendar"}), timeout=WAIT) as answer:
                got, kind, text = answer.status, answer.headers.get("Content-Type", ""), answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            got, kind, text = error.code, error.headers.get("Content-Type", ""), ""
        self.expect(got == status, f"{what}: status {got}, expected {status}")
        if status == 200:
            self.expect(kind.startswith("text/calendar") and text.startswith("BEGIN:VCALENDAR\r\n"),
                        f"{what}: {kind}, {text[:40]!r}")

    def check_summary(self, driver):
        summaries = driver.find_elements(By.CSS_SELECTOR, "div.error-summary")
        self.expect(len(summaries) == 1, "no error summary (div.error-summary)")
        self.expect("Det finns problem" in summaries[0].text, f"the error summary says {summaries[0].text!r}")

    def check_field_error(self, driver, name, event_title):
        self.check_summary(driver)
        errors = driver.find_elements(By.ID, f"f-{name}-fel")
        self.expect(len(errors) == 1, f"no error beside {name} (#f-{name}-fel)")
        error = errors[0]
        self.expect("error-message" in (error.get_attribute("class") or "").split(), f"#f-{name}-fel is not .error-message")
        self.expect(error.text.startswith("Fel:"), f"#f-{name}-fel says {error.text!r}")
        # Beside the field: in the same group as the input, which names it as its description.
        form = self.form_of(driver, event_title)
        field = self.field(form, name)
        group = field.find_element(By.XPATH, "..")
        self.expect(group.find_elements(By.ID, f"f-{name}-fel"), f"#f-{name}-fel is not beside the input")
        self.expect(f"f-{name}-fel" in (field.get_attribute("aria-describedby") or "").split(),
                    f"f-{name} does not name its error in aria-describedby")
        self.expect(field.get_attribute("aria-invalid") == "true", f"f-{name} is not aria-invalid")
        if re.search(r"\b(required|must|invalid|expected|does not|carries|not a)\b", error.text):
            self.fail(f"the error beside {name} is not in Swedish: {error.text!r}")

    def check_unchanged(self, driver, history, state, what):
        self.expect(self.history_count(driver) == history,
                    f"after {what}: the history has {self.history_count(driver)} entries, had {history}")
        self.expect(state in self.state_line(driver), f"after {what}: {self.state_line(driver)}")
        self.expect("Inga frister löper." in self.body(driver), f"after {what}: a deadline runs")

    def avslut(self, mode, case, ticks):
        """Each of `ticks` ({user, items, note, from}) signs in and ticks its items with a note: from the
        case page (`from: arende`) or from the list of their tasks (`from: uppgifter`, "Mina uppgifter")."""
        ident, reference = case["id"], case["reference"]
        checklist = case.get("checklist", "avvecklingslista")
        case_path = f"/arenden/{ident}"
        for tick in ticks:
            user, items, from_list = tick["user"], tick["items"], tick.get("from") == "uppgifter"
            driver = self.browser(mode == "js")
            try:
                if from_list:
                    # Signed out, straight to the list: back there after signing in.
                    self.sign_in(driver, user, mode, first_page="/uppgifter")
                else:
                    self.sign_in(driver, user, mode)
                    self.page(driver, mode, f"mina-arenden-{user}", heading="Mina ärenden")
                    self.navigate(driver, self.nav(driver, "Mina uppgifter").click, "/uppgifter")
                self.page(driver, mode, f"mina-uppgifter-{user}", heading="Mina uppgifter")
                for item in items:
                    self.expect(driver.find_elements(By.ID, anchor("uppgift", ident, checklist, item)),
                                f"{user}'s Mina uppgifter lists no {item} of {reference} (#{anchor('uppgift', ident, checklist, item)})")
                if from_list:
                    for item in items:
                        row = driver.find_element(By.ID, anchor("uppgift", ident, checklist, item))
                        form = self.tick_form(row, item, case_path)
                        form.find_element(By.NAME, "notering").send_keys(f"{tick['note']} ({item})")
                        self.submit(driver, form, "Bocka av", "/uppgifter")
                        self.page(driver, mode, f"bockat-{item}-fran-listan", heading="Mina uppgifter")
                        self.expect(not driver.find_elements(By.ID, anchor("uppgift", ident, checklist, item)),
                                    f"{item}, ticked, is still on {user}'s Mina uppgifter")
                self.navigate(driver, self.nav(driver, "Alla ärenden jag ser").click, "vy=alla")
                self.page(driver, mode, f"alla-arenden-{user}")
                self.navigate(driver, self.case_link(driver, reference).click, case_path)
                self.page(driver, mode, f"avslut-{user}", heading=f"Ärende {reference}")
                for item in items:
                    note = f"{tick['note']} ({item})"
                    if not from_list:
                        form = self.tick_form(driver.find_element(By.ID, anchor("punkt", checklist, item)), item, case_path)
                        form.find_element(By.NAME, "notering").send_keys(note)
                        self.submit(driver, form, "Bocka av", case_path)
                        self.page(driver, mode, f"bockat-{item}", heading=f"Ärende {reference}")
                    row = driver.find_element(By.ID, anchor("punkt", checklist, item)).text
                    self.expect("Klar" in row and note in row, f"item {item} after ticking: {row!r}")
            finally:
                driver.quit()

    def register(self, mode, user):
        """The register kept on its page by `user` (a case officer, one of the team's roles): a CSV
        previewed with a contract whose board is not in the register (400, the problem with its line
        in Swedish, nothing saved), the right file previewed (what would be created, still nothing
        saved) and imported; a unit's listed patients typed as a word (refused beside the field) and
        then as a number; and the boards' report opened from "Rapporter" as its printable page. Each
        pass imports a provider, unit, board and contract of its own."""
        tag = mode.upper()
        board, provider, unit = f"B-{tag}", f"P-{tag}", f"SE-BT-{tag}-1"
        name = f"Webbläsarens vårdgivare {tag} AB"

        def csv(label, contract_board):
            path = os.path.join(os.path.dirname(self.shots.rstrip("/")), f"register-{mode}-{label}.csv")
            with open(path, "w", encoding="utf-8") as f:
                f.write("kind,key,name,group,provider,area,board,start,end,team,units,listed,listedFrom\n"
                        f"board,{board},Nämnden {tag},,,,,,,,,,\n"
                        f"provider,{provider},{name},Koncern {tag},,,,,,,,,\n"
                        f"unit,{unit},Vårdcentralen {tag},,{provider},,,,,,,4200,2026-01-01\n"
                        f"contract,AVT-{tag},,,{provider},VV Vårdcentral,{contract_board},2026-01-01,,Team {tag},{unit},,\n")
            return path

        def headings(driver):
            return [h.text.strip() for h in driver.find_elements(By.CSS_SELECTOR, "main h2")]

        def import_form(driver):
            forms = driver.find_elements(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
            self.expect(len(forms) == 1, f"{len(forms)} import forms (multipart) on {driver.current_url}")
            form = forms[0]
            self.expect(form.find_elements(By.CSS_SELECTOR, "input[type=hidden][name='_csrf']"), "the import form has no _csrf")
            self.expect(form.find_elements(By.CSS_SELECTOR, "label[for='csv-fil']"), "the file input has no label")
            return form

        driver = self.browser(mode == "js")
        try:
            self.sign_in(driver, user, mode, first_page="/register")
            self.page(driver, mode, "register-att-fora", heading="Vårdgivare och avtal")

            # A contract naming a board that is in neither the register nor the file: line 5.
            form = import_form(driver)
            form.find_element(By.ID, "csv-fil").send_keys(csv("fel", "B-FINNS-INTE"))
            self.screenshot(driver, mode, "import-fel-vald")
            self.submit(driver, form, "Förhandsgranska", "/register")
            self.page(driver, mode, "import-forhandsgranskning-fel", status=400, heading="Vårdgivare och avtal", errors=None)
            self.check_summary(driver)
            summary = driver.find_element(By.CSS_SELECTOR, "div.error-summary").text
            self.expect("rad 5: nämnden 'B-FINNS-INTE' finns inte i registret." in summary, f"the summary says {summary!r}")
            self.expect("Inget har sparats i registret." in summary, f"the summary does not say nothing was saved: {summary!r}")
            error = driver.find_elements(By.ID, "csv-fil-fel")
            self.expect(error and error[0].text.startswith("Fel: Filen har ett problem"), "no error beside the file input")
            self.expect("csv-fil-fel" in (driver.find_element(By.ID, "csv-fil").get_attribute("aria-describedby") or ""),
                        "the file input does not name its error")
            self.expect(name not in headings(driver), "the refused import saved the provider")

            # The right file: what would be created; still nothing saved.
            form = import_form(driver)
            form.find_element(By.ID, "csv-fil").send_keys(csv("ratt", board))
            self.submit(driver, form, "Förhandsgranska", "/register")
            self.page(driver, mode, "import-forhandsgranskning", heading="Vårdgivare och avtal")
            text = self.body(driver)
            self.expect("4 skapas, 0 ändras och 0 är som förut." in text, "the preview does not say 4 would be created")
            rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "main table tr") if provider in r.text]
            self.expect(rows and "vårdgivare" in rows[0] and "ny" in rows[0], f"the preview's row for {provider}: {rows}")
            self.expect(name not in headings(driver), "the preview saved the provider")

            # Importera sends the previewed text back (the file input is empty again): all of it saved.
            self.submit(driver, import_form(driver), "Importera", "/register?skapade=4")
            self.page(driver, mode, "importerat", heading="Vårdgivare och avtal")
            self.expect("Importen är sparad: 4 skapade, 0 ändrade och 0 oförändrade." in self.body(driver), "no notice that the import was saved")
            self.expect(name in headings(driver), f"the imported provider is not on the page: {headings(driver)}")

            # The unit's listed patients: a word refused beside the field, then a number saved.
            row_id = anchor("enhet", unit)
            for typed, status in (("många", 400), ("4 350", None)):
                row = driver.find_element(By.ID, row_id)
                details = row.find_element(By.CSS_SELECTOR, "details")
                if details.get_attribute("open") is None:
                    details.find_element(By.CSS_SELECTOR, "summary").click()
                form = details.find_element(By.CSS_SELECTOR, "form")
                field = form.find_element(By.ID, f"{row_id}-antal")
                self.expect(form.find_elements(By.CSS_SELECTOR, f"label[for='{row_id}-antal']"), "the count has no label")
                field.clear()
                field.send_keys(typed)
                if status:
                    self.submit(driver, form, "Spara antalet", "/register")
                    self.page(driver, mode, "antal-fel", status=400, heading="Vårdgivare och avtal", errors=None)
                    error = driver.find_elements(By.ID, f"{row_id}-antal-fel")
                    self.expect(error and error[0].text.startswith("Fel: Ange antalet listade"), "no error beside the count")
                    self.expect(driver.find_element(By.ID, f"{row_id}-antal").get_attribute("aria-invalid") == "true",
                                "the count is not aria-invalid")
                    self.expect("4200 listade" in driver.find_element(By.ID, row_id).text, "the refused count changed the unit")
                else:
                    self.submit(driver, form, "Spara antalet", "sparat=antal")
                    self.page(driver, mode, "antal-sparat", heading="Vårdgivare och avtal")
                    self.expect("4350 listade" in driver.find_element(By.ID, row_id).text,
                                f"the unit's row after saving: {driver.find_element(By.ID, row_id).text!r}")

            # The boards' report, for this pass's board, as its printable page.
            self.navigate(driver, self.nav(driver, "Rapporter").click, "/rapporter")
            self.page(driver, mode, "rapporter-for-utskrift", heading="Rapporter")
            report = driver.find_element(By.CSS_SELECTOR, "form[action='/reports/boards']")
            Select(report.find_element(By.ID, "namnd")).select_by_value(board)
            self.submit(driver, report, "Visa rapporten", "/reports/boards")
            self.page(driver, mode, "rapport-utskrift", heading="Återrapportering av avtalsuppföljning")
            self.expect("Avser: " in self.body(driver) and board in self.body(driver), "the report does not say it covers the board")
            self.expect(len(driver.find_elements(By.CSS_SELECTOR, "main table")) >= 1, "the report has no table")
        finally:
            driver.quit()

    def nav(self, driver, text):
        links = [a for a in driver.find_elements(By.CSS_SELECTOR, "header nav a") if a.text.strip() == text]
        self.expect(len(links) == 1, f"no '{text}' in the menu on {driver.current_url}")
        return links[0]

    def tick_form(self, row, item, case_path):
        forms = row.find_elements(By.CSS_SELECTOR, "form")
        self.expect(len(forms) == 1, f"no tick form on item {item}")
        form = forms[0]
        self.expect(form.get_attribute("method") == "post"
                    and urllib.parse.urlsplit(form.get_attribute("action")).path == case_path + "/bocka",
                    f"item {item}'s form posts to {form.get_attribute('action')}")
        for hidden in ("checklista", "punkt", "roll", "_csrf"):
            self.expect(form.find_elements(By.CSS_SELECTOR, f"input[type=hidden][name='{hidden}']"),
                        f"item {item}'s form lacks {hidden}")
        labels = form.find_elements(By.CSS_SELECTOR, f"label[for='{form.find_element(By.NAME, 'notering').get_attribute('id')}']")
        self.expect(len(labels) == 1, f"item {item}'s note has no label")
        return form

    def note(self, text):
        print(f"NOTE: {text}", flush=True)
        self.notes.append(text)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)
    for program in ("chromium", "chromedriver"):
        if not os.access(config.get(program, ""), os.X_OK):
            print(f"MISSING: {program} at '{config.get(program)}': apt-get install chromium chromium-driver", flush=True)
            sys.exit(3)
    run = Run(config)

    # A bound of its own: a hung browser is quit, not left behind when the Swift test kills this.
    def out_of_time(signum, frame):
        print(f"FAIL browser_check.py ran for more than {config.get('timeLimit', 200)} s", flush=True)
        for driver in run.drivers:
            try:
                driver.quit()
            except Exception:
                pass
        os._exit(1)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(config.get("timeLimit", 200)))

    def walk(mode):
        for step in config.get("steps", ["kalmar", "avslut"]):
            step_started = time.monotonic()
            try:
                if step == "kalmar":
                    run.kalmar(mode, config["kalmar"]["user"], config["kalmar"]["cases"][mode])
                elif step == "avslut":
                    run.avslut(mode, config["avslut"]["cases"][mode], config["avslut"]["ticks"])
                elif step == "register":
                    run.register(mode, config["register"]["user"])
                else:
                    raise CheckFailed(f"unknown step {step}")
            except CheckFailed as failure:
                print(f"FAIL {mode} {step}: {failure}", flush=True)
                run.failures.append(f"{mode} {step}: {failure}")
            except Exception as error:  # a browser or driver error: say where
                traceback.print_exc()
                run.failures.append(f"{mode} {step}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
            run.timings[f"{mode}-{step}"] = round(time.monotonic() - step_started, 2)

    started = time.monotonic()
    # The passes work on cases of their own, so they run side by side.
    threads = [threading.Thread(target=walk, args=(mode,)) for mode in config.get("modes", ["js", "nojs"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.5)  # in steps, so that the alarm is heard
    if run.checking is not None:
        run.checking.quit()
    run.timings["total"] = round(time.monotonic() - started, 2)
    findings = [dict(v, page=p["name"], mode=p["mode"]) for p in run.pages for v in p["violations"]]
    print(f"{len(run.pages)} pages, axe-core {run.axe_version}: {len(findings)} finding(s), "
          f"{sum(1 for v in findings if v['impact'] in FAILING_IMPACTS)} serious or critical; "
          f"{len(run.failures)} failure(s); {run.timings['total']} s", flush=True)
    print("RESULT " + json.dumps({"ok": not run.failures, "failures": run.failures, "notes": run.notes,
                                   "axe": run.axe_version, "timings": run.timings,
                                   "pages": [{k: p[k] for k in ("mode", "name", "status", "screenshot")} for p in run.pages],
                                   "violations": findings}, ensure_ascii=False), flush=True)
    sys.exit(0 if not run.failures else 1)


if __name__ == "__main__":
    main()
