// Log lines never carry a connection password, however the string got into them (a driver error, a setting).
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { connectionStringForms } from './test-connection-strings.ts';

it('masks the password of every connection-string form in messages, fields and errors', () => {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  const logger = createLogger('info', sink);
  for (const form of connectionStringForms) {
    logger.warn(`cannot reach ${form.url}`);
    logger.error({ database: form.url, err: new Error(`connect ${form.url} refused`) }, 'open failed');
  }
  const lines = out.split('\n').filter(Boolean);
  expect(lines).toHaveLength(2 * connectionStringForms.length);
  // Masking keeps every line JSON (a log shipper must still read it).
  for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  logger.info({ note: 'no secret here: a@b, ?x=1, https://example.com/a@b' }, 'plain');
  expect(out).toContain('no secret here: a@b, ?x=1, https://example.com/a@b');
  for (const form of connectionStringForms)
    for (const secret of form.secrets) {
      // JSON escapes a quote or a backslash inside the line; look for the secret as it would be written.
      const written = JSON.stringify(secret).slice(1, -1);
      expect(out.includes(written), `${form.name}: ${secret}`).toBe(false);
    }
});
