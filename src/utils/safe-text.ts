/**
 * Text PostgreSQL and the providers can take. A NUL cannot be stored in `text` or `jsonb`, and an
 * unpaired surrogate (half of an emoji, as a frontend that cuts a string leaves it) becomes invalid
 * JSON in `jsonb` and garbage in a signed token. Refusing both where a client sends them is cheaper
 * than a 500 after half the work is done. Pure: the HTTP guard, the body parser and services share it.
 */

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNPAIRED_SURROGATES = new RegExp(UNPAIRED_SURROGATE.source, 'g');

/** Why the string cannot be accepted, or undefined when it can. */
export function unsafeTextReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired surrogate (half of a character, e.g. a cut emoji)';
  return undefined;
}

/** The text with every NUL and unpaired surrogate replaced by U+FFFD, for recording what could not be accepted. */
export function storableText(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is what this replaces
  return text.replace(/\u0000/g, '\uFFFD').replace(UNPAIRED_SURROGATES, '\uFFFD');
}

/**
 * The first string (value or property name) in a parsed JSON value that cannot be accepted, as
 * `"<where>.path.to.it <reason>"`. Walks iteratively: a body nested thousands deep must not
 * overflow the stack.
 */
export function findUnsafeText(value: unknown, where: string): string | undefined {
  const pending: Array<{value: unknown; path: string}> = [{value, path: where}];
  while (pending.length > 0) {
    const {value: current, path} = pending.pop()!;
    if (typeof current === 'string') {
      const reason = unsafeTextReason(current);
      if (reason) return `${path} ${reason}`;
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({value: item, path: `${path}[${index}]`}));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const reason = unsafeTextReason(key);
        if (reason) return `a property name in ${path} ${reason}`;
        pending.push({value: item, path: `${path}.${key}`});
      }
    }
  }
  return undefined;
}

/**
 * Why a request target (`/path?query` as sent) cannot be accepted: a malformed percent escape
 * (`%FF`, `%E0%A4`, an encoded lone surrogate) or a value that decodes to unsafe text (`%00`).
 * The whole target is decoded once; `%25` decoding to `%` is not decoded again.
 */
export function unsafeRequestTargetReason(target: string): string | undefined {
  if (!target.includes('%')) return target.includes('\u0000') ? 'The request path or query contains a NUL character' : undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.replace(/\+/g, ' '));
  } catch {
    return 'The request path or query contains a malformed percent escape (each % must start a valid UTF-8 escape such as %20)';
  }
  const reason = unsafeTextReason(decoded);
  return reason ? `The request path or query ${reason}` : undefined;
}

/** How deeply objects and arrays nest in a parsed JSON value (a scalar is 0). Iterative, like findUnsafeText. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<{value: unknown; depth: number}> = [{value, depth: 0}];
  while (pending.length > 0) {
    const {value: current, depth} = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    for (const item of Array.isArray(current) ? current : Object.values(current)) pending.push({value: item, depth: depth + 1});
  }
  return deepest;
}
