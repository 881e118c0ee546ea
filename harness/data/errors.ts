import { UserError } from '../errors';
/** A dataset folder or file that cannot be read as any supported layout; the message names the path and what to do. */
export class DatasetError extends UserError {
  constructor(readonly path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'DatasetError';
  }
}
