// Logs never carry the EUII the catalog names, in Graph's or the normalized columns' spelling.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../config/logger.ts';
import { person } from './test-records.ts';

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
    const logger = createLogger('info', sink);
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
