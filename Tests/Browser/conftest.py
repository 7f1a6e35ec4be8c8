"""End-to-end browser tests: the real `taizhang` binary, a real SQLite demo database and real
headless Chromium driven through WebDriver (chromedriver from Debian, never downloaded).

One demo instance serves the whole session (seeding takes a few seconds); every test signs in
afresh in the one browser. Screenshots of the pages visited, at 1366 and 390 px, go to
$TAIZHANG_SHOTS (default /tmp/browser-shots)."""

import base64
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2012-12-03"
WIDE = (1366, 900)
PHONE = (390, 844)
SHOTS = Path(os.environ.get("TAIZHANG_SHOTS", "/tmp/browser-shots"))


def _binary() -> Path:
    path = Path(os.environ.get("TAIZHANG_BIN", ROOT / ".build/debug/taizhang"))
    if not path.is_absolute():
        path = ROOT / path
    if not path.exists():
        pytest.exit(f"taizhang binary not found at {path} (build it, or set TAIZHANG_BIN)", returncode=2)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, workdir, database, port, passwords, env):
        self.binary, self.workdir, self.database = binary, workdir, database
        self.port, self.passwords, self.env = port, passwords, env
        self.url = f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def server():
    binary = _binary()
    workdir = Path(tempfile.mkdtemp(prefix="taizhang-browser-"))
    database = workdir / "demo.sqlite"
    env = dict(os.environ, TAIZHANG_TODAY=TODAY, LOG_LEVEL="error",
               TAIZHANG_SQLITE_PATH=str(database))
    env.pop("DATABASE_URL", None)
    # Seed first with --no-serve: the command exits, so its output is complete however stdout is buffered.
    seeded = subprocess.run([str(binary), "demo", "--no-serve", "--database", str(database)],
                            env=env, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, f"taizhang demo failed:\n{seeded.stdout}\n{seeded.stderr}"
    passwords = dict(re.findall(r"^  (\w+)\s+(\S+)   ", seeded.stdout, re.M))
    assert {"admin", "quanzhou", "jinjiang", "anhai"} <= passwords.keys(), seeded.stdout
    port = _free_port()
    log = open(workdir / "serve.log", "w")
    process = subprocess.Popen([str(binary), "serve", "--port", str(port)], env=env, cwd=workdir,
                               stdout=log, stderr=subprocess.STDOUT)
    srv = Server(binary, workdir, database, port, passwords, env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"taizhang serve exited with {process.returncode}:\n"
                                     + (workdir / "serve.log").read_text())
            try:
                with urllib.request.urlopen(srv.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if os.environ.get("TAIZHANG_KEEP_TMP"):
            print(f"\nkept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()


@pytest.fixture(scope="session")
def downloads(server):
    path = server.workdir / "downloads"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def _driver(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", f"--window-size={WIDE[0]},{WIDE[1]}", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


class Browser:
    """The one browser, with the few things every test does."""

    def __init__(self, driver, server, downloads):
        self.driver, self.server, self.downloads = driver, server, downloads

    # navigation ---------------------------------------------------------------------------
    def get(self, path: str, shot: str | None = None):
        self.driver.get(self.server.url + path)
        self.check_not_error_page()
        if shot:
            self.shots(shot)

    def check_not_error_page(self):
        if self.find_all("section.error-page"):
            raise AssertionError(f"{self.driver.current_url} answered「{self.h1()}」: {self.error_messages()}")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def xpath(self, xp):
        return self.driver.find_element(By.XPATH, xp)

    def text(self, css="body") -> str:
        return self.find(css).text

    def h1(self) -> str:
        return self.find("h1").text

    def wait_for(self, css, timeout=20):
        return WebDriverWait(self.driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def click_and_wait(self, element, timeout=60):
        """Clicks something that submits a form or follows a link and waits for the new page."""
        old = self.find("html")
        element.click()
        WebDriverWait(self.driver, timeout).until(left_document(old))
        self.wait_for("body")

    def set_value(self, element, value: str):
        """Sets an input's value as the browser's own UI would (dates, which send_keys types by locale)."""
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)

    def cells(self, table) -> list[list[str]]:
        """The text of each body row's cells of a table (an element or a CSS selector), in one round trip."""
        if isinstance(table, str):
            table = self.find(table)
        return self.driver.execute_script(
            "return Array.from(arguments[0].tBodies[0] ? arguments[0].tBodies[0].rows : [],"
            " r => Array.from(r.cells, c => c.innerText.trim()))", table)

    def error_messages(self) -> list[str]:
        return [e.text for e in self.find_all(".error-message")]

    # session ------------------------------------------------------------------------------
    def sign_in(self, username: str):
        self.driver.delete_all_cookies()
        self.get("/login")
        self.find("input[name=username]").send_keys(username)
        self.find("input[name=password]").send_keys(self.server.passwords[username])
        self.click_and_wait(self.xpath("//form[@action='/login']//button[@type='submit']"))
        assert "/login" not in self.driver.current_url, f"sign-in as {username} failed: {self.error_messages()}"

    # window -------------------------------------------------------------------------------
    def resize(self, width, height):
        self.driver.set_window_size(width, height)
        WebDriverWait(self.driver, 5).until(lambda d: d.execute_script("return window.innerWidth") == width)

    def page_overflow(self) -> int:
        """How many CSS px the page body is wider than the window (0 = no horizontal scrolling)."""
        return self.driver.execute_script(
            "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")

    def overflowing_elements(self, limit=3) -> list[str]:
        """The outermost elements that reach past the window's right edge, as tag.class (width px)."""
        return self.driver.execute_script("""
            const w = window.innerWidth + 0.5, out = [];
            const walk = el => {
              for (const c of el.children) {
                if (out.length >= arguments[0]) return;
                const r = c.getBoundingClientRect();
                if (r.right > w) {
                  const cls = typeof c.className === 'string' && c.className.trim() ? '.' + c.className.trim().split(/ +/).join('.') : '';
                  out.push(`${c.tagName.toLowerCase()}${cls} (${Math.round(r.width)} px wide, right edge at ${Math.round(r.right)} px)`);
                } else if (getComputedStyle(c).overflowX === 'visible') walk(c);
              }
            };
            walk(document.body);
            return out;""", limit)

    def screenshot(self, name: str):
        """A full-page PNG at the current width."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width = self.driver.execute_script("return window.innerWidth")
        width = max(width, int(size["width"]))
        height = min(int(size["height"]), 6000)
        png = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": max(height, 1), "scale": 1}})
        (SHOTS / f"{name}.png").write_bytes(base64.b64decode(png["data"]))

    def shots(self, name: str):
        """Screenshots of the current page at 1366 and at 390 px wide; leaves the window as it was.
        They are an aid to the reader, not a check: a failed capture is reported and skipped."""
        width = self.driver.execute_script("return window.innerWidth")
        height = self.driver.execute_script("return window.innerHeight")
        try:
            self.resize(*WIDE)
            self.screenshot(f"{name}-1366")
            self.resize(*PHONE)
            self.screenshot(f"{name}-390")
        except WebDriverException as error:
            warnings.warn(f"screenshot {name} not taken: {error.msg}")
        finally:
            self.resize(width, height)

    def campaign_href(self) -> str:
        """The path of the demo's campaign, as the 目标任务 list links to it."""
        self.get("/campaigns", shot="campaigns")
        for link in self.find_all("main a[href^='/campaigns/']"):
            href = link.get_attribute("href").removeprefix(self.server.url)
            if re.fullmatch(r"/campaigns/[^/?#]+", href):
                return href
        raise AssertionError("no campaign listed on /campaigns:\n" + self.text("main"))

    # downloads ----------------------------------------------------------------------------
    def download(self, link, suffix: str, timeout=60) -> Path:
        """Clicks a download link and waits for the finished file with that suffix."""
        before = set(self.downloads.iterdir())
        link.click()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = [p for p in self.downloads.iterdir() if p not in before and p.name.endswith(suffix)]
            if new and new[0].stat().st_size > 0:
                time.sleep(0.2)
                return new[0]
            time.sleep(0.1)
        raise AssertionError(f"no {suffix} download in {self.downloads} after {timeout} s: {list(self.downloads.iterdir())}")


@pytest.fixture
def browser(_driver, server, downloads):
    b = Browser(_driver, server, downloads)
    _driver.delete_all_cookies()
    b.resize(*WIDE)
    yield b


# Waiting for a new page, robustly ------------------------------------------------------------

def left_document(element):
    """A wait condition: true once `element` (of the page before) has left the document.
    Chromium's driver sometimes answers for a node of an unloaded page with "Node with given id
    does not belong to the document" — a plain WebDriverException, which EC.staleness_of does
    not take for staleness — so any WebDriverException counts as gone."""
    def check(_driver):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def click_for_page(browser, element, timeout=60):
    """Browser.click_and_wait, waiting with left_document instead of EC.staleness_of."""
    old = browser.find("html")
    element.click()
    WebDriverWait(browser.driver, timeout).until(left_document(old))
    browser.wait_for("body")


def answer_confirm(browser, button, accept=True):
    """Clicks a data-confirm button and answers the browser's question; waits for the new page if
    accepted. Returns the question."""
    old = browser.find("html")
    button.click()
    alert = WebDriverWait(browser.driver, 10).until(EC.alert_is_present())
    question = alert.text
    if accept:
        alert.accept()
        WebDriverWait(browser.driver, 60).until(left_document(old))
        browser.wait_for("body")
    else:
        alert.dismiss()
    return question
