import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, packageDirectory } from '@cairn/core';

/** The persona shipped with the package; `CAIRN_PERSONA_PATH` may point elsewhere to try a revision. */
export const defaultPersonaPath: string = join(packageDirectory('@cairn/answer'), 'persona', 'thought-partner.md');

/**
 * Reads the persona (the system prompt) once at start, so a missing or empty file stops
 * the app with a clear message instead of sending the model an empty system prompt.
 * The error names `CAIRN_PERSONA_PATH`, the setting an operator would change to fix it.
 */
export async function loadPersona(path: string = defaultPersonaPath): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'CAIRN_PERSONA_PATH',
      `cannot read the persona file at ${path}; point CAIRN_PERSONA_PATH at a readable Markdown file.`,
      { cause: error },
    );
  }
  const persona = text.trim();
  if (persona === '') {
    throw new ConfigError(
      'CAIRN_PERSONA_PATH',
      `the persona file at ${path} is empty; write the system prompt into it or point CAIRN_PERSONA_PATH at another file.`,
    );
  }
  return persona;
}
