// Logs never carry the EUII the catalog names, in Graph's or the normalized columns' spelling, at any depth.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCallRecord } from '../graph/parse.ts';
import { normalizeCallRecord } from '../normalize/normalize-call.ts';
import { createRedactingLogger, redactLogFields } from './log-redaction.ts';
import { person, plantedRecord, plantedStrings } from './test-records.ts';

function capture() {
  const out = { text: '' };
  const sink = new Writable({
    write(chunk, _enc, done) {
      out.text += String(chunk);
      done();
    },
  });
  return { out, logger: createRedactingLogger('info', sink) };
}

describe('log redaction of catalogued EUII', () => {
  it('redacts addresses, BSSIDs, names, numbers, feedback and UPNs one level down', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const p = person(9);
    const logger = createRedactingLogger('info', sink);
    logger.info(
      {
        network: {
          ipAddress: p.ip,
          reflexiveIPAddress: p.publicIp,
          relayIPAddress: p.relayIp,
          basicServiceSetIdentifier: p.bssid,
        },
        identity: { displayName: p.name, userPrincipalName: p.upn },
        pstn: { callerNumber: p.phone, userDisplayName: p.name },
        endpoint: { feedback: { text: p.feedback } },
        row: { ip_address: p.ip, mac_address: p.mac, feedback_text: p.feedback, organizer_upn: p.upn },
      },
      'a record',
    );
    expect(out).toContain('a record');
    for (const v of [p.ip, p.publicIp, p.relayIp, p.bssid, p.name, p.upn, p.phone, p.feedback, p.mac])
      expect(out.includes(v), 'a planted value reached the log').toBe(false);
  });
});

describe('log redaction follows the data', () => {
  const record = plantedRecord({ id: 'call-77', users: [1, 2, 3], start: Date.UTC(2026, 0, 5, 9) });
  const planted = plantedStrings([1, 2, 3]).filter((v) => JSON.stringify(record).includes(v));

  it('logs a whole record nested anywhere and none of its identifiers reach the output', () => {
    const { out, logger } = capture();
    logger.warn({ job: { attempt: 2, payload: { call: record } } }, 'a nested record');
    logger.warn({ batch: [{ deep: { deeper: { record } } }] }, 'in an array');
    logger.child({ context: { record } }).info('in a child binding');
    expect(planted.length).toBeGreaterThan(10);
    expect(out.text.split('\n').filter(Boolean)).toHaveLength(3);
    for (const v of planted) expect(out.text.includes(v), `planted value ${v} reached the log`).toBe(false);
    // Structure stays: what is not personal is still there to debug with.
    expect(out.text).toContain('"attempt":2');
    expect(out.text).toContain('call-77');
    expect(out.text).toContain('"startDateTime"');
  });

  it("redacts the issue's {call: {organizer: {displayName}}} and the normalized rows at any depth", () => {
    const { out, logger } = capture();
    const p = person(4);
    logger.info({ call: { organizer: { displayName: p.name } } }, 'shorthand');
    logger.info({ call: { organizer: { user: { id: p.id, displayName: p.name } } } }, 'identity set');
    const rows = normalizeCallRecord(parseCallRecord(record), { receivedAt: 0 });
    logger.info({ a: { b: { c: { rows } } } }, 'rows');
    logger.info({ x: [[{ upn: p.upn, caller_number: p.phone }]] }, 'columns');
    expect(out.text).not.toContain(p.name);
    expect(out.text).not.toContain(p.id);
    expect(out.text).not.toContain(p.upn);
    expect(out.text).not.toContain(p.phone);
    for (const v of planted) expect(out.text.includes(v), `planted value ${v} reached the log`).toBe(false);
  });

  it('redacts secrets at any depth and leaves the input untouched', () => {
    const fields = { graph: { request: { headers: { authorization: 'Bearer abc.def' } }, token: 'tkn-123' } };
    const copy = structuredClone(fields);
    const redacted = redactLogFields(fields);
    expect(JSON.stringify(redacted)).not.toMatch(/abc\.def|tkn-123/);
    expect(fields).toEqual(copy);
    const plain = { recordId: 'r1', attempt: 3, nested: { status: 404 } };
    expect(redactLogFields(plain)).toBe(plain);
  });

  it('every logger the product makes redacts by the catalog (no bare createLogger outside config and privacy)', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/\.ts$/.test(e.name) && !/\.test\.ts$|(^|\/)test-[^/]*\.ts$/.test(path)) {
          const text = readFileSync(path, 'utf8');
          if (
            /\bcreateLogger\(/.test(text) &&
            !/src\/(config\/logger|privacy\/log-redaction)\.ts$/.test(path)
          )
            offenders.push(path.slice(root.length));
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
