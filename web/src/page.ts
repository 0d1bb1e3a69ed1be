// What a dashboard view is given (route, time range, caller) and what it provides.
import type { Me } from '../../src/server/api-types.ts';
import type { Params } from './api.ts';
import type { Child } from './ui/dom.ts';

export interface PageContext {
  root: HTMLElement;
  /** Appends to the view (nulls and nested arrays allowed). */
  show(...children: Child[]): void;
  /** Path segments after the view name (`#/calls/<id>` gives [id]). */
  params: string[];
  /** The view's own query parameters (filters, paging), from the URL. */
  query: URLSearchParams;
  /** The selected period as API parameters (since/until), shared by every view. */
  range: Params;
  /** A human label of the period, e.g. "last 30 days". */
  rangeLabel: string;
  me: Me;
  /** Replaces some of the view's query parameters (undefined removes one) and renders again. */
  setQuery(changes: Record<string, string | undefined>): void;
  /** The URL hash of a view, keeping the period. */
  link(path: string, query?: Record<string, string | undefined>): string;
}

export interface Page {
  title: string;
  /** Only for callers who may see individuals (investigators). */
  individuals?: boolean;
  render(ctx: PageContext): Promise<void>;
}
