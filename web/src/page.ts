// What a dashboard view is given (route, time range, caller) and what it provides.
import type { Me } from '../../src/server/api-types.ts';
import type { Params } from './api.ts';
import type { ViewState } from './filters.ts';
import type { Child } from './ui/dom.ts';

export interface PageContext {
  root: HTMLElement;
  /** Appends to the view (nulls and nested arrays allowed). */
  show(...children: Child[]): void;
  /** Path segments after the view name (`#/calls/<id>` gives [id]). */
  params: string[];
  /** The view's own query parameters (filters, paging), from the URL. */
  query: URLSearchParams;
  /** The period and every filter of the filter bar as API parameters, shared by every view. */
  range: Params;
  /** The period alone (since, until, tz), for answers that take no quality filters (feedback, PSTN, a profile). */
  period: Params;
  /** The URL's period, granularity, time zone and filters. */
  view: ViewState;
  /** A human label of the period, e.g. "last 30 days". */
  rangeLabel: string;
  me: Me;
  /** Replaces some of the view's query parameters (undefined removes one) and renders again. */
  setQuery(changes: Record<string, string | undefined>): void;
  /** The URL hash of a view, keeping the period and the filters (extra '' keeps a dimension's unknown value). */
  link(path: string, query?: Record<string, string | undefined>): string;
}

export interface Page {
  title: string;
  /** Only for callers who may see individuals (investigators). */
  individuals?: boolean;
  render(ctx: PageContext): Promise<void>;
}
