"""The web page in a real browser (headless Chromium driven by Selenium through the system's
chromedriver, nothing downloaded): load the page, check the bundled example, unfold a
derivation and see its case lines marked, see an input error at its line and column. The
screenshot in docs/web.md is taken here."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from pos_logic.web.app import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="no Chromium and chromedriver on this machine "
                                       "(apt-get install chromium chromium-driver; .ci/run installs them)")
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "web.png"


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _wait(browser, css: str, timeout: float = 60):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_check_the_example_and_unfold_a_derivation(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server)
    _wait(browser, "#jurisdiction option")
    assert "contract" in browser.find_element(By.ID, "case").get_property("value")
    browser.find_element(By.ID, "check").click()
    _wait(browser, ".finding")
    summary = browser.find_element(By.CSS_SELECTOR, ".summary").text
    assert "no violations among what the case states" in summary  # not a green all-clear
    assert "unsure" in browser.find_element(By.CSS_SELECTOR, ".summary").get_attribute("class")
    assert "approval status not stated" in browser.find_element(By.CSS_SELECTOR, ".unstated").text
    pcs_d = next(f for f in browser.find_elements(By.CSS_SELECTOR, ".finding")
                 if "PCS-D (" in f.find_element(By.CSS_SELECTOR, ".head").text)
    assert "AR-DISC-01" in pcs_d.find_element(By.CSS_SELECTOR, ".meta").text
    pcs_d.find_element(By.TAG_NAME, "summary").click()
    _wait(browser, ".finding details[open] .derivation")
    marked = browser.find_elements(By.CSS_SELECTOR, "#backdrop mark")
    assert marked, "unfolding a derivation marks the case lines it rests on"
    assert any("compensation" in m.get_attribute("textContent") for m in marked)
    browser.save_screenshot(str(SCREENSHOT))


def test_an_input_error_is_shown_at_its_line(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server)
    _wait(browser, "#jurisdiction option")
    editor = browser.find_element(By.ID, "case")
    browser.execute_script("arguments[0].value = arguments[0].value.replace('compensation', 'compensaton');"
                           "arguments[0].dispatchEvent(new Event('input'));", editor)
    browser.find_element(By.ID, "check").click()
    error = _wait(browser, ".errors li")
    assert "unknown attribute 'compensaton'" in error.text and "did you mean 'compensation'" in error.text
    line = int(error.find_element(By.TAG_NAME, "button").text.split()[1].rstrip(","))
    row = browser.find_element(By.ID, "case").get_property("value").split("\n")[line - 1]
    assert "compensaton" in row
    assert browser.find_elements(By.CSS_SELECTOR, "#backdrop mark.error")
