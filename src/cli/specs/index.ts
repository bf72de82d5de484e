/**
 * Every command's spec, in `oncosurv --help` order. Specs are pure data, so main.ts lists
 * every summary and prints any --help without loading an estimator or the report renderer.
 */
import type { CommandSpec } from '../command.js';
import { spec as km } from './km.js';
import { spec as logrank } from './logrank.js';
import { spec as cox } from './cox.js';
import { spec as zph } from './zph.js';
import { spec as logistic } from './logistic.js';
import { spec as match } from './match.js';
import { spec as weight } from './weight.js';
import { spec as cuminc } from './cuminc.js';
import { spec as finegray } from './finegray.js';
import { spec as rmst } from './rmst.js';
import { spec as ingest } from './ingest.js';
import { spec as dictionary } from './dictionary.js';
import { spec as synth } from './synth.js';
import { spec as protocol } from './protocol.js';
import { spec as study } from './study.js';
import { spec as report } from './report.js';
import { spec as demo } from './demo.js';
import { spec as registry } from './registry.js';

export const COMMAND_SPECS: readonly CommandSpec[] = [km, logrank, cox, zph, logistic, match, weight, cuminc, finegray, rmst, ingest, dictionary, synth, protocol, study, report, demo, registry];
