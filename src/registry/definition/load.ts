/**
 * Loading study definitions: the built-in `ici-transplant` (a YAML file shipped beside this module, or
 * in the source tree when the build did not copy it), or YAML text supplied by an administrator.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { SpecificationError } from '../../core/errors.js';
import { validateStudyDefinition, type StudyDefinition } from './schema.js';

export const BUILT_IN_STUDIES = ['ici-transplant'] as const;

function builtInPath(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, `${name}.yaml`), resolve(here, `../../../../src/registry/definition/${name}.yaml`)];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`built-in study definition ${name}.yaml not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** The YAML text of a built-in study definition. */
export function builtInDefinitionSource(name: string): string {
  if (!(BUILT_IN_STUDIES as readonly string[]).includes(name)) {
    throw new SpecificationError(`no built-in study "${name}" (built-in: ${BUILT_IN_STUDIES.join(', ')})`);
  }
  return readFileSync(builtInPath(name), 'utf8');
}

/** Parses and validates YAML text as a study definition; `source` names it in messages. */
export function parseStudyDefinition(yamlText: string, source: string): StudyDefinition {
  let parsed: unknown;
  try {
    parsed = parseYaml(yamlText);
  } catch (err) {
    const e = err as { message: string; linePos?: { line: number }[] };
    throw new SpecificationError(`not valid YAML: ${e.message.split('\n')[0]}`, { file: source, row: e.linePos?.[0]?.line });
  }
  return validateStudyDefinition(parsed, source);
}

const cache = new Map<string, StudyDefinition>();

/** The built-in definition, parsed once per process (callers get a shared, read-only object). */
export function builtInDefinition(name = 'ici-transplant'): StudyDefinition {
  let def = cache.get(name);
  if (def === undefined) {
    def = parseStudyDefinition(builtInDefinitionSource(name), `${name}.yaml`);
    cache.set(name, def);
  }
  return def;
}
