export {VonageVideoEmulator} from './vonage-emulator';
export type {RecordedRequest, VonageEmulatorOptions} from './vonage-emulator';
export {VONAGE_TIMING} from './background';
export type {EmulatorTiming} from './background';
