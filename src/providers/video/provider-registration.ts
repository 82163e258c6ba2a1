import {Application, Binding, BindingTemplate, extensionFor} from '@loopback/core';
import type {ServiceConfig} from '../../config/service-config';
import type {Clock} from '../../utils/clock';
import type {VideoProvider} from './types';

/** Extension point every video provider registers into. */
export const VIDEO_PROVIDER_EXTENSION_POINT = 'video.providers';

/** How one provider is built from the validated config. */
export interface VideoProviderRegistration {
  /** The name `VIDEO_PROVIDER`, `POST /session` and stored meetings use. */
  readonly name: string;
  /** The variable that configures it, named when it is the default but unconfigured. */
  readonly requiredVariable: string;
  /**
   * Callback paths `/webhooks/{path}` this provider owns besides `/webhooks/{name}[/{kind}]`
   * (Vonage's from the original API: `session`, `archive`).
   */
  readonly legacyWebhookPaths?: readonly string[];
  /** The provider, or null when this deployment has not configured it. */
  create(config: ServiceConfig, clock: Clock): VideoProvider | null;
}

export const asVideoProviderRegistration: BindingTemplate = binding => binding.apply(extensionFor(VIDEO_PROVIDER_EXTENSION_POINT));

export function videoProviderBinding(registration: VideoProviderRegistration): Binding<VideoProviderRegistration> {
  return Binding.bind<VideoProviderRegistration>(`${VIDEO_PROVIDER_EXTENSION_POINT}.${registration.name}`).to(registration).apply(asVideoProviderRegistration);
}

/** Registers one more provider on an application (tests register fakes this way). */
export function registerVideoProvider(app: Application, registration: VideoProviderRegistration): void {
  app.add(videoProviderBinding(registration));
}
