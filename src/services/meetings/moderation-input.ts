import {ValidationError} from '../../errors/domain-errors';

export interface SignalInput {
  type: string;
  data: string;
  attendee?: string;
}

/** Vonage's limits on a signal (type ≤ 128 characters of letters, digits, `-`, `_`, `~`; data ≤ 8 kB), the tightest of the providers. */
const SIGNAL_TYPE = /^[A-Za-z0-9_~-]{1,128}$/;
const MAX_SIGNAL_DATA_BYTES = 8192;

export function parseSignal(body: Record<string, unknown> | undefined): SignalInput {
  const {type, data, attendee} = body ?? {};
  if (typeof type !== 'string' || !SIGNAL_TYPE.test(type)) throw new ValidationError('type must be 1 to 128 letters, digits, "-", "_" or "~"');
  if (typeof data !== 'string' || Buffer.byteLength(data, 'utf8') > MAX_SIGNAL_DATA_BYTES) {
    throw new ValidationError(`data must be a string of at most ${MAX_SIGNAL_DATA_BYTES} bytes`);
  }
  if (attendee !== undefined && (typeof attendee !== 'string' || attendee === '')) throw new ValidationError('attendee must be a non-empty string');
  return attendee === undefined ? {type, data} : {type, data, attendee: attendee as string};
}

/** `excludeAttendees`: attendee ids, each a non-empty string. */
export function parseExcludeAttendees(body: Record<string, unknown> | undefined): string[] {
  const value = body?.excludeAttendees;
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some(item => typeof item !== 'string' || item === '') || value.length > 1000) {
    throw new ValidationError('excludeAttendees must be a list of at most 1000 attendee ids');
  }
  return value as string[];
}
