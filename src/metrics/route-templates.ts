import {pathPattern} from '../http/fast-lane/fast-lane';

/** The `route` label of a request no API route matches: raw paths would make the label unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Label values of `status_class`, by the first digit of the status; an answer never sent is `aborted`. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number] | 'other' | 'aborted';

/** Index into per-class arrays: 0–4 for 1xx–5xx, 5 for `other`, 6 for `aborted`. */
export function statusClassIndex(status: number, answered: boolean): number {
  if (!answered) return 6;
  return status >= 100 && status < 600 ? Math.floor(status / 100) - 1 : 5;
}

export const STATUS_CLASS_BY_INDEX: readonly StatusClass[] = [...STATUS_CLASSES, 'other', 'aborted'];

export function statusClass(status: number, answered = true): StatusClass {
  return STATUS_CLASS_BY_INDEX[statusClassIndex(status, answered)];
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The `method` label: the standard verbs as they are, anything else (a client may send any token) `other`. */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && METHODS.has(method) ? method : 'other';
}

interface ParameterisedRoute {
  pattern: RegExp;
  template: string;
}

/**
 * Maps a request path to the route template that serves it (`/session/abc/token` → `/session/{meetingLinkId}/token`)
 * by the path alone: the method is a label of its own, and a preflight or a wrong verb on a known path keeps the
 * path's template. Literal segments win over parameters, as in LoopBack's router (`/archives/storage-target` is not
 * `/archives/{archiveId}`).
 */
export class RouteTemplates {
  private readonly literal = new Map<string, string>();
  private readonly parameterised: ParameterisedRoute[] = [];

  constructor(templates: Iterable<string>) {
    const withParameters: string[] = [];
    for (const template of new Set(templates)) {
      if (template.includes('{')) withParameters.push(template);
      else this.literal.set(template, template);
    }
    withParameters.sort(bySpecificity);
    for (const template of withParameters) this.parameterised.push({template, pattern: pathPattern(template)});
  }

  /** Every template, as the labels it can produce (besides `unmatched`). */
  get templates(): string[] {
    return [...this.literal.keys(), ...this.parameterised.map(route => route.template)];
  }

  /** `path` without its query string. */
  match(path: string): string {
    const literal = this.literal.get(path);
    if (literal !== undefined) return literal;
    for (const route of this.parameterised) if (route.pattern.test(path)) return route.template;
    return UNMATCHED_ROUTE;
  }

  /** The template of a request target (`/path?query`). */
  matchUrl(url: string): string {
    const queryAt = url.indexOf('?');
    return this.match(queryAt === -1 ? url : url.slice(0, queryAt));
  }
}

/** Segment by segment, a literal before a parameter; then fewer segments first. */
function bySpecificity(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const leftParameter = left[i].startsWith('{');
    const rightParameter = right[i].startsWith('{');
    if (leftParameter !== rightParameter) return leftParameter ? 1 : -1;
  }
  return left.length - right.length;
}
