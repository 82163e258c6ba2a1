/**
 * A reader of the Prometheus text exposition format (0.0.4), written here rather than taken from the library
 * under test: HELP and TYPE lines, samples with escaped label values, and the rules a scraper holds a target to
 * (a sample belongs to a declared family, label names are valid and not repeated, a series appears once).
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromExposition {
  /** Family name → type (`counter`, `gauge`, `histogram`, `summary`, `untyped`). */
  types: Map<string, string>;
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parsePrometheusText(text: string): PromExposition {
  const types = new Map<string, string>();
  const samples: PromSample[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1}: ${line}`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!comment) return;
      if (!NAME.test(comment[2])) throw new Error(`bad metric name, ${where}`);
      if (comment[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(comment[3] ?? '')) throw new Error(`bad type, ${where}`);
        if (types.has(comment[2])) throw new Error(`family declared twice, ${where}`);
        types.set(comment[2], comment[3]!);
      }
      return;
    }
    const sample = parseSample(line, where);
    if (!familyOf(sample.name, types)) throw new Error(`sample of no declared family, ${where}`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`series repeated, ${where}`);
    seen.add(key);
    samples.push(sample);
  });
  return {types, samples};
}

/** The family a sample name belongs to: itself, or a histogram's/summary's `_bucket`, `_sum`, `_count`. */
export function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const match = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (match && ['histogram', 'summary'].includes(types.get(match[1]) ?? '')) return match[1];
  return undefined;
}

/** Every name a query may use: each family's own name, and a histogram's three series. */
export function exposedNames(exposition: PromExposition): Set<string> {
  const names = new Set<string>();
  for (const [family, type] of exposition.types) {
    names.add(family);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(family + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(family + suffix);
  }
  return names;
}

/** The sum of the samples of `name` whose labels include `labels`. */
export function sumOf(exposition: PromExposition, name: string, labels: Record<string, string> = {}): number {
  return exposition.samples.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

function parseSample(line: string, where: string): PromSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`bad sample, ${where}`);
  const name = nameMatch[0];
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const label = /^([^=]+)="/.exec(rest);
      if (!label || !LABEL_NAME.test(label[1])) throw new Error(`bad label name, ${where}`);
      if (label[1] in labels) throw new Error(`label repeated, ${where}`);
      rest = rest.slice(label[0].length);
      let value = '';
      for (;;) {
        if (rest === '') throw new Error(`unterminated label value, ${where}`);
        const char = rest[0];
        if (char === '"') break;
        if (char === '\\') {
          const escaped = rest[1];
          if (escaped === 'n') value += '\n';
          else if (escaped === '\\' || escaped === '"') value += escaped;
          else throw new Error(`bad escape, ${where}`);
          rest = rest.slice(2);
        } else {
          value += char;
          rest = rest.slice(1);
        }
      }
      labels[label[1]] = value;
      rest = rest.slice(1);
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw new Error(`expected , or }, ${where}`);
    }
    rest = rest.slice(1);
  }
  const parts = rest.trim().split(/\s+/);
  if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`bad value, ${where}`);
  let value: number;
  try {
    value = parseValue(parts[0]);
  } catch {
    throw new Error(`bad value, ${where}`);
  }
  return {name, labels, value};
}

/** As Prometheus reads a value (Go's ParseFloat): decimal or exponent, and Inf/NaN in any case. */
function parseValue(text: string): number {
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a number: ${text}`);
  return Number(text);
}
