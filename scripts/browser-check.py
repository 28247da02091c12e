#!/usr/bin/env python3
"""Checks an `accord report` page in headless Chromium (Python 3 standard library only).

    browser-check.py CHROMIUM REPORT.html OUT_DIR --sweeps N

1. The DOM Chromium builds from the file (--dump-dom) has every section, the tables, and one
   drawn chart (<svg> with lines and text) per sweep, as many as the file itself holds.
2. Loaded over the DevTools protocol (--remote-debugging-pipe, so no port is opened), the page
   requested nothing but its own file:// URL and logged nothing: no console message, no
   exception, no log entry (a failed load would be one).
3. Screenshots at a desktop's size and emulating a phone (390 CSS pixels, mobile, honouring
   the viewport meta) are not blank, and on the phone nothing is wider than the screen.

Writes the DOM and the screenshots (desktop.png, phone.png, and whole-page *-full.png for a
person to look at) to OUT_DIR. Exits 1, saying what failed, on the first failed check.
"""

import argparse
import base64
import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import time
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

# Chromium's own background traffic is switched off and every host name resolves to
# nothing, so the page could reach no network even if it tried; the checks below still
# see any attempt, since the protocol reports requests before they are sent.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]

SECTIONS = ["results", "sweeps", "scenario", "sources", "provenance"]

# Emulated screens: (name, CSS width, CSS height, mobile).
SCREENS = [("desktop", 1280, 2000, False), ("phone", 390, 1800, True)]


def fail(message):
    print(f"browser-check: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def dump_dom(binary, out, url):
    """The DOM after parsing, as Chromium serialises it."""
    cmd = [binary, *FLAGS, f"--user-data-dir={out / 'profile-dom'}", "--dump-dom", url]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if run.returncode != 0:
        fail(f"chromium --dump-dom exited with {run.returncode}:\n{run.stderr[-2000:]}")
    return run.stdout


class Cdp:
    """A DevTools protocol client over --remote-debugging-pipe: Chromium reads commands
    from its fd 3 and writes replies and events to its fd 4, each a JSON text ended by NUL."""

    def __init__(self, binary, out):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Move the pipe ends out of the way first, so neither lands on the other's number.
            a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        cmd = [binary, *FLAGS, f"--user-data-dir={out / 'profile-cdp'}",
               "--remote-debugging-pipe", "about:blank"]
        self.log = open(out / "chromium.log", "w")
        self.proc = subprocess.Popen(cmd, preexec_fn=fds, pass_fds=(3, 4),
                                     stdout=self.log, stderr=subprocess.STDOUT)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def receive(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                fail("chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                fail("chromium closed the DevTools pipe")
            self.buf += chunk
        text, self.buf = self.buf.split(b"\0", 1)
        return json.loads(text)

    def call(self, method, params=None, session=None, timeout=60):
        want = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            msg = self.receive(deadline)
            if msg.get("id") == want:
                if "error" in msg:
                    fail(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method, session, timeout=60):
        deadline = time.monotonic() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            msg = self.receive(deadline)
            self.events.append(msg)
            if msg.get("method") == method and msg.get("sessionId") == session:
                return self.events.pop()

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()
        self.log.close()


def load_and_shoot(binary, out, url):
    """Loads the page on each screen; checks requests and logs; saves the screenshots."""
    cdp = Cdp(binary, out)
    try:
        target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ["Network", "Runtime", "Log", "Page"]:
            cdp.call(f"{domain}.enable", {}, s)
        shots = []
        for name, width, height, mobile in SCREENS:
            cdp.events.clear()
            cdp.call("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, s)
            cdp.call("Page.navigate", {"url": url}, s)
            cdp.wait_event("Page.loadEventFired", s)
            # Anything the page would do after its load event (there should be nothing).
            time.sleep(1.0)
            cdp.call("Runtime.evaluate", {"expression": "0"}, s)
            check_events(cdp.events, url, name)
            wide = cdp.call("Runtime.evaluate", {"expression":
                "[document.documentElement.scrollWidth, window.innerWidth]",
                "returnByValue": True}, s)["result"]["value"]
            if wide[0] > wide[1]:
                fail(f"on the {name} screen the page is {wide[0]} px wide, wider than its {wide[1]} px")
            shot = out / f"{name}.png"
            data = cdp.call("Page.captureScreenshot", {"format": "png"}, s)["data"]
            shot.write_bytes(base64.b64decode(data))
            full = cdp.call("Page.captureScreenshot",
                            {"format": "png", "captureBeyondViewport": True}, s)["data"]
            (out / f"{name}-full.png").write_bytes(base64.b64decode(full))
            shots.append((shot, width))
        return shots
    finally:
        cdp.close()


def check_events(events, url, name):
    """Only the page's own file was requested, and nothing was logged."""
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Network.requestWillBeSent":
            asked = p["request"]["url"]
            if asked != url:
                fail(f"the page ({name}) requested {asked}")
        elif method in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown"):
            fail(f"the page ({name}) logged: {json.dumps(p)[:500]}")
        elif method == "Log.entryAdded":
            fail(f"the page ({name}) logged: {json.dumps(p['entry'])[:500]}")
    print(f"browser-check: {name}: no request but the page's own file, nothing logged")


class Dom(HTMLParser):
    """Counts what the checks need in the serialised DOM."""

    def __init__(self):
        super().__init__()
        self.ids = set()
        self.tags = Counter()
        self.svg_depth = 0
        self.svgs = []  # per <svg>: Counter of the elements inside it

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "svg":
            self.svg_depth += 1
            self.svgs.append(Counter())
        elif self.svg_depth:
            self.svgs[-1][tag] += 1

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1


def check_dom(dom_text, source_text, sweeps):
    dom = Dom()
    dom.feed(dom_text)
    missing = [s for s in SECTIONS if s not in dom.ids]
    if missing:
        fail(f"sections missing from the DOM: {', '.join(missing)}")
    for table in ["acceptance", "utility"]:
        if table not in dom.ids:
            fail(f"the results table #{table} is missing from the DOM")
    for k in range(1, sweeps + 1):
        for part in [f"chart-sweep-{k}", f"sweep-table-{k}"]:
            if part not in dom.ids:
                fail(f"#{part} is missing from the DOM")
    in_file = source_text.count("<svg")
    if len(dom.svgs) != in_file or len(dom.svgs) < sweeps:
        fail(f"the DOM has {len(dom.svgs)} charts; the file has {in_file}, {sweeps} sweeps asked")
    for k, inside in enumerate(dom.svgs, 1):
        marks = inside["path"] + inside["polyline"] + inside["line"] + inside["rect"]
        if marks < 10 or inside["text"] < 5:
            fail(f"chart {k} is nearly empty: {dict(inside)}")
    tables = dom.tags["table"]
    if tables < 4 + sweeps:
        fail(f"only {tables} tables in the DOM")
    if dom.tags["script"] or dom.tags["img"] or dom.tags["link"] or dom.tags["iframe"]:
        fail(f"the page holds script, img, link or iframe elements: {dict(dom.tags)}")
    print(f"browser-check: DOM ok: {len(dom.svgs)} charts, {tables} tables, sections {SECTIONS}")


def png_pixels(path):
    """(width, height, rows of RGB(A) tuples) of an 8-bit RGB or RGBA PNG."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        fail(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def check_screenshot(path, width):
    if not path.exists():
        fail(f"no screenshot at {path}")
    w, h, bpp, rows = png_pixels(path)
    if w != width:
        fail(f"{path} is {w} pixels wide, not {width}")
    colours = Counter()
    for row in rows:
        for i in range(0, len(row), bpp):
            colours[row[i : i + 3]] += 1
    total = w * h
    top = colours.most_common(1)[0][1] / total
    if len(colours) < 50 or top > 0.97:
        fail(f"{path} looks blank: {len(colours)} colours, the commonest covers {top:.1%}")
    print(f"browser-check: {path.name} ok: {w}x{h}, {len(colours)} colours, background {top:.0%}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("chromium")
    ap.add_argument("report", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--sweeps", type=int, required=True)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    url = a.report.resolve().as_uri()
    dom = dump_dom(a.chromium, a.out, url)
    (a.out / "dom.html").write_text(dom)
    check_dom(dom, a.report.read_text(), a.sweeps)
    for shot, width in load_and_shoot(a.chromium, a.out, url):
        check_screenshot(shot, width)
    print("browser-check: ok")


if __name__ == "__main__":
    main()
