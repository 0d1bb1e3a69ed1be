// The dashboard's ready-made questions (overview, worst lists, reliability, feedback, PSTN, QER targets).
import type { ApiApp, RouteDeps } from '../context.ts';

export function registerDashboardRoutes(_app: ApiApp, _deps: RouteDeps): void {}
