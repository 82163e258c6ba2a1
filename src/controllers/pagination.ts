import {ValidationError} from '../errors/domain-errors';

export interface Page {
  limit: number;
  offset: number;
}

/** Validates `limit`/`offset` query values with a message naming the bound. */
export function toPage(limit: number | undefined, offset: number | undefined, defaults: {limit: number; maxLimit: number}): Page {
  const pageLimit = limit ?? defaults.limit;
  const pageOffset = offset ?? 0;
  if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > defaults.maxLimit) {
    throw new ValidationError(`limit must be a whole number from 1 to ${defaults.maxLimit}`);
  }
  if (!Number.isInteger(pageOffset) || pageOffset < 0) throw new ValidationError('offset must be a whole number of 0 or more');
  return {limit: pageLimit, offset: pageOffset};
}

/** `true/false/1/0`, or undefined when absent. */
export function toOptionalBoolean(field: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ValidationError(`${field} must be true, false, 1 or 0`);
}
