import {ValidationError} from '../../errors/domain-errors';
import {RECORDING_LAYOUT_TYPES, RecordingLayout, StartRecordingOptions} from '../../providers/video/types';

/** Resolutions a composed recording may have (Vonage's list, provider-facts §A6); providers that choose their own ignore it. */
export const RECORDING_RESOLUTIONS: readonly string[] = ['640x480', '480x640', '1280x720', '720x1280', '1920x1080', '1080x1920'];

const MAX_NAME_CHARS = 200;
const MAX_STYLESHEET_CHARS = 10_000;

/** `POST /session/{id}/archives` body → provider options; the OpenAPI schema checked the shapes, this the rules between fields. */
export function parseStartRecording(body: Record<string, unknown> | undefined): StartRecordingOptions {
  const input = body ?? {};
  const options: StartRecordingOptions = {};
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.length > MAX_NAME_CHARS)
      throw new ValidationError(`name must be a string of at most ${MAX_NAME_CHARS} characters`);
    options.name = input.name;
  }
  if (input.layout !== undefined) options.layout = parseLayout(input.layout);
  if (input.resolution !== undefined) {
    if (typeof input.resolution !== 'string' || !RECORDING_RESOLUTIONS.includes(input.resolution)) {
      throw new ValidationError(`resolution must be one of ${RECORDING_RESOLUTIONS.join(', ')}`);
    }
    options.resolution = input.resolution;
  }
  if (input.outputMode !== undefined) {
    if (input.outputMode !== 'composed' && input.outputMode !== 'individual') throw new ValidationError('outputMode must be composed or individual');
    options.outputMode = input.outputMode;
  }
  for (const key of ['hasAudio', 'hasVideo'] as const) {
    if (input[key] === undefined) continue;
    if (typeof input[key] !== 'boolean') throw new ValidationError(`${key} must be true or false`);
    options[key] = input[key] as boolean;
  }
  if (options.hasAudio === false && options.hasVideo === false)
    throw new ValidationError('hasAudio and hasVideo cannot both be false: nothing would be recorded');
  if (options.layout && options.outputMode === 'individual') throw new ValidationError('layout applies to composed recordings only');
  return options;
}

/** `{type, stylesheet?}`: a predefined type, or `custom` with its stylesheet (and only then). */
export function parseLayout(value: unknown): RecordingLayout {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('layout must be an object {type, stylesheet?}');
  const {type, stylesheet} = value as {type?: unknown; stylesheet?: unknown};
  if (typeof type !== 'string' || !RECORDING_LAYOUT_TYPES.includes(type))
    throw new ValidationError(`layout.type must be one of ${RECORDING_LAYOUT_TYPES.join(', ')}`);
  if (stylesheet !== undefined && (typeof stylesheet !== 'string' || stylesheet.length > MAX_STYLESHEET_CHARS)) {
    throw new ValidationError(`layout.stylesheet must be a string of at most ${MAX_STYLESHEET_CHARS} characters`);
  }
  if (type === 'custom' && !stylesheet) throw new ValidationError('layout.stylesheet is required when layout.type is custom');
  if (type !== 'custom' && stylesheet !== undefined) throw new ValidationError('layout.stylesheet is only for layout.type custom');
  return stylesheet === undefined ? {type} : {type, stylesheet: stylesheet as string};
}
