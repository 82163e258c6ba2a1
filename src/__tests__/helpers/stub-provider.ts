import {sinon} from '@loopback/testlab';
import type {ServiceConfig} from '../../config/service-config';
import type {VideoProvider} from '../../providers/video/types';
import {VideoProviders} from '../../providers/video/video-providers';
import type {Transaction, TransactionRunner} from '../../repositories/transaction';

export type StubProvider = VideoProvider & {
  [K in 'createSession' | 'endSession' | 'issueJoinCredentials' | 'listArchives' | 'getArchive' | 'deleteArchive']: sinon.SinonStub;
};

/** A provider of stubs, for services under unit test. */
export function givenStubProvider(name = 'stub'): StubProvider {
  return {
    name,
    capabilities: {
      roles: ['publisher', 'subscriber', 'moderator', 'publisheronly'],
      endToEndEncryption: true,
      automaticRecording: true,
      manualRecording: false,
      pauseRecording: false,
      recordingLayout: false,
      signals: false,
      muting: false,
      storageKinds: ['s3', 'azure'],
      joinTokenTtl: {minSeconds: 1, maxSeconds: 30 * 86400, defaultSeconds: 86400},
      recordingUrlTtlSeconds: 600,
      recordingRetentionHours: 72,
      joinIdentity: {maxAttendeeIdChars: 128, maxDataChars: 362, keyed: false},
    },
    createSession: sinon.stub().resolves({sessionId: 'session-1'}),
    endSession: sinon.stub().resolves(),
    issueJoinCredentials: sinon.stub(),
    listParticipants: sinon.stub().resolves([]),
    listArchives: sinon.stub().resolves({items: [], nextCursor: null}),
    getArchive: sinon.stub(),
    deleteArchive: sinon.stub().resolves(),
    parseWebhook: sinon.stub(),
    applyStorageTarget: sinon.stub().resolves({applied: true}),
    startRecording: sinon.stub(),
    stopRecording: sinon.stub().resolves(null),
    removeParticipant: sinon.stub().resolves(),
  };
}

/** The registry over one provider, as the application would build it. */
export function givenProviders(provider: VideoProvider): VideoProviders {
  const config = {video: {defaultProvider: provider.name}} as ServiceConfig;
  return new VideoProviders([{name: provider.name, requiredVariable: 'STUB', create: () => provider}], config, {now: () => new Date()});
}

/** Runs the work on a fake transaction: repositories are stubs, so nothing is sent anywhere. */
export function givenTransactions(): TransactionRunner {
  const tx = {client: {}} as Transaction;
  return {run: work => work(tx)} as TransactionRunner;
}
