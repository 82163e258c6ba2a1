import {stopTestDatabase} from '../fixtures/postgres';
import {stopAllEmulators} from '../fixtures/storage-emulators';

/** Mocha root hooks: the run ends with no database or emulator process of its own left behind. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopAllEmulators();
    await stopTestDatabase();
  },
};
