// docs/privacy.md carries the catalog as it is in code: regenerate with `calltrove privacy catalog`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogMarkdown } from './catalog-markdown.ts';

describe('docs/privacy.md', () => {
  it('ends with the current catalog of personal fields', () => {
    const doc = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
    expect(doc.endsWith(catalogMarkdown())).toBe(true);
  });
});
