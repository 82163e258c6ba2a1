export {VonageVideoEmulator} from './vonage-emulator';
export type {RecordedRequest, VonageEmulatorOptions} from './vonage-emulator';
