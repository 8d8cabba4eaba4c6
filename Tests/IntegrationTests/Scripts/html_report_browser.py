"""Opens a judgetop HTML report in headless Chromium (Debian's, driven by Playwright) and prints
what a test needs to judge it, as JSON: console messages, page errors, every request the page made,
script elements, whether an injected script ran, the review table's titles as shown, the charts,
and the page's colours in light, dark and print. Saves a full-page screenshot.

usage: html_report_browser.py REPORT.html SCREENSHOT.png CHROMIUM
"""
import json
import pathlib
import sys

from playwright.sync_api import sync_playwright

page_path, screenshot, chromium = sys.argv[1:4]
url = pathlib.Path(page_path).resolve().as_uri()
result = {"console": [], "errors": [], "requests": []}

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.on("console", lambda m: result["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: result["errors"].append(str(e)))
    page.on("request", lambda r: result["requests"].append(r.url))
    page.goto(url, wait_until="load")
    result.update(page.evaluate("""() => ({
        scripts: document.querySelectorAll('script').length,
        pwned: window.pwned === 1,
        images: document.images.length,
        charts: document.querySelectorAll('svg.chart').length,
        chartsDrawn: [...document.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().height > 40).length,
        titles: [...document.querySelectorAll('#review tbody tr')].map(r => r.children[1].textContent),
        heading: document.querySelector('h1').textContent,
        light: getComputedStyle(document.body).backgroundColor,
    })"""))
    page.screenshot(path=screenshot, full_page=True)
    page.emulate_media(color_scheme="dark")
    result["dark"] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(media="print", color_scheme="dark")
    result["print"] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    browser.close()

print(json.dumps(result))
