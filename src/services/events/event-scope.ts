import type {CallerProfile} from '../../auth/bearer-token.verifier';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else names nothing (404), and never reaches PostgreSQL as a cast error. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** The tenant scope of events and subscriptions: '' for callers without a tenant. */
export const tenantOf = (caller: CallerProfile): string => caller.tenantId ?? '';
