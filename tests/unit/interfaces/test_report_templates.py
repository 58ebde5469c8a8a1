"""The report's compiled template is kept in the disk cache; the page is the same with or without it."""

import re

from tradepact.interfaces import report
from tradepact.studies.assess import assess


def test_same_page_from_the_compiled_template(tmp_path, monkeypatch):
    a = assess(["us_kr_2025/final"])
    monkeypatch.setenv("TRADEPACT_CACHE_DIR", "off")
    plain = report.render_html(a)
    monkeypatch.setenv("TRADEPACT_CACHE_DIR", str(tmp_path / "cache"))
    first = report.render_html(a)
    assert len(list((tmp_path / "cache" / "jinja").iterdir())) == 1
    second = report.render_html(a)

    def no_ids(page):        # chart element ids are numbered per figure drawn in the process
        return re.sub(r'tp\d+-(clip)\d+', "ID", page)
    assert no_ids(first) == no_ids(plain) == no_ids(second)
