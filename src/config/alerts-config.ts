// The `alerts` section of the config file: where alerts go (channels) and how the built-in rules are tuned (rules).
import { z } from 'zod';

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "6h", "7d" (or a number of seconds) as milliseconds; null when it is none of those. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(value.trim());
  return m ? Number(m[1]) * units[m[2]] : null;
}

/** A duration in the config file, read as milliseconds. */
export const durationSetting = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'write a duration as 90s, 15m, 6h or 7d (or a number of seconds)',
    });
    return z.NEVER;
  }
  return ms;
});

const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a channel name is letters, digits, ".", "_" or "-" (up to 64)',
  );

const httpsOrLoopback = z
  .string()
  .url('the channel url must be a full URL, e.g. https://example.com/hook')
  .refine((u) => {
    const url = new URL(u);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname))
    );
  }, 'the channel url must be https (http only to a loopback address, for local tests)');

const webhookChannel = z.object({
  name,
  type: z.literal('webhook'),
  url: httpsOrLoopback,
  /** Signs each body with HMAC-SHA256 (header X-Calltrove-Signature-256) when set. */
  secret: z.string().min(16, 'a webhook secret needs at least 16 characters').optional(),
  /** Extra request headers (e.g. an API key the receiver wants); treated as secrets. */
  headers: z.record(z.string(), z.string()).default({}),
  timeout: durationSetting.prefault('10s'),
});

const teamsChannel = z.object({
  name,
  type: z.literal('teams'),
  /** The Workflows (Power Automate) "when a Teams webhook request is received" URL; it is a secret. */
  url: httpsOrLoopback,
  timeout: durationSetting.prefault('10s'),
});

const emailChannel = z.object({
  name,
  type: z.literal('email'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** 'starttls' (port 587, upgrade required), 'tls' (implicit TLS, port 465), 'none' (loopback relays only). */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  user: z.string().optional(),
  password: z.string().optional(),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1, 'an email channel needs at least one recipient in "to"'),
  /** A PEM file of extra CA certificates to trust for the SMTP server (a private CA). */
  caFile: z.string().optional(),
  timeout: durationSetting.prefault('20s'),
});

export const channelSchema = z.discriminatedUnion('type', [webhookChannel, teamsChannel, emailChannel]);

/** Overrides of a built-in rule (by id) or, with `kind`, a rule of one's own. */
export const ruleSettingSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a rule id is lowercase letters, digits and "-"'),
  kind: z.string().optional(),
  enabled: z.boolean().optional(),
  severity: z.enum(['critical', 'warning', 'info']).optional(),
  /** organization, building (quality rules); the other rules have one scope of their own. */
  scope: z.array(z.enum(['organization', 'building'])).optional(),
  threshold: z.number().nonnegative().optional(),
  window: durationSetting.optional(),
  /** Minimum volume: classified audio streams (quality), poor streams (causes), calls (notifications). */
  minVolume: z.number().int().nonnegative().optional(),
  repeatEvery: durationSetting.optional(),
  /** A firing alert is sent again (updated) when its value reaches this multiple of the value last sent. */
  worsenFactor: z.number().min(1).optional(),
  /** Channel names; default every channel. */
  channels: z.array(name).optional(),
  /** Quality rules of one's own: which QER measure. */
  metric: z.enum(['poorPercent', 'setupFailurePercent', 'dropFailurePercent']).optional(),
});

export const alertsSchema = z
  .object({
    /** How often `collect` and `serve` evaluate the rules. */
    evaluateEvery: durationSetting.prefault('5m'),
    /** The dashboard's address as people reach it, for links in alerts (default: the API host and port). */
    dashboardUrl: z.string().url().optional(),
    channels: z.array(channelSchema).default([]),
    rules: z.array(ruleSettingSchema).default([]),
    /** A delivery that keeps failing is given up after this long (and counted as failed). */
    giveUpAfter: durationSetting.prefault('3d'),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.channels.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'name'],
          message: `the channel name "${c.name}" is used twice`,
        });
      seen.add(c.name);
    });
    a.rules.forEach((r, i) => {
      for (const ch of r.channels ?? [])
        if (!seen.has(ch))
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'channels'],
            message: `no channel is named "${ch}"`,
          });
    });
  })
  .prefault({});

export type AlertsConfig = z.output<typeof alertsSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
export type RuleSetting = z.output<typeof ruleSettingSchema>;
