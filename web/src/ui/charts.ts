// Charts (chart.js, only the parts used) with their numbers also in a data table, for screen readers and checks.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { h } from './dom.ts';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.animation = false;

export const palette = {
  blue: '#2563eb',
  red: '#dc2626',
  amber: '#d97706',
  green: '#16a34a',
  grey: '#94a3b8',
  violet: '#7c3aed',
  teal: '#0d9488',
};

export interface Series {
  label: string;
  data: (number | null)[];
  kind?: 'line' | 'bar';
  color?: string;
  /** `right`: a second y axis (e.g. % beside counts). */
  axis?: 'left' | 'right';
  /** Format of this series' values in the data table. */
  format?: (v: number | null) => string;
  /** A dashed line without points (a target). */
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  labels: string[];
  series: Series[];
  kind?: 'line' | 'bar';
  /** Horizontal bars (long category names). */
  horizontal?: boolean;
  leftTitle?: string;
  rightTitle?: string;
  height?: number;
  id?: string;
  /** Stack the bar series. */
  stacked?: boolean;
  /** Per label, the view it drills into (a click on its bar, and its row in the Numbers table). */
  links?: (string | null)[];
}

const live = new Set<Chart>();

/** Frees the charts of the page being left. */
export function destroyCharts(): void {
  for (const c of live) c.destroy();
  live.clear();
}

const plain = (v: number | null) => (v === null ? '–' : String(Math.round(v * 100) / 100));

export function chart(o: ChartOptions): HTMLElement {
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${o.title} (chart; the numbers are in the table below)`,
  });
  const box = h('div', { class: 'chart-box', style: `height:${o.height ?? 240}px` }, canvas);
  const datasets = o.series.map((s) => {
    const color = s.color ?? palette.blue;
    const kind = s.kind ?? o.kind ?? 'line';
    return {
      type: kind,
      label: s.label,
      data: s.data,
      borderColor: color,
      backgroundColor: kind === 'bar' ? `${color}cc` : `${color}22`,
      pointRadius: s.dashed || o.labels.length > 40 ? 0 : 2,
      borderDash: s.dashed ? [6, 4] : [],
      borderWidth: kind === 'bar' ? 0 : 2,
      tension: 0.2,
      spanGaps: true,
      yAxisID: s.axis === 'right' ? 'y2' : 'y',
      order: kind === 'line' ? 0 : 1,
    } as ChartDataset;
  });
  const hasRight = o.series.some((s) => s.axis === 'right');
  const valueAxis = o.horizontal ? 'x' : 'y';
  const created = new Chart(canvas, {
    type: o.kind ?? 'line',
    data: { labels: o.labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: o.horizontal ? 'y' : 'x',
      interaction: { mode: 'index', intersect: false },
      onClick: (_e, elements) => {
        const link = elements[0] ? o.links?.[elements[0].index] : null;
        if (link) location.hash = link;
      },
      plugins: { legend: { display: o.series.length > 1, position: 'bottom' } },
      scales: {
        [valueAxis]: {
          beginAtZero: true,
          stacked: o.stacked ?? false,
          title: { display: Boolean(o.leftTitle), text: o.leftTitle ?? '' },
        },
        [o.horizontal ? 'y' : 'x']: {
          stacked: o.stacked ?? false,
          ticks: { autoSkip: true, maxRotation: 0 },
        },
        ...(hasRight
          ? {
              y2: {
                position: 'right',
                beginAtZero: true,
                grid: { drawOnChartArea: false },
                title: { display: Boolean(o.rightTitle), text: o.rightTitle ?? '' },
              },
            }
          : {}),
      },
    },
  });
  live.add(created);
  const data = h(
    'details',
    { class: 'chart-data' },
    h('summary', null, 'Numbers'),
    h(
      'table',
      { class: 'data compact', 'data-chart': o.id ?? o.title },
      h('caption', null, o.title),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, ''),
          o.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.label)),
        ),
      ),
      h(
        'tbody',
        null,
        o.labels.map((label, i) =>
          h(
            'tr',
            null,
            h(
              'th',
              { scope: 'row' },
              o.links?.[i] ? h('a', { href: o.links[i], 'data-drill': 'chart' }, label) : label,
            ),
            o.series.map((s) =>
              h(
                'td',
                { class: 'num', 'data-value': s.data[i] ?? '' },
                (s.format ?? plain)(s.data[i] ?? null),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return h(
    'figure',
    { class: 'chart', 'data-chart-id': o.id ?? null },
    h('figcaption', null, o.title),
    box,
    data,
  );
}
