import type { Page } from 'playwright-core';

/** The document's width beside the viewport's: a page wider than its viewport scrolls sideways. */
export function pageWidth(page: Page): Promise<{ scroll: number; view: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
}
