"""Tests of taxotag.report.html."""

import os
import re
import shutil

import numpy as np
import pytest

from taxotag.jobs.reports import report
from tests.conftest import ROOT

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def report_path(tmp_path_factory, taxonomy, trained_model_dir, small_corpus):
    out = tmp_path_factory.mktemp("out")
    gold = [ROOT / "data" / "seed_gold.csv", ROOT / "data" / "arxiv_dev_gold.csv"]
    return report(taxonomy.path, trained_model_dir, gold, small_corpus, out,
                  cache_dir=tmp_path_factory.mktemp("cache")).path


def test_report_is_self_contained_and_complete(report_path, taxonomy):
    html = report_path.read_text()
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert not re.search(r"url\((?!#)", html)  # only in-page references such as clip paths
    assert html.count("<svg") == 4  # two metrics figures, the PR curves, the corpus counts
    for section in ("Summary", "Precision-recall curves", "Rules", "Errors on gold", "Training corpus", "Model"):
        assert f"<h2>{section}" in html
    positions = [html.index(f"<th class='text'>{tag}</th>") for tag in taxonomy.tag_ids]
    assert positions == sorted(positions)  # tags in taxonomy order
    assert "false positives" in html and "fingerprint" in html


def test_a_report_without_gold_shows_the_corpus_tags_and_no_gold_section(tmp_path, taxonomy, trained_model_dir,
                                                                         small_corpus):
    html = report(taxonomy.path, trained_model_dir, [], small_corpus, tmp_path, cache_dir=tmp_path / "cache").path.read_text()
    sections = re.findall(r"<h2>([^<]*)</h2>", html)
    assert sections == ["Tags on the training corpus", "Rules", "Training corpus", "Model"]
    assert "false positive" not in html and "Precision-recall" not in html
    for tag in taxonomy.tag_ids:
        row = re.search(rf"<tr><td class='text'><code>{tag}</code></td><td>([\d,]+)</td><td>([\d.]+)%</td>", html)
        count, share = int(row.group(1).replace(",", "")), float(row.group(2))
        assert abs(share - 100 * count / 2500) < 0.06  # (of the 2,500 corpus abstracts)
    assert re.search(r"<summary>distillation: [\d,]+ papers</summary><ul><li><code>[^<]+</code> [^<]+<br>"
                     r"<small>[^<]*distillation: ", html)  # an example with its evidence


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"),
                    reason="needs Debian's chromium and chromium-driver (make test installs them; required in CI)")
def test_report_renders_in_headless_chromium(report_path, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(report_path.resolve().as_uri())
        assert driver.title == "taxotag report"
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot))
        errors = [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
        svg_count = driver.execute_script("return document.querySelectorAll('svg').length")
    finally:
        driver.quit()
    assert errors == []
    assert svg_count == 4
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)[..., :3]
    assert pixels.std() > 0.05  # not a blank page
    assert len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 50
