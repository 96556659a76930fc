"""In-page checks: target sizes and text contrast, computed by the browser itself."""
from __future__ import annotations

MIN_TARGET_PX = 44
MIN_CONTRAST = 4.5

SMALL_TARGETS_JS = """
(minimum) => {
  const small = [];
  const targets = document.querySelectorAll(
    'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], summary');
  for (const node of targets) {
    if (!node.checkVisibility()) continue;
    const box = node.getBoundingClientRect();
    if (box.width < minimum || box.height < minimum) {
      small.push({html: node.outerHTML.slice(0, 120), width: box.width, height: box.height});
    }
  }
  return small;
}
"""

LOW_CONTRAST_JS = """
(minimum) => {
  const parse = (text) => {
    const parts = text.match(/[\\d.]+/g).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => {
    const alpha = top[3] + bottom[3] * (1 - top[3]);
    const mix = (i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / alpha;
    return [mix(0), mix(1), mix(2), alpha];
  };
  const luminance = (color) => {
    const channel = (value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color[0]) + 0.7152 * channel(color[1]) + 0.0722 * channel(color[2]);
  };
  const background = (node) => {
    const layers = [];
    for (let current = node; current; current = current.parentElement) {
      const color = parse(getComputedStyle(current).backgroundColor);
      if (color[3] > 0) {
        layers.push(color);
        if (color[3] >= 1) break;
      }
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const elements = new Set(document.querySelectorAll("input:not([type=hidden]), select"));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    if (text.textContent.trim() && text.parentElement) elements.add(text.parentElement);
  }
  const low = [];
  let checked = 0;
  for (const node of elements) {
    if (node.closest("script, style, option, svg")) continue;
    if (!node.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const back = background(node);
    const fore = over(parse(getComputedStyle(node).color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    checked += 1;
    if (ratio < minimum) {
      low.push({text: (node.innerText || node.value || "").slice(0, 60), ratio,
                color: getComputedStyle(node).color, background: back});
    }
  }
  return {checked, low};
}
"""


def _styled(page) -> None:
    # The DOM can be there before its stylesheet: measuring then would judge the
    # unstyled page. The load event waits for every stylesheet.
    page.wait_for_load_state("load")
    page.wait_for_function("() => [...document.querySelectorAll('link[rel=stylesheet]')]"
                           ".every((link) => link.sheet !== null)")


def small_targets(page) -> list[dict]:
    """Visible buttons, links and inputs smaller than 44x44 CSS px."""
    _styled(page)
    return page.evaluate(SMALL_TARGETS_JS, MIN_TARGET_PX)


def low_contrast(page) -> tuple[int, list[dict]]:
    """How many text elements were checked, and those under 4.5:1 against their background."""
    _styled(page)
    result = page.evaluate(LOW_CONTRAST_JS, MIN_CONTRAST)
    return result["checked"], result["low"]
