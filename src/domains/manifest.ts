// A domain builds its data once into a folder and reuses it while the recipe (the options
// that shape the data) is unchanged: manifest.json records the recipe and what was built.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Manifest {
  recipe: unknown;
  [key: string]: unknown;
}

export const manifestPath = (dir: string): string => join(dir, 'manifest.json');

/** The folder's manifest, or null when there is none. */
export function readManifest<M extends Manifest = Manifest>(dir: string): M | null {
  const p = manifestPath(dir);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as M) : null;
}

/** Whether a manifest was written for this recipe. */
export const sameRecipe = (manifest: Manifest | null, recipe: unknown): boolean =>
  manifest !== null && JSON.stringify(manifest.recipe) === JSON.stringify(recipe);

/** Whether the folder already holds the data of this recipe. */
export const isBuilt = (dir: string, recipe: unknown): boolean => sameRecipe(readManifest(dir), recipe);

export function writeManifest(dir: string, manifest: Manifest): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(manifestPath(dir), JSON.stringify(manifest, null, 2));
}
