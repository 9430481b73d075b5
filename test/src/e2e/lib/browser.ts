import fs from 'fs';
import path from 'path';
import { Browser, Page, chromium } from 'playwright-core';
import { repoRoot } from './backend';

// Debian's Chromium, never a browser downloaded by a test tool.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const screenshotDir = path.join(repoRoot, 'test/screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's chromium package (scripts/test.sh does)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these Chromium keeps calling hosts this network cannot reach.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Runs a test's steps; when one fails, the page as it was goes to
 * `<name>-failure.png` beside the other screenshots, so a red run in CI shows
 * what the user would have seen.
 */
export async function screenshotOnFailure<T>(
  page: Page,
  name: string,
  steps: () => Promise<T>,
): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page
      .screenshot({
        path: path.join(screenshotDir, `${name}-failure.png`),
        fullPage: true,
      })
      .catch(() => undefined);
    throw error;
  }
}
