// Renders media/icon.svg to the 128×128 media/icon.png the Marketplace needs, with the same
// headless Chromium the end-to-end test uses: `node media/render-icon.mjs`.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const svg = readFileSync(new URL('./icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: new URL('./icon.png', import.meta.url).pathname, omitBackground: true });
await browser.close();
