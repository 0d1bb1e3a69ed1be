// `calltrove demo` as a child process when its port is taken: one clear line and exit 3 before a twin or a store starts.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calltrove } from '../test-processes.ts';

describe('demo on a taken port', () => {
  let dir: string;
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calltrove-proc-demo-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the port is taken, exits 3 and starts nothing', { timeout: 120_000 }, async () => {
    const dataDir = join(dir, 'demo');
    const r = await calltrove(['demo', '--port', String(port), '--data-dir', dataDir]).exited;
    expect(r.code).toBe(3);
    expect(r.err).toContain(`port ${port} on 127.0.0.1 is taken`);
    expect(r.err).toContain('--port');
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err).not.toContain('starting the Graph twin');
    // Nothing started: no data folder, so no database and no twin certificate.
    expect(existsSync(dataDir)).toBe(false);
  });
});
