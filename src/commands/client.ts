import type { ClientArgs } from '../args.js';
import { UsageError } from '../errors.js';

export async function main(_args: ClientArgs): Promise<number> {
  throw new UsageError('not built yet.');
}
