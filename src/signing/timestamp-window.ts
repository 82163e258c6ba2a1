/**
 * True when `timestampSeconds` lies within ±`toleranceSeconds` of now: a stale
 * signature is rejected, and so is one dated in the future.
 */
export function isWithinWindow(timestampSeconds: number, nowMs: number, toleranceSeconds: number): boolean {
  if (!Number.isFinite(timestampSeconds)) return false;
  const nowSeconds = nowMs / 1000;
  return Math.abs(nowSeconds - timestampSeconds) <= toleranceSeconds;
}
