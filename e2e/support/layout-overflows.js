/* global document, getComputedStyle */
// Evaluated in a page by e2e/support/layout.ts: what does not fit, each as a sentence; none when all fits.
(() => {
  for (const box of document.querySelectorAll('details')) box.open = true;
  const name = (element) =>
    `<${element.tagName.toLowerCase()}${element.className ? ` class="${String(element.className)}"` : ''}> "${(element.textContent ?? '').trim().slice(0, 60)}"`;
  const found = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) found.push(`the page is ${page.scrollWidth} px wide in a ${page.clientWidth} px window`);
  for (const element of document.body.querySelectorAll('*')) {
    if (element.getClientRects().length === 0) continue; // not shown
    const { overflowX } = getComputedStyle(element);
    // Visible overflow spills into the page, which the check above measures; any other hides it.
    if (overflowX !== 'visible' && element.scrollWidth > element.clientWidth + 1) {
      found.push(`${name(element)}: ${element.scrollWidth} px of content in ${element.clientWidth} px (overflow-x: ${overflowX})`);
    }
  }
  // Code squeezed into a narrow column wraps every few characters: code that takes three lines or
  // more gets at least 12 em (about 20 characters) on its widest line.
  for (const code of document.body.querySelectorAll('code')) {
    const lines = [...code.getClientRects()];
    const widest = Math.max(0, ...lines.map((line) => line.width));
    const fontSize = parseFloat(getComputedStyle(code).fontSize);
    if (lines.length >= 3 && widest < 12 * fontSize) found.push(`${name(code)}: ${lines.length} lines, at most ${Math.round(widest)} px wide`);
  }
  return found;
})();
