import { UsageError } from '../errors.js';

export async function main(_argv: string[]): Promise<number> {
  throw new UsageError('"server" is not built yet.');
}
