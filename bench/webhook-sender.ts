// bench:collect's notification sender, in a process of its own (as Graph is): posts change notifications open-loop
// at a fixed rate to a webhook URL and prints one JSON line with the acknowledgement figures.
// Usage: node bin/run-ts.js bench/webhook-sender.ts <url> <rate> <seconds> <clientState>
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent, request } from 'undici';

const [url, rateText, secondsText, clientState] = process.argv.slice(2);
const rate = Number(rateText);
const total = rate * Number(secondsText);
// The first second warms both processes up (connections, JIT): sent, but not counted in the latencies.
const warmUp = rate;
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const agent = new Agent({ connections: 64, pipelining: 1 });
const latencies: number[] = [];
let failed = 0;
const pending: Promise<void>[] = [];
const start = performance.now();
for (let i = 0; i < total; i++) {
  // Open loop: requests go out on schedule whether or not earlier ones were answered.
  const wait = start + (i * 1000) / rate - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const id = `rec-${i % 5000}`;
  const body = JSON.stringify({
    value: [
      {
        subscriptionId: 's',
        clientState,
        changeType: 'updated',
        resource: `communications/callRecords/${id}`,
        resourceData: { id },
        tenantId: 'tenant-1',
      },
    ],
  });
  const t = performance.now();
  pending.push(
    request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      dispatcher: agent,
    }).then(
      async (res) => {
        await res.body.dump();
        if (res.statusCode !== 202) failed++;
        if (i >= warmUp) latencies.push(performance.now() - t);
      },
      () => {
        failed++;
      },
    ),
  );
}
await Promise.all(pending);
const elapsed = (performance.now() - start) / 1000;
await agent.close();
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({ sent: total, failed, perSecond: total / elapsed, p50: pct(0.5), p99: pct(0.99), senderLoopMax: loop.max / 1e6 })}\n`,
);
