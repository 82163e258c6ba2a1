export {VonageVideoProvider, VONAGE_CAPABILITIES} from './vonage-video.provider';
export {validateVonageOptions} from './vonage.options';
export type {VonageProviderOptions} from './vonage.options';
export {vonageRegistration} from './vonage.registration';
