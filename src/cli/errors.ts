/** A failure that is not the user's input: a simulation did not reach its end (exit code 1). */
export class SimulationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationFailed';
  }
}
