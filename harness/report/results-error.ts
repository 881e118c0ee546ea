import { UserError } from '../errors';
/** A results file that is unreadable or breaks the schema; the message names the file and every bad field. */
export class ResultsError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsError';
  }
}
