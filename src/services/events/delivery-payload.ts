import type {ClaimedDelivery} from '../../repositories/webhook-delivery.repository';

/** The header that carries the meeting's extMetadata under `metadataPolicy: HEADER` (JSON, ASCII only). */
export const METADATA_HEADER = 'webhook-metadata';

/** What a delivery sends, before signing. */
export interface DeliveryMessage {
  body: string;
  /** Extra headers beside the Standard Webhooks ones. */
  headers: Record<string, string>;
}

/**
 * The Standard Webhooks body `{type, timestamp, data}`: the event's thin data plus the meeting's
 * `meetingLinkId`, and its `extMetadata` where the subscription's policy says so.
 */
export function deliveryMessage(delivery: ClaimedDelivery): DeliveryMessage {
  const data: Record<string, unknown> = {...delivery.data};
  if (delivery.type !== 'ping') data.meetingLinkId = delivery.meetingLinkId;
  const headers: Record<string, string> = {};
  if (delivery.metadataPolicy === 'BODY') data.extMetadata = delivery.extMetadata ?? null;
  if (delivery.metadataPolicy === 'HEADER' && delivery.extMetadata !== null && delivery.extMetadata !== undefined) {
    headers[METADATA_HEADER] = asciiJson(delivery.extMetadata);
  }
  const body = JSON.stringify({type: delivery.type, timestamp: delivery.occurredAt.toISOString(), data});
  return {body, headers};
}

/** JSON with every non-ASCII character escaped, so it is a valid header value and still parses as the same JSON. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
