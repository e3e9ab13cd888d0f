/** Reads the shared wire vectors (never edited; see test/fixtures/wire/README.md). */
import { readdirSync, readFileSync } from 'node:fs';

const EVENTS_DIR = new URL('../../fixtures/wire/events/', import.meta.url);

/** The text of `events/<relativePath>`. */
export function readEventFixture(relativePath: string): string {
  return readFileSync(new URL(relativePath, EVENTS_DIR), 'utf8');
}

/** File names in `events/<folder>/`, sorted. */
export function listEventFixtures(folder: 'valid' | 'invalid' | 'nonconforming' | 'hostile'): string[] {
  return readdirSync(new URL(`${folder}/`, EVENTS_DIR)).sort();
}
