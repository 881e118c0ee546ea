/** A plan that cannot be made (illegal split, unsupported layout): the message names the model and the reason. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}
