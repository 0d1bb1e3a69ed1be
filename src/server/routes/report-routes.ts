// Reliability (setup/drop failures), Rate My Call feedback, PSTN and Direct Routing, and the QER targets.
import { createRoute } from '@hono/zod-openapi';
import type { TargetResult } from '../../analytics/get-quality-targets.ts';
import { type CsvColumn, columnsOfRows } from '../../format/csv.ts';
import { feedbackReport, pstnReport, qerTargetsReport, reliabilityReport } from '../../service/reports.ts';
import { apiBase } from '../api-types.ts';
import {
  feedbackSchema,
  pstnSchema,
  reliabilitySchema,
  tableParam,
  targetsSchema,
  windowQuery,
} from '../dashboard-schemas.ts';
import { type ApiApp, type RouteDeps, tableAnswer } from '../route-kit.ts';
import { jsonOrCsv, windowOf } from './dashboard-routes.ts';

const periodQuery = windowQuery.pick({ since: true, until: true, tz: true, format: true });
const reliabilityTables = [
  'byDay',
  'byNetworkType',
  'byBuilding',
  'byClientVersion',
  'reasons',
  'outcomes',
] as const;
const reliabilityQuery = windowQuery.extend({ table: tableParam(reliabilityTables) });
const feedbackQuery = periodQuery.extend({ table: tableParam(['ratings', 'tokens']) });
const pstnTables = [
  'pstnByCallType',
  'pstnByDay',
  'directRoutingBySbc',
  'directRoutingBySbcDay',
  'directRoutingEndings',
  'directRoutingLocations',
] as const;
const pstnQuery = periodQuery.extend({ table: tableParam(pstnTables) });

const targetColumns: CsvColumn<TargetResult>[] = [
  { header: 'target', value: (t) => t.label },
  { header: 'streams', value: (t) => t.streams },
  { header: 'classifiedStreams', value: (t) => t.classifiedStreams },
  { header: 'poorPercent', value: (t) => t.measured.poorPercent },
  { header: 'poorPercentTarget', value: (t) => t.target.poorPercent },
  { header: 'setupFailurePercent', value: (t) => t.measured.setupFailurePercent },
  { header: 'setupFailurePercentTarget', value: (t) => t.target.setupFailurePercent },
  { header: 'dropFailurePercent', value: (t) => t.measured.dropFailurePercent },
  { header: 'dropFailurePercentTarget', value: (t) => t.target.dropFailurePercent },
];

export function registerReportRoutes(app: ApiApp, deps: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/reliability`,
      tags: ['dashboard'],
      summary:
        'Audio setup and drop failure rates (totals, per day, network type, building, client version), failure reasons in streams, outcomes apart',
      request: { query: reliabilityQuery },
      responses: jsonOrCsv(reliabilitySchema, 'Reliability (CSV: one of its tables)'),
    }),
    async (c) => {
      const window = windowOf(c, deps, reliabilityQuery.shape);
      const q = c.req.valid('query');
      const body = await reliabilityReport(deps.service, c.get('principal'), window);
      const rows: readonly object[] = body[q.table ?? 'byDay'];
      return tableAnswer(c, q.format, body, {
        rows,
        columns: columnsOfRows(rows),
        name: `reliability-${q.table ?? 'byDay'}`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/feedback`,
      tags: ['dashboard'],
      summary: 'Rate My Call: ratings, ticked problem tokens, and how ratings track audio stream quality',
      request: { query: feedbackQuery },
      responses: jsonOrCsv(feedbackSchema, 'Feedback summary (CSV: ratings or tokens)'),
    }),
    async (c) => {
      const window = windowOf(c, deps, feedbackQuery.shape);
      const q = c.req.valid('query');
      const f = await feedbackReport(deps.service, c.get('principal'), window);
      const rows: readonly object[] = q.table === 'tokens' ? f.tokens : f.ratings;
      return tableAnswer(c, q.format, f, {
        rows,
        columns: columnsOfRows(rows),
        name: `feedback-${q.table ?? 'ratings'}`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/pstn`,
      tags: ['dashboard'],
      summary:
        'PSTN (Calling Plan, Operator Connect) usage; Direct Routing health per SBC and day: NER, ASR, average duration, final SIP codes, media path',
      request: { query: pstnQuery },
      responses: jsonOrCsv(pstnSchema, 'PSTN and Direct Routing summary (CSV: one of its tables)'),
    }),
    async (c) => {
      const window = windowOf(c, deps, pstnQuery.shape);
      const q = c.req.valid('query');
      const p = await pstnReport(deps.service, c.get('principal'), window);
      const tables: Record<(typeof pstnTables)[number], readonly object[]> = {
        pstnByCallType: p.pstn.byCallType,
        pstnByDay: p.pstn.byDay,
        directRoutingBySbc: p.directRouting.bySbc,
        directRoutingBySbcDay: p.directRouting.bySbcDay,
        directRoutingEndings: p.directRouting.endings,
        directRoutingLocations: p.directRouting.locations,
      };
      const rows = tables[q.table ?? 'pstnByCallType'];
      return tableAnswer(c, q.format, p, {
        rows,
        columns: columnsOfRows(rows),
        name: `pstn-${q.table ?? 'pstnByCallType'}`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${apiBase}/qer-targets`,
      tags: ['dashboard'],
      summary: "The QER guide's targets (audio poor, setup failure, drop failure) beside the measured rates",
      request: { query: windowQuery },
      responses: jsonOrCsv(targetsSchema, 'One row per target scope'),
    }),
    async (c) => {
      const window = windowOf(c, deps, windowQuery.shape);
      const q = c.req.valid('query');
      const targets = await qerTargetsReport(deps.service, c.get('principal'), window);
      return tableAnswer(
        c,
        q.format,
        { targets },
        { rows: targets, columns: targetColumns, name: 'qer-targets' },
      );
    },
  );
}
