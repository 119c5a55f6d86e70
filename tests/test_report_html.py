"""The HTML report (``ntm-rules report``): one self-contained page whose charts carry the
library's own counts, whose every text is escaped, rendered by a real headless browser that
must make no network request."""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import socket
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntm_rules.aggregate.report import evaluate_data_set
from ntm_rules.aggregate.tally import ladder_summary, summary
from ntm_rules.batch import evaluate_many
from ntm_rules.ladder import Ladder, LadderResult, get_ladder, level_rulesets
from ntm_rules.models.structuring import load_records
from ntm_rules.report_html import data_set_report, ladder_report, ruleset_report
from ntm_rules.report_html.charts import BAR_AREA, Bar, Stack, bar_chart, stacked_chart
from ntm_rules.result import MET, MISSING, NOT_MET, EvaluationResult
from ntm_rules.ruleset.registry import get_ruleset
from ntm_rules.text import nfc
from tests.cli_support import failed, ok, run

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "examples" / "sonla-communes-2023.json"
VILLAGES = ROOT / "examples" / "sonla-villages-2023.json"
PROVINCE = ROOT / "examples" / "sonla-province-2023.json"
SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


# --- reading a page back ------------------------------------------------------------------


class Page(HTMLParser):
    """A report page read back: its charts (name, caption, SVG source), the units' rows and
    their explanations, and every tag and attribute it uses."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lang: str | None = None
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str]] = []
        self.charts: list[dict[str, str]] = []
        self.explanations: list[str] = []
        self._chart: dict[str, str] | None = None
        self._in: str | None = None
        self.feed(text)
        svgs = re.findall(r"<svg\b.*?</svg>", text, flags=re.S)
        assert len(svgs) == len(self.charts)
        for chart, source in zip(self.charts, svgs, strict=True):
            chart["svg"] = source

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        found = {name: value or "" for name, value in attrs}
        self.attributes += [(tag, name, value) for name, value in found.items()]
        if tag == "html":
            self.lang = found.get("lang")
        if tag == "figure":
            self._chart = {"name": found["data-chart"], "caption": "", "svg": ""}
            self.charts.append(self._chart)
        if tag in ("figcaption", "pre"):
            self._in = tag
            if tag == "pre":
                self.explanations.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "figcaption" and self._chart is not None:
            self._chart["caption"] += data
        elif self._in == "pre":
            self.explanations[-1] += data

    def named(self, name: str) -> list[ET.Element]:
        return [ET.fromstring(c["svg"]) for c in self.charts if c["name"] == name]


def values(svg: ET.Element) -> list[int]:
    """The numbers the bars of a chart are drawn for, in order."""
    return [int(r.attrib["data-value"]) for r in svg.iter(f"{SVG}rect") if "data-value" in r.attrib]


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


# --- the results the pages are made from ----------------------------------------------------


@functools.cache
def ladder_run() -> tuple[Ladder, list[Any], list[LadderResult]]:
    ladder = get_ladder("sonla.commune.2021")
    records = load_records(COMMUNES, level_rulesets(ladder)[-1].model)
    return ladder, records, evaluate_many(ladder, records)


@functools.cache
def ladder_page(lang: str = "vi") -> str:
    ladder, records, placed = ladder_run()
    return ladder_report(ladder, records, placed, "en" if lang == "en" else "vi", data="x.json")


@functools.cache
def ruleset_run() -> tuple[Any, list[Any], list[EvaluationResult]]:
    ruleset = get_ruleset("vn.commune.ntm.2021")
    records = load_records(COMMUNES, ruleset.model)
    return ruleset, records, evaluate_many(ruleset, records)


@functools.cache
def province_page() -> str:
    return data_set_report(evaluate_data_set("sonla.province.2021", PROVINCE), "vi")


# --- structure ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_self_contained_page(lang: str) -> None:
    text = ladder_page(lang)
    page = Page(text)
    assert text.startswith("<!DOCTYPE html>")
    assert page.lang == lang
    assert '<meta charset="utf-8">' in text
    assert text == nfc(text)
    # nothing fetched: no script, stylesheet link, image, frame, font or import
    for tag in ("script", "link", "img", "iframe", "object", "embed", "audio", "video"):
        assert page.tags[tag] == 0, tag
    assert "url(" not in text and "@import" not in text and "@font-face" not in text
    for tag, name, value in page.attributes:
        if name in ("href", "src", "srcset", "action", "poster"):
            assert value.startswith("#"), (tag, name, value)
    assert page.tags["style"] == 1
    assert "@media print" in text


def test_every_chart_is_well_formed_svg_with_a_title_and_text() -> None:
    for text in (ladder_page(), province_page()):
        page = Page(text)
        assert page.charts
        for chart in page.charts:
            svg = ET.fromstring(chart["svg"])
            assert svg.tag == f"{SVG}svg"
            title = svg.find(f"{SVG}title")
            assert title is not None and title.text == chart["caption"]
            assert chart["caption"].strip()
            # every bar's number is written beside or inside it: it reads without colour
            shown = texts(svg)
            for value in values(svg):
                assert value == 0 or str(value) in shown or chart["name"] == "districts"


def test_the_ladder_charts_carry_the_library_counts() -> None:
    ladder, records, placed = ladder_run()
    counts = ladder_summary(ladder, level_rulesets(ladder), placed)
    page = Page(ladder_page())
    (places,) = page.named("places")
    assert values(places) == [p["units"] for p in counts["places"]]
    (distribution,) = page.named("distribution")
    assert values(distribution) == [b["units"] for b in counts["distribution"]]
    assert sum(values(distribution)) == len(records)
    (levels,) = page.named("levels")
    # each level (units at it or above) against its count target, then each named-units
    # target (units reached of those named) and each floor (units still below it, target 0)
    others = [t for t in counts["targets"] if t["kind"] != "count"]
    assert values(levels) == [level["at_or_above"] for level in counts["levels"]] + [
        t["reached"] if t["kind"] == "units" else t["below"] for t in others
    ]
    targets = [int(line.attrib["data-target"]) for line in levels.iter(f"{SVG}line")]
    assert targets == [t["count"] for t in counts["targets"] if t["kind"] == "count"] + [
        len(t["units"]) if t["kind"] == "units" else 0 for t in others
    ]
    assert {t["kind"] for t in counts["targets"]} >= {"count", "floor"}  # Sơn La's targets


def test_the_district_bars_count_the_communes_of_each_district() -> None:
    _, records, placed = ladder_run()
    expected: dict[str, Counter[int]] = {}
    for record, result in zip(records, placed, strict=True):
        expected.setdefault(record.district, Counter())[result.reached + 1] += 1
    (districts,) = Page(ladder_page()).named("districts")
    levels = len(placed[0].results) + 1
    bars = values(districts)
    assert len(bars) == levels * len(expected)
    for n, (name, found) in enumerate(expected.items()):
        assert bars[n * levels : (n + 1) * levels] == [found[k] for k in range(levels)]
        assert name in texts(districts)


def test_the_criteria_most_often_missed() -> None:
    _, _, placed = ladder_run()
    aiming = [r.next_result for r in placed if r.reached == -1 and r.next_result is not None]
    missed = Counter(
        c.id for result in aiming for c in result.criteria if c.status == NOT_MET
    ).most_common()
    charts = Page(ladder_page()).named("missed")
    assert len(charts) == len({r.reached for r in placed if r.next_result is not None})
    first = charts[0]
    assert sorted(values(first), reverse=True) == values(first)  # most missed first
    assert values(first) == [n for _, n in missed][: len(values(first))]
    labels = [t for t in texts(first) if ". " in t]
    assert [label.split(".")[0] for label in labels] == [c for c, _ in missed][: len(labels)]


def test_a_ruleset_page() -> None:
    ruleset, records, results = ruleset_run()
    for lang in ("vi", "en"):
        text = ruleset_report(ruleset, records, results, lang)
        page = Page(text)
        counts = summary(results, ruleset)
        (statuses,) = page.named("places")  # a ruleset: met, not met, missing data
        assert values(statuses) == [counts["met"], counts["not_met"], counts["missing"]]
        (distribution,) = page.named("distribution")
        assert values(distribution) == [b["units"] for b in counts["distribution"]]
        assert not page.named("levels")  # one ruleset has no levels nor targets
        (districts,) = page.named("districts")
        assert sum(values(districts)) == len(records)
        # each unit's explanation, one click away
        assert page.tags["details"] == len(results)
        assert page.explanations == [r.explain(lang).rstrip("\n") for r in results]
        by_status = Counter(r.status for r in results)
        assert values(statuses) == [by_status[MET], by_status[NOT_MET], by_status[MISSING]]


def test_a_data_set_page_has_a_section_per_ladder_and_the_district_progress() -> None:
    report = evaluate_data_set("sonla.province.2021", PROVINCE)
    page = Page(province_page())
    ladders = [a for a in report.assessments() if a.ladder is not None]
    assert page.tags["section"] == len(ladders)
    assert page.tags["details"] == sum(len(a.units) for a in ladders)
    rows = [row for row in report.progress() if row.summary() is not None]
    (districts,) = page.named("districts")
    shown = values(districts)
    width = len(shown) // len(rows)
    for n, row in enumerate(rows):
        found = row.summary()
        assert found is not None
        assert shown[n * width : (n + 1) * width] == [p["units"] for p in found["places"]]
    # the province's explanation says what its aggregates were computed from
    province = report.units[0]
    first = html.unescape(page.explanations[0])
    for value in province.aggregates:
        assert value.describe("vi", limit=50) in first


def test_every_text_is_escaped() -> None:
    ruleset, records, _ = ruleset_run()
    hostile = '<script>alert("x")</script> & <b>'
    changed = [attrs.evolve(records[0], name=hostile, district=hostile), *records[1:3]]
    results = evaluate_many(ruleset, changed)
    text = ruleset_report(ruleset, changed, results, "vi", data="<i>.json")
    page = Page(text)
    assert page.tags["script"] == 0 and page.tags["b"] == 0 and page.tags["i"] == 0
    assert html.escape(hostile) in text
    for chart in page.charts:
        ET.fromstring(chart["svg"])  # still well-formed


def test_english_and_vietnamese_words() -> None:
    vi, en = ladder_page("vi"), ladder_page("en")
    assert "Phân bố theo số tiêu chí đạt" in vi and "Còn thiếu gần nhất" in vi
    assert "Distribution by number of criteria met" in en and "Nearest gap" in en
    assert "Phân bố" not in en and "Distribution" not in vi


# --- the charts' geometry -------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_bar_lengths_are_proportional_to_the_counts(counts: list[int]) -> None:
    svg = ET.fromstring(bar_chart("t", [Bar(f"b{n}", c) for n, c in enumerate(counts)], "x"))
    widths = [float(r.attrib["width"]) for r in svg.iter(f"{SVG}rect")]
    assert values(svg) == counts
    top = max(counts)
    for width, count in zip(widths, counts, strict=True):
        expected = count * BAR_AREA / top if top else 0
        assert width == pytest.approx(expected, abs=0.01)
    assert max(widths) == (BAR_AREA if top else 0)


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=500), min_size=3, max_size=3),
        min_size=1,
        max_size=8,
    ),
    st.integers(min_value=0, max_value=600),
)
def test_targets_and_stacks_on_the_same_scale(parts: list[list[int]], target: int) -> None:
    stacks = [Stack(f"d{n}", tuple(p)) for n, p in enumerate(parts)]
    svg = ET.fromstring(stacked_chart("t", ["a", "b", "c"], stacks))
    rects = [r for r in svg.iter(f"{SVG}rect") if "data-value" in r.attrib]
    top = max(sum(p) for p in parts)
    for n, p in enumerate(parts):
        mine = rects[3 * n : 3 * n + 3]
        total = sum(float(r.attrib["width"]) for r in mine)
        assert total == pytest.approx(sum(p) * BAR_AREA / top if top else 0, abs=0.05)
        starts = [float(r.attrib["x"]) for r in mine]
        assert starts == sorted(starts) and starts[0] == 0  # parts side by side from the axis
    bars = ET.fromstring(bar_chart("t", [Bar("a", 10, target=target)], "mục tiêu"))
    (line,) = bars.iter(f"{SVG}line")
    (rect,) = bars.iter(f"{SVG}rect")
    scale = max(10, target, 1)
    assert float(line.attrib["x1"]) == pytest.approx(target * BAR_AREA / scale, abs=0.01)
    assert float(rect.attrib["width"]) == pytest.approx(10 * BAR_AREA / scale, abs=0.01)


# --- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "data", "lang"),
    [
        ("sonla.commune.2021", COMMUNES, "vi"),
        ("vn.commune.ntm.2021", COMMUNES, "en"),
        ("sonla.village.2021", VILLAGES, "vi"),
        ("sonla.province.2021", PROVINCE, "en"),
    ],
)
def test_the_command_writes_the_page(rules: str, data: Path, lang: str, tmp_path: Path) -> None:
    out = tmp_path / "baocao.html"
    result = ok(run("report", "--ruleset", rules, data, "--lang", lang, "-o", out))
    assert result.stdout == ""
    assert str(out) in result.stderr  # the line that says where it went, and how many units
    page = Page(out.read_text(encoding="utf-8"))
    assert page.lang == lang
    assert {"places", "distribution"} <= {c["name"] for c in page.charts}
    assert page.tags["details"] > 0


def test_the_command_without_output_prints_the_page() -> None:
    result = ok(run("report", "--ruleset", "sonla.village.2021", VILLAGES))
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_the_command_errors(tmp_path: Path) -> None:
    line = failed(run("report", "--ruleset", "sonla.commune.202", COMMUNES))
    assert "sonla.commune.2021" in line  # did you mean
    line = failed(run("report", "--ruleset", "sonla.commune.2021", tmp_path / "none.json"))
    assert line.startswith("Lỗi: ")
    failed(run("report", "--ruleset", "sonla.commune.2021", COMMUNES, "--lang", "fr"), 2)


# --- in a real browser ----------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="no chromium (CI installs it: apt-get install chromium)",
)
BROWSER_HOSTS = ("google.com", "gvt1.com", "googleapis.com", "gstatic.com")
"""Where Chromium itself calls home (time, components), whatever page it shows."""


class Proxy:
    """A proxy that answers nothing and records every request the browser sends it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            with client:
                client.settimeout(2)
                try:
                    line = client.recv(4096).split(b"\r\n", 1)[0]
                except OSError:
                    continue
                self.requests.append(line.decode("latin-1"))

    def page_requests(self) -> list[str]:
        """The requests not made by the browser on its own account."""
        return [
            r
            for r in self.requests
            if not any(re.search(rf"[/. ]{re.escape(h)}[:/ ]", r) for h in BROWSER_HOSTS)
        ]


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    found = Proxy()
    yield found
    found.server.close()


def browser(url: Path, *args: str, proxy: Proxy | None = None) -> str:
    assert CHROMIUM is not None, "chromium is not installed"
    command = [
        CHROMIUM,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        "--hide-scrollbars",
        "--disable-background-networking",
        "--disable-component-update",
        *args,
    ]
    if proxy is not None:
        command += [
            f"--proxy-server=http://127.0.0.1:{proxy.port}",
            "--proxy-bypass-list=<-loopback>",
        ]
    command.append(url.as_uri())
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@needs_chromium
def test_the_browser_sees_a_request_when_a_page_makes_one(tmp_path: Path, proxy: Proxy) -> None:
    """The canary: the network check below can fail."""
    page = tmp_path / "net.html"
    page.write_text('<html><body><img src="http://example.invalid/a.png"></body></html>')
    browser(page, "--dump-dom", proxy=proxy)
    assert any("example.invalid" in r for r in proxy.page_requests())


@needs_chromium
def test_the_browser_renders_the_report_without_the_network(tmp_path: Path, proxy: Proxy) -> None:
    _, records, placed = ladder_run()
    path = tmp_path / "baocao.html"
    path.write_text(ladder_page(), encoding="utf-8")
    dom = browser(path, "--dump-dom", "--virtual-time-budget=3000", proxy=proxy)
    assert proxy.page_requests() == []
    rendered = Page(dom)
    assert rendered.lang == "vi"
    expected = Page(ladder_page())
    assert [c["name"] for c in rendered.charts] == [c["name"] for c in expected.charts]
    assert [c["caption"] for c in rendered.charts] == [c["caption"] for c in expected.charts]
    for shown, made in zip(rendered.charts, expected.charts, strict=True):
        assert values(ET.fromstring(shown["svg"])) == values(ET.fromstring(made["svg"]))
    assert rendered.tags["details"] == len(records)
    assert "Xã đạt chuẩn nông thôn mới" in dom and "Thuận Châu" in dom
    assert len(placed) == len(records)


@needs_chromium
@pytest.mark.parametrize("width", [1366, 390])
def test_the_browser_draws_it_at_laptop_and_phone_width(tmp_path: Path, width: int) -> None:
    path = tmp_path / "baocao.html"
    path.write_text(province_page(), encoding="utf-8")
    shot = tmp_path / "shot.png"
    browser(path, f"--window-size={width},1600", f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == width
    assert len(data) > 20_000  # charts and text, not a blank page


@needs_chromium
def test_the_browser_prints_it(tmp_path: Path) -> None:
    path = tmp_path / "baocao.html"
    path.write_text(ladder_page("en"), encoding="utf-8")
    pdf = tmp_path / "baocao.pdf"
    browser(path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > 3  # A4 pages, charts and tables
