import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'dictionary',
  summary: 'PUF item labels and code meanings',
  usage: ['dictionary [ITEM] [options]'],
  positionals: true,
  description: 'Without ITEM: every item with its columns and label. With ITEM: its label, columns, value format,\ncode meanings, the diagnosis years it exists (2021 PUF QuickStart), and numeric companions.',
  options: {
    layout: { type: 'string', value: 'FILE', help: 'SAS import script of your PUF (default: built-in 2021 layout)' },
    json: { type: 'boolean', help: 'print JSON' },
  },
  epilog: 'Examples:\n  oncosurv dictionary RX_SUMM_IMMUNOTHERAPY\n  oncosurv dictionary --layout NCDB_PUF_2022_import.sas --json',
});
