import {ValidationError} from '../../errors/domain-errors';

/**
 * Parses a time given as an ISO-8601 string or as epoch milliseconds (number or
 * digit string). Throws a ValidationError naming the field.
 */
export function parseTimeInput(field: string, value: unknown): Date {
  let parsed: Date | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) parsed = new Date(value);
  else if (typeof value === 'string' && /^\d{10,16}$/.test(value)) parsed = new Date(Number(value));
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) parsed = new Date(value);
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new ValidationError(`${field} must be an ISO-8601 date-time (e.g. 2030-01-31T10:00:00Z) or epoch milliseconds`);
  }
  return parsed;
}

export function requireFuture(field: string, time: Date, now: Date): void {
  if (time.getTime() <= now.getTime()) {
    throw new ValidationError(`${field} must be in the future (got ${time.toISOString()}, now ${now.toISOString()})`);
  }
}
