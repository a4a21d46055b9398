// Renders media/icon.svg to media/icon.png (128×128, what the Marketplace and Open VSX show) with the
// machine's Chromium. Run it after changing the SVG: `node scripts/render-icon.mjs`; the PNG is committed.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const svg = readFileSync(`${root}media/icon.svg`, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: `${root}media/icon.png`, omitBackground: true });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
