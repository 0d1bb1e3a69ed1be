// The units `calltrove call --format text` writes values in: the dashboard's (web/src/pages/call-values.ts), kept
// equal by call-units.test.ts.
const fixed = (v: number, digits: number) => String(+v.toFixed(digits));

export const units = {
  ms: (v: number | null) => (v === null ? null : `${fixed(v, 1)} ms`),
  /** A ratio 0–1 as percent. */
  ratio: (v: number | null) => (v === null ? null : `${fixed(v * 100, 2)}%`),
  /** A value already in percent. */
  percent: (v: number | null) => (v === null ? null : `${fixed(v, 1)}%`),
  fps: (v: number | null) => (v === null ? null : `${fixed(v, 2)} fps`),
  kbps: (v: number | null) => (v === null ? null : `${fixed(v / 1000, 1)} kbit/s`),
  mbps: (v: number | null) => (v === null ? null : `${fixed(v / 1_000_000, 1)} Mbit/s`),
  mhz: (v: number | null) => (v === null ? null : `${v} MHz`),
  db: (v: number | null) => (v === null ? null : `${v} dB`),
  per5: (v: number | null) => (v === null ? null : `${fixed(v, 2)} per 5 min`),
  plain: (v: number | null, digits = 2) => (v === null ? null : fixed(v, digits)),
  yesNo: (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : null),
};
