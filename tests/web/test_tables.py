"""Wide tables and matrices are readable on a laptop (1366 px) and on a phone (390 px), in
English and in Chinese: no header overlaps another or spills out of its column, every column
can be brought into view (scrolled to, not hidden under a sticky column), and the page itself
never scrolls sideways (a wide table scrolls in its own box)."""

from __future__ import annotations

import pytest

from tests.web.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Pages with wide tables: the coverage matrix, state positions, deliberation results.
#: ``{instrument}`` and ``{document}`` are the first of their kind in the demo data.
PAGES = [
    "/kb/gaps", "/kb", "/kb/compare", "/kb/taxonomy", "/kb/documents/{document}",
    "/states", "/states/alignment", "/states/roll-calls/1", "/states/instruments/{instrument}",
    "/deliberations/1/results", "/deliberations/1/manage",
]
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

#: Returns what is wrong with the tables of the page, one line each.
MEASURE = """() => {
  const problems = [];
  const width = window.innerWidth, height = window.innerHeight;
  // Against the layout width: a phone browser widens window.innerWidth to a page that
  // overflows, so that measuring against it hid a 700 px table on a 390 px phone.
  const sideways = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (sideways > 1) problems.push(`the page scrolls sideways by ${sideways}px`);
  const label = cell => JSON.stringify(cell.textContent.trim().replace(/\\s+/g, " ").slice(0, 40));
  const textBox = cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return range.getBoundingClientRect();
  };
  const tables = [...document.querySelectorAll("main table")].filter(t => t.checkVisibility());
  tables.forEach((table, index) => {
    const name = `table ${index + 1} (${table.className || "no class"})`;
    const rows = table.tHead ? [...table.tHead.rows] : [table.rows[0]];
    for (const row of rows) {
      const cells = [...row.cells].filter(cell => cell.textContent.trim());
      const boxes = cells.map(textBox);
      for (let i = 0; i < boxes.length; i++) {
        if (boxes[i].width > cells[i].getBoundingClientRect().width + 2)
          problems.push(`${name}: header ${label(cells[i])} spills out of its column`);
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i], b = boxes[j];
          const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (across > 1 && down > 1)
            problems.push(`${name}: headers ${label(cells[i])} and ${label(cells[j])} overlap`);
        }
      }
    }
    for (const cell of rows[rows.length - 1].cells) {
      cell.scrollIntoView({block: "center", inline: "center"});
      const box = cell.getBoundingClientRect();
      const x = Math.min(Math.max(box.left + box.width / 2, 0), width - 1);
      const y = Math.min(Math.max(box.top + box.height / 2, 0), height - 1);
      const seen = box.right > 0 && box.left < width && box.bottom > 0 && box.top < height;
      const hit = document.elementFromPoint(x, y);
      if (!seen || !hit || !(hit === cell || cell.contains(hit)))
        problems.push(`${name}: column ${label(cell)} cannot be brought into view`);
    }
    window.scrollTo(0, 0);
  });
  return {tables: tables.length, problems};
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_wide_tables_are_readable(browser, demo_site, language: str, viewport: str) -> None:
    phone = viewport == "phone"
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=phone,
                                  has_touch=phone)
    page = context.new_page()
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}/states?lang={language}")
    instrument = page.locator("a[href^='/states/instruments/']").first.get_attribute("href")
    page.goto(f"{demo_site.url}/kb")
    document = page.locator("a[href^='/kb/documents/']").first.get_attribute("href")
    problems: list[str] = []
    tables = 0
    for template in PAGES:
        path = template.format(instrument=str(instrument).rsplit("/", 1)[-1],
                               document=str(document).rsplit("/", 1)[-1])
        response = page.goto(demo_site.url + path)
        assert response is not None and response.status == 200, path
        found = page.evaluate(MEASURE)
        tables += found["tables"]
        problems.extend(f"{path}: {problem}" for problem in found["problems"])
    context.close()
    assert tables >= len(PAGES) - 2, tables  # the walk measured tables, not empty pages
    assert not problems, "\n".join(problems)
