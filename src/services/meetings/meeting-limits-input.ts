import {ValidationError} from '../../errors/domain-errors';

/** Longest `maxDurationMinutes`: a week (a meeting running longer is better left without a limit). */
export const MAX_DURATION_MINUTES_MAX = 7 * 24 * 60;
/** Longest `endWhenEmptyMinutes`: a day. */
export const END_WHEN_EMPTY_MINUTES_MAX = 24 * 60;

const BOUNDS = {maxDurationMinutes: MAX_DURATION_MINUTES_MAX, endWhenEmptyMinutes: END_WHEN_EMPTY_MINUTES_MAX} as const;

export type LimitField = keyof typeof BOUNDS;

/**
 * A limit as a create or edit body gave it: undefined (not given) stays undefined, null clears, anything but a
 * whole number of minutes within bounds is a 400 naming the field. The schema leaves the type open so that every
 * mistake gets this message rather than a schema error.
 */
export function parseLimit(field: LimitField, value: unknown): number | null | undefined {
  if (value === undefined || value === null) return value;
  const max = BOUNDS[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ValidationError(`${field} must be a whole number of minutes from 1 to ${max}, or null for no limit (got ${JSON.stringify(value)})`);
  }
  return value;
}
