import {expect} from '@loopback/testlab';
import fs from 'node:fs';
import path from 'node:path';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {exposedNames, parsePrometheusText} from '../helpers/prometheus-text';
import {REPO_ROOT} from '../helpers/service-process.helper';

const DASHBOARD = path.join(REPO_ROOT, 'deploy/grafana/video-conferencing.json');

interface Panel {
  title?: string;
  targets?: Array<{expr?: string}>;
  panels?: Panel[];
}

/** Every PromQL expression of the dashboard, rows' nested panels included. */
function expressions(panels: Panel[]): Array<{panel: string; expr: string}> {
  return panels.flatMap(panel => [
    ...(panel.targets ?? []).filter(t => t.expr).map(t => ({panel: panel.title ?? '?', expr: t.expr!})),
    ...expressions(panel.panels ?? []),
  ]);
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression reads: what is left once strings, matchers, ranges, groupings and functions are out. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (match[2] || KEYWORDS.has(match[1].toLowerCase())) continue;
    names.push(match[1]);
  }
  return names;
}

describe('The Grafana dashboard reads only metrics /metrics exposes (acceptance)', () => {
  let t: TestApp;
  before(async () => {
    t = await setupApplication();
  });
  after(async () => t?.stop());

  it('finds the metric names in PromQL the way the test below needs', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, route) (rate(vcs_http_request_duration_seconds_bucket{route!="x"}[$__rate_interval])))')).to.eql([
      'vcs_http_request_duration_seconds_bucket',
    ]);
    expect(metricNames('sum(rate(a_total{x="by (y)"}[5m])) / on(job) group_left max by (q) (b) > bool 0.5 or c')).to.eql(['a_total', 'b', 'c']);
  });

  it('every metric name in every panel query is one the service exposes (histograms by their _bucket/_sum/_count)', async () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as {panels: Panel[]; uid: string};
    const queries = expressions(dashboard.panels);
    expect(queries.length).to.be.greaterThan(10);
    const exposed = exposedNames(parsePrometheusText(await (await fetch(`${t.url}/metrics`)).text()));
    const missing = queries.flatMap(({panel, expr}) =>
      metricNames(expr)
        .filter(name => !exposed.has(name))
        .map(name => `${panel}: ${name}`),
    );
    expect(missing).to.eql([]);
    // Each query reads at least one metric: a name the extraction missed would otherwise pass silently.
    for (const {panel, expr} of queries) expect({panel, names: metricNames(expr).length > 0}).to.eql({panel, names: true});
  });
});
