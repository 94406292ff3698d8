import { parseArgs } from 'node:util';

// The command line's arguments, read alike by the launcher (launch.ts) and the commands (main.ts).

/** The command, its positional arguments and its options; throws on an unknown option. */
export function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      preset: { type: 'string' },
      mapping: { type: 'string' },
      'save-preset': { type: 'string' },
      encoding: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
      kind: { type: 'string' },
      status: { type: 'string' },
      note: { type: 'string' },
      csv: { type: 'string' },
      out: { type: 'string' },
      xlsx: { type: 'string' },
      rate: { type: 'string' },
      cap: { type: 'string' },
      fixed: { type: 'string' },
      merchant: { type: 'string' },
      year: { type: 'string' },
      holiday: { type: 'string', multiple: true },
      workday: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      d0: { type: 'string', multiple: true },
      t1: { type: 'string', multiple: true },
      card: { type: 'string' },
      amount: { type: 'string' },
      min: { type: 'string' },
      max: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      rrn: { type: 'string' },
      trace: { type: 'string' },
      batch: { type: 'string' },
      terminal: { type: 'string' },
      user: { type: 'string' },
      ticket: { type: 'string' },
      'ticket-date': { type: 'string' },
      recovered: { type: 'string' },
      reason: { type: 'string' },
      title: { type: 'string' },
      case: { type: 'string' },
      'rows-only': { type: 'boolean' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  return { command, positionals: rest, values };
}

export type Values = ReturnType<typeof parse>['values'];
