// Test support for the browser tests: Debian's Chromium through playwright-core (never a downloaded browser),
// screenshots under test-artifacts/screenshots/, and a CSV parser for downloaded exports.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { testEnv } from '../config/test-env.ts';

export const screenshotDir = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

/** True when the browser tests can run; under CI=true a missing Chromium must fail, so this is then always true. */
export function browserAvailable(): boolean {
  const env = testEnv();
  return env.ci || existsSync(env.chromiumPath);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: testEnv().chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return `${screenshotDir}${name}.png`;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells; a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
