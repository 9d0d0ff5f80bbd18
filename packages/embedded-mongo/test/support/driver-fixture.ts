import type { Db, MongoClient } from 'mongodb';
import { startTestDatabase, type TestDatabase } from '../../testing/database.ts';
import type { LoadedDriver } from './drivers.ts';

/** One test server and one connected client per scenario, with a log of the commands it sends. */
export class DriverFixture {
  readonly #driver: LoadedDriver;
  #database: TestDatabase | undefined;
  #client: MongoClient | undefined;
  #uri = '';
  #commandLog: string[] = [];

  constructor(driver: LoadedDriver) {
    this.#driver = driver;
  }

  async open(): Promise<void> {
    this.#database = await startTestDatabase();
    this.#uri = this.#database.uri('driver');
    this.#client = new this.#driver.MongoClient(this.#uri, { monitorCommands: true });
    this.#client.on('commandStarted', (event) => this.#commandLog.push(event.commandName));
    await this.#client.connect();
  }

  async close(): Promise<void> {
    // A real MongoDB keeps what tests leave behind, so clean up the scenario's database.
    await this.#client?.db().dropDatabase();
    await this.#client?.close();
    await this.#database?.stop();
  }

  get client(): MongoClient {
    if (!this.#client) throw new Error('DriverFixture.open() has not run');
    return this.#client;
  }

  get db(): Db {
    return this.client.db();
  }

  /** A second client of the same driver on the same database, as another application would be; the caller closes it. */
  connectAnother(): Promise<MongoClient> {
    return new this.#driver.MongoClient(this.#uri).connect();
  }

  /** Runs `work` and returns the names of the commands the driver sent meanwhile. */
  async commandsDuring(work: () => Promise<unknown>): Promise<string[]> {
    const start = this.#commandLog.length;
    await work();
    return this.#commandLog.slice(start);
  }
}
