import { afterAll } from 'vitest';
import { openPostgres } from '../../../adapters/registry/pg-db.js';
import { openSqlite } from '../../../adapters/registry/sqlite-db.js';
import { registryContract } from '../../contract/state-registry.contract.js';
import { runtimeStateContract } from '../../contract/state-runtime.contract.js';
import { webStateContract } from '../../contract/state-web.contract.js';
import { startTestPostgres } from '../../helpers/postgres.js';

/** The same state contract on the embedded default and on a real PostgreSQL (when one can start). */
const pg = await startTestPostgres('the PostgreSQL state contract');
afterAll(() => pg?.stop());

const sqlite = () => openSqlite(':memory:');
const postgres = pg && (() => openPostgres(pg.newDatabase()));

registryContract('SQLite', sqlite);
runtimeStateContract('SQLite', sqlite);
registryContract('PostgreSQL', postgres);
runtimeStateContract('PostgreSQL', postgres);
webStateContract('SQLite', sqlite);
webStateContract('PostgreSQL', postgres);
