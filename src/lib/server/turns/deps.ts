import { getConfig, type Config } from '../config';
import { getDb, type Db } from '../db';

/** What a turn runs with: the database and the settings. */
export interface TurnDeps {
	db: Db;
	config: Config;
}

/** The process's database and settings, for a face that is not handed them (a WebSocket). */
export async function turnDeps(): Promise<TurnDeps> {
	return { db: await getDb(), config: getConfig() };
}
