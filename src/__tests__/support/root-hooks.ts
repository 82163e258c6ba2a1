import {stopTestDatabase} from '../fixtures/postgres';

/** Mocha root hooks: the run ends with no database process of its own left behind. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopTestDatabase();
  },
};
