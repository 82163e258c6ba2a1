import type {WebhookRequest, WebhookResult} from '../video-event';
import {mapZoomWebhook, parseZoomEnvelope, ZoomPayloadError} from './zoom-webhook.mapper';
import {zoomEncryptedToken, ZoomWebhookVerifier} from './zoom-webhook.verifier';

/**
 * Zoom's signed webhooks → a URL validation answer or neutral events. The signature is verified
 * over the raw bytes before the body is parsed.
 */
export class ZoomWebhooks {
  constructor(private readonly verifier: ZoomWebhookVerifier) {}

  parse(request: WebhookRequest): WebhookResult {
    const key = this.verifier.verify(request);
    const envelope = parseZoomEnvelope(request.rawBody);
    if (envelope.event === 'endpoint.url_validation') {
      const plainToken = envelope.payload.plainToken;
      if (typeof plainToken !== 'string' || plainToken === '') throw new ZoomPayloadError('endpoint.url_validation carries no plainToken');
      // Answered with the token that signed the request: during a rotation that is the one Zoom holds now.
      return {type: 'challenge', responseBody: {plainToken, encryptedToken: zoomEncryptedToken(key, plainToken)}};
    }
    return {type: 'events', events: [mapZoomWebhook(envelope, request.rawBody)]};
  }
}
