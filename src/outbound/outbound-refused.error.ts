import {DomainError} from '../errors/domain-errors';
import type {AddressClass} from './address-class';

/**
 * A connection the outbound policy refused. Its `code` survives SDKs that wrap transport errors
 * (Azure's RestError copies it), so callers recognise it with `isOutboundRefusal`.
 */
export class OutboundAddressRefusedError extends DomainError {
  readonly code = 'OUTBOUND_ADDRESS_REFUSED';
  constructor(
    readonly host: string,
    readonly port: number,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    const resolved = address === host ? '' : ` (it resolves to ${address})`;
    super(
      `Connections to ${host}:${port}${resolved} are refused: a ${addressClass} address is not reachable from this service ` +
        `unless "${host}:${port}" is listed in OUTBOUND_ALLOWED_HOSTS`,
    );
  }
}

/** The refusal in an error or anywhere in its `cause` chain; SDKs wrap or copy transport errors. */
export function findOutboundRefusal(error: unknown): {message: string} | undefined {
  for (let e = error as {code?: unknown; message?: string; cause?: unknown} | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'OUTBOUND_ADDRESS_REFUSED' && typeof e.message === 'string') return {message: e.message};
  }
  return undefined;
}
