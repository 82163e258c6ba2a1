import {timingSafeEqual as cryptoTimingSafeEqual} from 'node:crypto';

/** Constant-time comparison that tolerates different lengths (crypto's throws on them). */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Compare anyway so the time taken does not reveal where the lengths differ.
    cryptoTimingSafeEqual(left, left);
    return false;
  }
  return cryptoTimingSafeEqual(left, right);
}
