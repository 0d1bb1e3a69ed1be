// The one configuration module: reads a config file and the environment once, validates, returns a frozen value.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CalltroveError } from '../errors.ts';
import { alertsSchema } from './alerts-config.ts';
import { type CloudName, clouds } from './clouds.ts';

const duration = z.number().positive();

const schema = z.object({
  databaseUrl: z.string().min(1).default('./data/calltrove.db'),
  tenantId: z.string().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  /** Path to a PEM file holding the certificate and its private key, for certificate credentials. */
  clientCertificate: z.string().optional(),
  cloud: z.enum(Object.keys(clouds) as [CloudName, ...CloudName[]]).default('global'),
  graphUrl: z.string().url().optional(),
  authorityUrl: z.string().url().optional(),
  notificationUrl: z.string().url().optional(),
  /** Extra CA certificate (PEM file) to trust when talking to Graph: the twin's self-signed certificate. */
  caFile: z.string().optional(),
  listen: z
    .string()
    .regex(/^[^:]+:\d+$/, 'use host:port, e.g. 127.0.0.1:4700')
    .default('127.0.0.1:4700'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  api: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(3000),
      /**
       * Host names (any port) the API/dashboard and the collector's listener answer to besides the loopback
       * names, their bind address and the notification URL's host; requests naming any other host get 421.
       */
      allowedHosts: z
        .array(
          z
            .string()
            .regex(
              /^(\[[0-9a-fA-F:.]+\]|[^\s/:@[\]]+)(:\d{1,5})?$/,
              'a host name such as calltrove.example.com (no scheme, no path)',
            ),
        )
        .default([]),
      /** Tokens and their roles; CALLTROVE_API_TOKEN gives one investigator token. */
      tokens: z
        .array(
          z.object({
            token: z
              .string()
              .min(
                16,
                'an API token needs at least 16 characters (CALLTROVE_API_TOKEN, CALLTROVE_VIEWER_TOKEN or api.tokens in the config file); make one with `openssl rand -hex 24`',
              ),
            role: z.enum(['viewer', 'investigator']),
          }),
        )
        .default([]),
    })
    .prefault({}),
  planner: z
    .object({
      // Defaults measured on the Graph twin (docs/BENCHMARKS.md, "Collector"): its last telemetry lands
      // about 10 h after a call ends, most within half an hour.
      /** Fetch again once a record has been quiet this long (seconds). */
      settleSeconds: duration.default(60 * 60),
      /** Look a last time this long after the call ended (seconds): one list, a fetch only if newer. */
      finalHorizonSeconds: duration.default(12 * 3600),
      /** Reconcile (list with $filter) the recent window this often (seconds). */
      reconcileEverySeconds: duration.default(60 * 60),
      /** How far back (by call start) each reconciliation lists (seconds). */
      reconcileLookbackSeconds: duration.default(3 * 3600),
    })
    .prefault({}),
  privacy: z
    .object({
      mode: z.enum(['keep', 'pseudonymize']).default('keep'),
      euiiDays: z.number().int().positive().default(28),
      recordDays: z.number().int().positive().default(400),
      minGroupSize: z.number().int().min(1).default(5),
      /** File holding the HMAC key for pseudonymization; kept outside the database. */
      keyFile: z.string().default('./data/pseudonym.key'),
      /** Where this tenant's data is homed (e.g. "EU", "US"), shown beside every record. */
      dataLocation: z.string().optional(),
    })
    .prefault({}),
  /** Rules and channels for alerts (src/alerts, docs/alerts.md). */
  alerts: alertsSchema,
});

export type Config = Readonly<z.output<typeof schema>>;
export type ConfigInput = z.input<typeof schema>;
export type Env = Readonly<Record<string, string | undefined>>;

/** A configuration problem the admin can fix; the message says which setting and how. */
export class ConfigError extends CalltroveError {
  override name = 'ConfigError';
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('config', message, options);
  }
}

function fromEnv(env: Env): ConfigInput {
  const out: Record<string, unknown> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') out[key] = value;
  };
  set('databaseUrl', env.CALLTROVE_DATABASE_URL);
  set('tenantId', env.CALLTROVE_TENANT_ID);
  set('clientId', env.CALLTROVE_CLIENT_ID);
  set('clientSecret', env.CALLTROVE_CLIENT_SECRET);
  set('clientCertificate', env.CALLTROVE_CLIENT_CERTIFICATE);
  set('cloud', env.CALLTROVE_CLOUD);
  set('graphUrl', env.CALLTROVE_GRAPH_URL);
  set('authorityUrl', env.CALLTROVE_AUTHORITY_URL);
  set('notificationUrl', env.CALLTROVE_NOTIFICATION_URL);
  set('caFile', env.CALLTROVE_CA_FILE);
  set('listen', env.CALLTROVE_LISTEN);
  set('logLevel', env.CALLTROVE_LOG_LEVEL);
  if (env.CALLTROVE_API_TOKEN)
    out.api = { tokens: [{ token: env.CALLTROVE_API_TOKEN, role: 'investigator' }] };
  if (env.CALLTROVE_VIEWER_TOKEN) {
    const api = (out.api ?? { tokens: [] }) as { tokens: unknown[] };
    api.tokens.push({ token: env.CALLTROVE_VIEWER_TOKEN, role: 'viewer' });
    out.api = api;
  }
  if (env.CALLTROVE_ALLOWED_HOSTS) {
    const api = (out.api ?? {}) as Record<string, unknown>;
    api.allowedHosts = env.CALLTROVE_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    out.api = api;
  }
  if (env.CALLTROVE_PRIVACY_MODE) out.privacy = { mode: env.CALLTROVE_PRIVACY_MODE };
  return out as ConfigInput;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export interface LoadConfigOptions {
  env?: Env;
  /** A JSON config file; CALLTROVE_CONFIG names one when this is absent. */
  file?: string;
  /** Values from command-line flags: they win over the file and the environment. */
  overrides?: ConfigInput;
}

/** Reads file < environment < flags, validates once, and freezes the result. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? {};
  let fileInput: Record<string, unknown> = {};
  const file = options.file ?? env.CALLTROVE_CONFIG;
  if (file) {
    try {
      fileInput = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError(
        `cannot read the config file ${file}: ${(err as Error).message}. Check the path and that it holds JSON.`,
      );
    }
  }
  const merged = deepMerge(
    deepMerge(fileInput, fromEnv(env) as Record<string, unknown>),
    (options.overrides ?? {}) as Record<string, unknown>,
  );
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`the configuration is not valid:\n${lines.join('\n')}`);
  }
  return deepFreeze(parsed.data);
}

/** Graph and authority base URLs for the configured cloud, unless set explicitly. */
export function graphEndpoints(config: Config): { graphUrl: string; authorityUrl: string } {
  const cloud = clouds[config.cloud];
  return {
    graphUrl: (config.graphUrl ?? cloud.graphUrl).replace(/\/$/, ''),
    authorityUrl: (config.authorityUrl ?? cloud.authorityUrl).replace(/\/$/, ''),
  };
}
