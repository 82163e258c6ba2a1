import {expect} from '@loopback/testlab';
import {PgDataSource, pgDataSourceConfig} from '../../../datasources/pg.datasource';
import {TEST_DATABASE, ensureTestDatabase} from '../../fixtures/postgres';

describe('PgDataSource (integration)', () => {
  before(ensureTestDatabase);

  it('queries through the connector pool with native promises and without pg deprecation warnings', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const dataSource = new PgDataSource(pgDataSourceConfig(TEST_DATABASE));
    try {
      const pending = dataSource.pool.query('SELECT current_schema() AS schema');
      expect(pending).to.be.instanceOf(Promise);
      const result = await pending;
      expect(result.rows).to.eql([{schema: TEST_DATABASE.schema}]);
      // Warnings are emitted on the next tick.
      await new Promise(resolve => setImmediate(resolve));
      expect(warnings.filter(message => /pg@9|Promise implementation/.test(message))).to.eql([]);
    } finally {
      process.off('warning', onWarning);
      await dataSource.disconnect();
    }
  });
});
