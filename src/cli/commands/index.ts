// Every subcommand, registered in one list so `calltrove --help` shows them all.
import type { Command } from 'commander';
import { registerAlerts } from './alerts.ts';
import { registerAudit } from './audit.ts';
import { registerBuildings } from './buildings.ts';
import { registerCall } from './call.ts';
import { registerCalls } from './calls.ts';
import { registerBackfill, registerCollect, registerStatus } from './collect.ts';
import { registerDemo } from './demo.ts';
import { registerExport } from './export.ts';
import { registerImport } from './import.ts';
import { registerPrivacy, registerResidencyReport } from './privacy.ts';
import { registerReport } from './report.ts';
import { registerReprocess } from './reprocess.ts';
import { registerRetention } from './retention.ts';
import { registerServe } from './serve.ts';
import { registerTwin } from './twin.ts';

export type Register = (program: Command, env: NodeJS.ProcessEnv) => void;

const registers: Register[] = [
  registerDemo,
  registerImport,
  registerCalls,
  registerCall,
  registerReprocess,
  registerBuildings,
  registerReport,
  registerExport,
  registerServe,
  // After registerReport: `report residency` joins the `report` command.
  registerResidencyReport,
  registerRetention,
  registerAudit,
  registerPrivacy,
  registerCollect,
  registerBackfill,
  registerStatus,
  registerAlerts,
  registerTwin,
];

export function registerCommands(program: Command, env: NodeJS.ProcessEnv): void {
  for (const register of registers) register(program, env);
}
