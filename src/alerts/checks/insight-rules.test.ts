// The cause and change rules over a real store, fed by an in-test attribution (what the insight reports would answer):
// a cause fires above its share with enough excess, never for a user, is updated when its share grows by half and
// resolves once it no longer stands out; a change beyond noise fires with its explanation and resolves when it is no
// longer reported; both are skipped with a reason when no source is there.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { silentLogger } from '../../config/logger.ts';
import { type Store, storeFromDb } from '../../store/store.ts';
import { testDatabases } from '../../store/test-stores.ts';
import { evaluateAlerts } from '../evaluate.ts';
import type { AlertMessage } from '../message.ts';
import type { AttributedCause, DetectedChange } from '../observation.ts';

const [sqlite] = await testDatabases();
const HOUR = 3_600_000;
const now = Date.UTC(2026, 0, 15, 12, 0);

const cause = (dimension: string, value: string, sharePercent: number, excess = 60): AttributedCause => ({
  parts: [{ dimension, value }],
  streams: 400,
  poorStreams: 90,
  poorPercent: 22.5,
  excessPoorStreams: excess,
  sharePercent,
  reasons: ['jitter', 'packet loss'],
});

const change = (recent: number): DetectedChange => ({
  metric: 'poorPercent',
  label: 'Audio poor stream rate',
  recent,
  baseline: 2.1,
  unit: '%',
  explainedBy: [
    { dimension: 'client-version', value: '24004.1307', impact: '+3.1 points' },
    { dimension: 'user', value: 'someone@contoso.example', impact: '+0.4 points' },
  ],
});

describe('cause and change rules', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let causes: AttributedCause[];
  let changes: DetectedChange[];
  let asked: { since: number; until: number }[];
  beforeEach(async () => {
    const opened = await sqlite.open();
    store = await storeFromDb(opened.db, opened.url);
    dispose = opened.dispose;
    causes = [];
    changes = [];
    asked = [];
  });
  afterEach(async () => dispose());

  const config = loadConfig({
    env: {},
    overrides: {
      alerts: {
        channels: [{ name: 'ops', type: 'webhook', url: 'http://127.0.0.1:9/hook' }],
        // Only the two rules under test, so other rules' data sources do not matter here.
        rules: ['audio-poor-rate', 'setup-failure-rate', 'drop-failure-rate']
          .map((id) => ({ id, enabled: false }))
          .concat(
            [
              'notifications-missing',
              'collector-down',
              'subscription-missing',
              'subscription-expiring',
              'auth-failing',
              'queue-behind',
              'graph-errors',
              'pstn-failing',
            ].map((id) => ({ id, enabled: false })),
          ),
      },
    },
  });
  const evaluate = (at: number, withSources = true) =>
    evaluateAlerts({
      store,
      config,
      now: at,
      logger: silentLogger,
      ...(withSources
        ? {
            causes: {
              causes: async (w) => {
                asked.push(w);
                return causes;
              },
            },
            changes: { changes: async () => changes },
          }
        : { causes: null, changes: null }),
    });
  const messages = async (ruleId: string) => {
    const out: AlertMessage[] = [];
    for (const a of await store.alerts.list({ limit: 100 }))
      if (a.ruleId === ruleId)
        for (const d of await store.alertOutbox.forAlert(a.id))
          out.push(JSON.parse(d.message) as AlertMessage);
    return out.sort((x, y) => x.event.localeCompare(y.event));
  };

  it('fires for a cause above 10% of poor streams with enough excess, not for a small one or a user', async () => {
    causes = [
      cause('access-point', 'AP-3F-East', 38.5),
      cause('isp', 'badisp.example', 31),
      cause('client-version', '24004.1', 6), // under the share
      cause('subnet', '10.9.0.0', 25, 8), // too little excess to mean anything
      cause('user', 'someone', 40), // never named on a channel
    ];
    const r = await evaluate(now);
    expect(asked).toEqual([{ since: now - 24 * HOUR, until: now }]);
    const fired = r.changes.filter((c) => c.change === 'fired').map((c) => c.scopeKey);
    expect(fired.sort()).toEqual(['cause:access-point=AP-3F-East', 'cause:isp=badisp.example']);
    const [m] = (await messages('poor-audio-cause')).filter((x) => x.scope.key.includes('AP-3F'));
    expect(m.title).toBe('Access point AP-3F-East explains 38.5% of poor audio streams');
    const [isp] = (await messages('poor-audio-cause')).filter((x) => x.scope.key.includes('isp'));
    expect(isp.title).toBe('ISP badisp.example explains 31% of poor audio streams');
    expect(m.value).toBe(38.5);
    expect(m.threshold).toBe(10);
    expect(m.explanation).toMatch(
      /90 of its 400 audio streams were poor .* 60 more than .* Mostly jitter, packet loss/,
    );
    expect(JSON.stringify(await store.alerts.list({ limit: 100 }))).not.toContain('someone');
  });

  it('is updated only when the share grows by half, and resolves when the cause no longer stands out', async () => {
    causes = [cause('access-point', 'AP-3F-East', 20)];
    await evaluate(now);
    // A quarter more is not materially worse: nothing is sent.
    causes = [cause('access-point', 'AP-3F-East', 25)];
    expect((await evaluate(now + 13 * HOUR)).changes).toEqual([]);
    causes = [cause('access-point', 'AP-3F-East', 31)];
    expect((await evaluate(now + 14 * HOUR)).changes.map((c) => c.change)).toEqual(['updated']);
    // Between half the threshold and the threshold: neither firing nor clear, the alert stays.
    causes = [cause('access-point', 'AP-3F-East', 7)];
    expect((await evaluate(now + 15 * HOUR)).firing).toBe(1);
    causes = [];
    const gone = await evaluate(now + 16 * HOUR);
    expect(gone.changes.map((c) => c.change)).toEqual(['resolved']);
    expect((await messages('poor-audio-cause')).map((m) => m.event)).toEqual([
      'fired',
      'resolved',
      'updated',
    ]);
  });

  it('fires a change beyond noise with what explains it (no user), and resolves when it is gone', async () => {
    changes = [change(5.4)];
    const r = await evaluate(now);
    expect(r.changes.map((c) => [c.change, c.scopeKey])).toEqual([['fired', 'change:poorPercent']]);
    const [m] = await messages('quality-change');
    expect(m.title).toBe('Audio poor stream rate up from 2.1% to 5.4%');
    expect(m.explanation).toContain('client version 24004.1307 (+3.1 points)');
    expect(JSON.stringify(m)).not.toContain('someone@contoso.example');
    changes = [];
    expect((await evaluate(now + HOUR)).changes.map((c) => c.change)).toEqual(['resolved']);
  });

  it('skips both rules, saying why, when the evaluation is given no attribution, and fires nothing', async () => {
    const r = await evaluate(now, false);
    expect(r.skipped.map((s) => s.rule).sort()).toEqual(['poor-audio-cause', 'quality-change']);
    expect(r.changes).toEqual([]);
  });
});
