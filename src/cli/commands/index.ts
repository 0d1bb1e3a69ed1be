// Every subcommand in one list: `calltrove --help` lists them from here, and a run loads only its own command's module.
import type { Command } from 'commander';

export type Register = (program: Command, env: NodeJS.ProcessEnv) => void;

interface CommandEntry {
  name: string;
  /** The line --help shows; index.test.ts keeps it equal to the description the module registers. */
  summary: string;
  /** Imports the command's module (and what it needs) only when it runs or its own help is asked for. */
  load: () => Promise<Register[]>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary:
      'run the demo: a simulated Teams tenant (the Graph twin), the collector against it, and the dashboard',
    load: async () => [(await import('./demo.ts')).registerDemo],
  },
  {
    name: 'import',
    summary: 'import call records from JSON files (one record, a Graph page, or NDJSON), folders or globs',
    load: async () => [(await import('./import.ts')).registerImport],
  },
  {
    name: 'calls',
    summary: "list stored calls, newest first, with the API's filters (GET /api/v1/calls)",
    load: async () => [(await import('./calls.ts')).registerCalls],
  },
  {
    name: 'call',
    summary: 'show one call: participants, sessions, segments and each stream’s metrics',
    load: async () => [(await import('./call.ts')).registerCall],
  },
  {
    name: 'reprocess',
    summary: 'rebuild the normalized tables from the raw call records kept (after an upgrade)',
    load: async () => [(await import('./reprocess.ts')).registerReprocess],
  },
  {
    name: 'buildings',
    summary: "the building map (CQD's building data file)",
    load: async () => [(await import('./buildings.ts')).registerBuildings],
  },
  {
    name: 'access-points',
    summary: 'the access-point file (BSSID → AP name, building, floor)',
    load: async () => [(await import('./assets.ts')).registerAccessPoints],
  },
  {
    name: 'endpoints',
    summary: "CQD's endpoint data file (endpoint name → model, type, labels)",
    load: async () => [(await import('./assets.ts')).registerEndpoints],
  },
  {
    name: 'report',
    summary: 'call-quality reports from the rollups',
    // `report residency` lives with the privacy commands and joins `report` after it.
    load: async () => [
      (await import('./report.ts')).registerReport,
      (await import('./privacy.ts')).registerResidencyReport,
    ],
  },
  {
    name: 'export',
    summary: 'stream a table as CSV or NDJSON; tables: see calltrove export --help',
    load: async () => [(await import('./export.ts')).registerExport],
  },
  {
    name: 'serve',
    summary:
      'serve the REST API (/api/v1) and the dashboard; loopback only unless CALLTROVE_API_TOKEN is set',
    load: async () => [(await import('./serve.ts')).registerServe],
  },
  {
    name: 'retention',
    summary:
      'privacy retention: EUII cleared after privacy.euiiDays, records removed after privacy.recordDays',
    load: async () => [(await import('./retention.ts')).registerRetention],
  },
  {
    name: 'audit',
    summary: 'the audit log: every investigator read of end-user identifiable information (newest first)',
    load: async () => [(await import('./audit.ts')).registerAudit],
  },
  {
    name: 'privacy',
    summary: 'pseudonym keys and the EUII catalog',
    load: async () => [(await import('./privacy.ts')).registerPrivacy],
  },
  {
    name: 'collect',
    summary:
      'collect call records from Microsoft Graph: change notifications, the version planner, reconciliation (runs until stopped)',
    load: async () => [(await import('./collect.ts')).registerCollect],
  },
  {
    name: 'backfill',
    summary:
      'list call records that started since --since (at most 30 days back) and fetch every one not yet stored',
    load: async () => [(await import('./collect.ts')).registerBackfill],
  },
  {
    name: 'status',
    summary:
      'is data arriving? subscription, last notification, last record stored, queue, and what is wrong',
    load: async () => [(await import('./collect.ts')).registerStatus],
  },
  {
    name: 'alerts',
    summary: 'alert rules and channels (alerts in the config file): evaluate, list, acknowledge, mute, test',
    load: async () => [(await import('./alerts.ts')).registerAlerts],
  },
  {
    name: 'twin',
    summary:
      'run the Graph twin: a simulated Teams tenant serving Graph call records and Entra ID tokens over HTTPS',
    load: async () => [(await import('./twin.ts')).registerTwin],
  },
];

/**
 * Registers the command `name` in full (its options, arguments and action), or, when there is none (top-level
 * help), every command by name and summary only, so --help and --version load no command module.
 */
export async function registerCommands(
  program: Command,
  env: NodeJS.ProcessEnv,
  name: string | undefined,
): Promise<void> {
  const entry = commands.find((c) => c.name === name);
  if (entry) {
    for (const register of await entry.load()) register(program, env);
    return;
  }
  for (const c of commands) program.command(c.name).description(c.summary);
}

/** The known command closest to a mistyped one (edit distance), when it is close enough to be a likely typo. */
export function closestCommand(typed: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const { name } of commands) {
    const distance = editDistance(typed.toLowerCase(), name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.name.length / 2)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
